import { configFromEnv, createOtpKit, isOtpError } from '@otpkit/core';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createSinchEmulator } from './sinch-emulator.js';
import { sinchPlugin } from './sinch-plugin.js';

const credentials = { servicePlanId: 'pluginplan0001', apiToken: 'sinch-plugin-token-0001' };
const emulator = createSinchEmulator({ ...credentials, baseUrl: 'https://eu.sms.api.sinch.com' });
const server = setupServer(...emulator.handlers);
const plugins = [sinchPlugin];

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => emulator.reset());
afterAll(() => server.close());

it('sends through Sinch when OTPKIT_PROVIDER=sinch, every option from its variable', async () => {
  const env = {
    OTPKIT_PROVIDER: 'sinch',
    SINCH_SERVICE_PLAN_ID: credentials.servicePlanId,
    SINCH_API_TOKEN: credentials.apiToken,
    SINCH_FROM: '+12015550100',
    SINCH_REGION: 'eu',
    SINCH_CALLBACK_URL: 'https://app.example.com/sinch/dlr',
    SINCH_DELIVERY_REPORT: 'per_recipient',
    SINCH_TIMEOUT_MS: '5000',
  };
  const dispatcher = createOtpKit(configFromEnv(env, { plugins }), { plugins });
  const result = await dispatcher.send({ to: '+14155550123', body: 'Your code is 482913' });
  expect(result.provider).toBe('sinch');
  expect(emulator.accepted('+14155550123')).toBe(1);
  const request = emulator.requests[0]!;
  expect(request.path).toBe('/xms/v1/pluginplan0001/batches');
  expect(request.form).toMatchObject({
    from: '+12015550100',
    callback_url: 'https://app.example.com/sinch/dlr',
    delivery_report: 'per_recipient',
  });
  await dispatcher.close();
});

it('names a missing service plan id and API token by their paths', () => {
  let thrown: unknown;
  try {
    createOtpKit(configFromEnv({ OTPKIT_PROVIDER: 'sinch' }, { plugins }), { plugins });
  } catch (error) {
    thrown = error;
  }
  expect(isOtpError(thrown, 'INVALID_CONFIG')).toBe(true);
  expect((thrown as Error).message).toContain('providers.sinch.servicePlanId');
  expect((thrown as Error).message).toContain('providers.sinch.apiToken');
});
