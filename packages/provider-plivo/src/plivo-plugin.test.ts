import { configFromEnv, createOtpKit, isOtpError } from '@otpkit/core';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createPlivoEmulator } from './plivo-emulator.js';
import { plivoPlugin } from './plivo-plugin.js';

const credentials = { authId: 'MAPLUGIN000000000001', authToken: 'Plivo-plugin-secret-token-0001' };
const emulator = createPlivoEmulator(credentials);
const server = setupServer(...emulator.handlers);
const plugins = [plivoPlugin];

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => emulator.reset());
afterAll(() => server.close());

const failure = (env: Record<string, string>) => {
  try {
    createOtpKit(configFromEnv(env, { plugins }), { plugins });
  } catch (error) {
    if (isOtpError(error, 'INVALID_CONFIG')) return error.message;
  }
  throw new Error('expected INVALID_CONFIG');
};

it('sends through Plivo when OTPKIT_PROVIDER=plivo, with every variable', async () => {
  const env = {
    OTPKIT_PROVIDER: 'plivo',
    PLIVO_AUTH_ID: credentials.authId,
    PLIVO_AUTH_TOKEN: credentials.authToken,
    PLIVO_SRC: 'OTPKIT',
    PLIVO_CALLBACK_URL: 'https://app.example/plivo/status',
    PLIVO_DLT_ENTITY_ID: '1201159000000000001',
    PLIVO_DLT_TEMPLATE_ID: '1207161000000000001',
    PLIVO_DLT_TEMPLATE_CATEGORY: 'service_implicit',
    PLIVO_TIMEOUT_MS: '4000',
  };
  const dispatcher = createOtpKit(configFromEnv(env, { plugins }), { plugins });
  const result = await dispatcher.send({ to: '+919812345678', body: 'Your code is 482913' });
  expect(result.provider).toBe('plivo');
  expect(emulator.accepted('+919812345678')).toBe(1);
  expect(emulator.requests[0]?.form).toMatchObject({
    src: 'OTPKIT',
    url: 'https://app.example/plivo/status',
    method: 'POST',
    dlt_entity_id: '1201159000000000001',
    dlt_template_id: '1207161000000000001',
    dlt_template_category: 'service_implicit',
  });
  await dispatcher.close();
});

it('names a missing Auth ID and Auth Token by their paths', () => {
  const message = failure({ OTPKIT_PROVIDER: 'plivo' });
  expect(message).toContain('providers.plivo.authId');
  expect(message).toContain('providers.plivo.authToken');
});

it('refuses src and a powerpack together, and an unknown DLT category, without echoing them', () => {
  const message = failure({
    OTPKIT_PROVIDER: 'plivo',
    PLIVO_AUTH_ID: credentials.authId,
    PLIVO_AUTH_TOKEN: credentials.authToken,
    PLIVO_SRC: 'OTPKIT',
    PLIVO_POWERPACK_UUID: 'c5a5d3a8-52a4-4f5e-9d43-5d6f1e0c1a2b',
    PLIVO_DLT_TEMPLATE_CATEGORY: 'spam-please',
  });
  expect(message).toContain('providers.plivo.src');
  expect(message).toContain('providers.plivo.dltTemplateCategory');
  expect(message).not.toContain('spam-please');
});
