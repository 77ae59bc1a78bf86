import { configFromEnv, createOtpKit, isOtpError } from '@otpkit/core';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createMsg91Emulator } from './msg91-emulator.js';
import { msg91Plugin } from './msg91-plugin.js';

const authKey = 'msg91-plugin-secret-key-0001';
const emulator = createMsg91Emulator({ authKey });
const server = setupServer(...emulator.handlers);
const plugins = [msg91Plugin];

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => emulator.reset());
afterAll(() => server.close());

it('sends through MSG91 when OTPKIT_PROVIDER=msg91, with the template, sender and variable of its variables', async () => {
  const env = {
    OTPKIT_PROVIDER: 'msg91',
    MSG91_AUTH_KEY: authKey,
    MSG91_TEMPLATE_ID: '6650a1b2c3d4e5f60718293a',
    MSG91_SENDER: 'OTPKIT',
    MSG91_CODE_VARIABLE: 'VAR1',
    MSG91_TIMEOUT_MS: '4000',
  };
  const dispatcher = createOtpKit(configFromEnv(env, { plugins }), { plugins });
  const result = await dispatcher.send({ to: '+919812345678', body: 'Your code is 482913' });
  expect(result.provider).toBe('msg91');
  expect(emulator.accepted('+919812345678')).toBe(1);
  expect(emulator.requests[0]?.body).toEqual({
    template_id: '6650a1b2c3d4e5f60718293a',
    sender: 'OTPKIT',
    recipients: [{ mobiles: '919812345678', VAR1: '482913' }],
  });
  await dispatcher.close();
});

it('names a missing auth key by its path', () => {
  let thrown: unknown;
  try {
    createOtpKit(configFromEnv({ OTPKIT_PROVIDER: 'msg91' }, { plugins }), { plugins });
  } catch (error) {
    thrown = error;
  }
  expect(isOtpError(thrown, 'INVALID_CONFIG')).toBe(true);
  expect((thrown as Error).message).toContain('providers.msg91.authKey');
});

it('names a wrong code variable by its path, without echoing it', () => {
  const env = { OTPKIT_PROVIDER: 'msg91', MSG91_AUTH_KEY: authKey, MSG91_CODE_VARIABLE: 'has space' };
  let thrown: unknown;
  try {
    createOtpKit(configFromEnv(env, { plugins }), { plugins });
  } catch (error) {
    thrown = error;
  }
  expect((thrown as Error).message).toContain('providers.msg91.codeVariable');
  expect((thrown as Error).message).not.toContain('has space');
});
