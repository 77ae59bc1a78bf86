import { configFromEnv, createOtpKit, isOtpError } from '@otpkit/core';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createVonageEmulator } from './vonage-emulator.js';
import { vonagePlugin } from './vonage-plugin.js';

const apiKey = 'vonage-plugin-secret-key-0001';
const emulator = createVonageEmulator({ apiKey });
const server = setupServer(...emulator.handlers);
const plugins = [vonagePlugin];

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => emulator.reset());
afterAll(() => server.close());

it('sends through Vonage when OTPKIT_PROVIDER=vonage', async () => {
  const env = { OTPKIT_PROVIDER: 'vonage', VONAGE_API_KEY: apiKey, VONAGE_SENDER: 'OTPKIT' };
  const dispatcher = createOtpKit(configFromEnv(env, { plugins }), { plugins });
  const result = await dispatcher.send({ to: '+14155550123', body: 'Your code is 482913' });
  expect(result.provider).toBe('vonage');
  expect(emulator.accepted('+14155550123')).toBe(1);
  expect(emulator.requests[0]?.form.sender).toBe('OTPKIT');
  await dispatcher.close();
});

it('names a missing API key by its path', () => {
  let thrown: unknown;
  try {
    createOtpKit(configFromEnv({ OTPKIT_PROVIDER: 'vonage' }, { plugins }), { plugins });
  } catch (error) {
    thrown = error;
  }
  expect(isOtpError(thrown, 'INVALID_CONFIG')).toBe(true);
  expect((thrown as Error).message).toContain('providers.vonage.apiKey');
});
