import 'reflect-metadata';
import { Dispatcher, OTP_PROVIDERS } from '@otpkit/core';
import { registerOtpKit } from '@otpkit/core/di';
import { createFakeProvider, type FakeProvider, fakePlugin } from '@otpkit/provider-fake';
import { container as root } from 'tsyringe';
import { describe, expect, it } from 'vitest';
import { OTP_VERIFIER_OPTIONS, registerVerifier } from './di.js';
import { Verifier } from './verifier.js';

const SECRET = 'a-secret-of-at-least-32-bytes-0123456789';
const TO = '+14155550123';

describe('registerVerifier', () => {
  it('registers Verifier on the container Dispatcher, once per dispatcher and options', async () => {
    const container = root.createChildContainer();
    registerOtpKit(container, { provider: 'fake' }, { plugins: [fakePlugin] });
    registerVerifier(container, { secret: SECRET });
    const verifier = container.resolve(Verifier);
    expect(container.resolve(Verifier)).toBe(verifier);
    await verifier.start({ to: TO });
    const fake = container.resolve(Dispatcher).getProvider<FakeProvider>('fake')!;
    expect((await verifier.check({ to: TO, code: fake.lastCode(TO)! })).status).toBe('approved');
  });

  it('a child container with its own providers gets its own verifier; one that only inherits shares it', () => {
    const container = root.createChildContainer();
    registerOtpKit(container, { provider: 'fake' }, { plugins: [fakePlugin] });
    registerVerifier(container, { secret: SECRET });
    const parent = container.resolve(Verifier);
    expect(container.createChildContainer().resolve(Verifier)).toBe(parent);
    const test = container.createChildContainer();
    test.register(OTP_PROVIDERS, { useValue: [createFakeProvider({ id: 'test-fake' })] });
    expect(test.resolve(Verifier)).not.toBe(parent);
  });

  it('takes options the app registered under OTP_VERIFIER_OPTIONS, validated when first resolved', () => {
    const container = root.createChildContainer();
    registerOtpKit(container, { provider: 'fake' }, { plugins: [fakePlugin] });
    container.register(OTP_VERIFIER_OPTIONS, { useValue: { secret: 'short' } });
    registerVerifier(container);
    expect(() => container.resolve(Verifier)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });
});
