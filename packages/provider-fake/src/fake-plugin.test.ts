import { configFromEnv, createOtpKit, isOtpError } from '@otpkit/core';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { FakeOptionsSchema, fakePlugin } from './fake-plugin.js';
import { createFakeProvider } from './fake-provider.js';

describe('the fake by configuration', () => {
  it('validates latencyMs once: the plugin and createFakeProvider agree on every bound', () => {
    for (const latencyMs of [-1, Number.NaN, Number.POSITIVE_INFINITY, 2_147_483_648, '20']) {
      expect(v.is(FakeOptionsSchema, { latencyMs }), String(latencyMs)).toBe(false);
      let thrown: unknown;
      try {
        createFakeProvider({ latencyMs: latencyMs as number });
      } catch (error) {
        thrown = error;
      }
      expect(isOtpError(thrown, 'INVALID_CONFIG'), String(latencyMs)).toBe(true);
      expect(() =>
        createOtpKit({ provider: 'fake', providers: { fake: { latencyMs } } }, { plugins: [fakePlugin] }),
      ).toThrow(/providers\.fake\.latencyMs: expected a number from 0 to 2147483647/);
    }
    for (const latencyMs of [0, 20, 2_147_483_647]) {
      expect(v.is(FakeOptionsSchema, { latencyMs })).toBe(true);
      expect(createFakeProvider({ latencyMs }).id).toBe('fake');
    }
  });

  it('FAKE_LATENCY_MS reaches the fake through configFromEnv and createOtpKit', async () => {
    const plugins = [fakePlugin];
    const config = configFromEnv({ OTPKIT_PROVIDER: 'fake', FAKE_LATENCY_MS: '30' }, { plugins });
    expect(config.providers).toEqual({ fake: { latencyMs: 30 } });
    const dispatcher = createOtpKit(config, { plugins });
    const started = Date.now();
    await dispatcher.send({ to: '+14155550123', body: 'Your code is 482913' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    await dispatcher.close();
  });
});
