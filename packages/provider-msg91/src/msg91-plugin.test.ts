import { configFromEnv, createOtpKit, isOtpError } from '@otpkit/core';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createMsg91Emulator } from './msg91-emulator.js';
import { msg91Plugin } from './msg91-plugin.js';

const apiKey = 'msg91-plugin-secret-key-0001';
const emulator = createMsg91Emulator({ apiKey });
const server = setupServer(...emulator.handlers);
const plugins = [msg91Plugin];

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => emulator.reset());
afterAll(() => server.close());

it('sends through Msg91 when OTPKIT_PROVIDER=msg91', async () => {
  const env = { OTPKIT_PROVIDER: 'msg91', MSG91_API_KEY: apiKey, MSG91_SENDER: 'OTPKIT' };
  const dispatcher = createOtpKit(configFromEnv(env, { plugins }), { plugins });
  const result = await dispatcher.send({ to: '+14155550123', body: 'Your code is 482913' });
  expect(result.provider).toBe('msg91');
  expect(emulator.accepted('+14155550123')).toBe(1);
  expect(emulator.requests[0]?.form.sender).toBe('OTPKIT');
  await dispatcher.close();
});

it('names a missing API key by its path', () => {
  let thrown: unknown;
  try {
    createOtpKit(configFromEnv({ OTPKIT_PROVIDER: 'msg91' }, { plugins }), { plugins });
  } catch (error) {
    thrown = error;
  }
  expect(isOtpError(thrown, 'INVALID_CONFIG')).toBe(true);
  expect((thrown as Error).message).toContain('providers.msg91.apiKey');
});
