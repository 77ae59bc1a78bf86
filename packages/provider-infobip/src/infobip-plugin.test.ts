import { configFromEnv, createOtpKit, isOtpError } from '@otpkit/core';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createInfobipEmulator } from './infobip-emulator.js';
import { infobipPlugin } from './infobip-plugin.js';

const apiKey = 'infobip-plugin-secret-key-0001';
const emulator = createInfobipEmulator({ apiKey, baseUrl: 'https://y2kq8.api.infobip.com' });
const server = setupServer(...emulator.handlers);
const plugins = [infobipPlugin];

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => emulator.reset());
afterAll(() => server.close());

it('sends through Infobip when OTPKIT_PROVIDER=infobip; a bare INFOBIP_BASE_URL host gets https://', async () => {
  const env = {
    OTPKIT_PROVIDER: 'infobip',
    INFOBIP_API_KEY: apiKey,
    INFOBIP_BASE_URL: 'y2kq8.api.infobip.com',
    INFOBIP_SENDER: 'OTPKIT',
    INFOBIP_CALLBACK_URL: 'https://app.example.com/infobip/dlr',
    INFOBIP_PRINCIPAL_ENTITY_ID: '1101456789012345678',
    INFOBIP_TIMEOUT_MS: '5000',
  };
  const dispatcher = createOtpKit(configFromEnv(env, { plugins }), { plugins });
  const result = await dispatcher.send({
    to: '+919876543210',
    body: 'Your code is 482913',
    templateId: '1107',
  });
  expect(result.provider).toBe('infobip');
  expect(emulator.accepted('919876543210')).toBe(1);
  expect(emulator.requests[0]!.body).toMatchObject({
    messages: [
      {
        sender: 'OTPKIT',
        options: {
          regional: { indiaDlt: { principalEntityId: '1101456789012345678', contentTemplateId: '1107' } },
        },
        webhooks: { delivery: { url: 'https://app.example.com/infobip/dlr' } },
      },
    ],
  });
  await dispatcher.close();
});

it('names a missing API key and base URL by their paths', () => {
  let thrown: unknown;
  try {
    createOtpKit(configFromEnv({ OTPKIT_PROVIDER: 'infobip' }, { plugins }), { plugins });
  } catch (error) {
    thrown = error;
  }
  expect(isOtpError(thrown, 'INVALID_CONFIG')).toBe(true);
  expect((thrown as Error).message).toContain('providers.infobip.apiKey');
  expect((thrown as Error).message).toContain('providers.infobip.baseUrl');
});
