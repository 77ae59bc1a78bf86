import { configFromEnv, createOtpKit, isOtpError } from '@otpkit/core';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { create__Name__Emulator } from './__id__-emulator.js';
import { __name__Plugin } from './__id__-plugin.js';

const apiKey = '__id__-plugin-secret-key-0001';
const emulator = create__Name__Emulator({ apiKey });
const server = setupServer(...emulator.handlers);
const plugins = [__name__Plugin];

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => emulator.reset());
afterAll(() => server.close());

it('sends through __Name__ when OTPKIT_PROVIDER=__id__', async () => {
  const env = { OTPKIT_PROVIDER: '__id__', __ID___API_KEY: apiKey, __ID___SENDER: 'OTPKIT' };
  const dispatcher = createOtpKit(configFromEnv(env, { plugins }), { plugins });
  const result = await dispatcher.send({ to: '+14155550123', body: 'Your code is 482913' });
  expect(result.provider).toBe('__id__');
  expect(emulator.accepted('+14155550123')).toBe(1);
  expect(emulator.requests[0]?.form.sender).toBe('OTPKIT');
  await dispatcher.close();
});

it('names a missing API key by its path', () => {
  let thrown: unknown;
  try {
    createOtpKit(configFromEnv({ OTPKIT_PROVIDER: '__id__' }, { plugins }), { plugins });
  } catch (error) {
    thrown = error;
  }
  expect(isOtpError(thrown, 'INVALID_CONFIG')).toBe(true);
  expect((thrown as Error).message).toContain('providers.__id__.apiKey');
});
