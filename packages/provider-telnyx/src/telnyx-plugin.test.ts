import { configFromEnv, createOtpKit, isOtpError } from '@otpkit/core';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createTelnyxEmulator } from './telnyx-emulator.js';
import { telnyxPlugin } from './telnyx-plugin.js';
import { createTelnyxProvider } from './telnyx-provider.js';

const apiKey = 'KEY-telnyx-plugin-secret-0001';
const emulator = createTelnyxEmulator({ apiKey });
const server = setupServer(...emulator.handlers);
const plugins = [telnyxPlugin];
const PROFILE = '4000eba1-a0c0-4563-9925-b25e842a7cb6';

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => emulator.reset());
afterAll(() => server.close());

const errorOf = (build: () => unknown) => {
  try {
    build();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
};

it('sends through Telnyx when OTPKIT_PROVIDER=telnyx, with every variable', async () => {
  const env = {
    OTPKIT_PROVIDER: 'telnyx',
    TELNYX_API_KEY: apiKey,
    TELNYX_FROM: '+15005550006',
    TELNYX_MESSAGING_PROFILE_ID: PROFILE,
    TELNYX_WEBHOOK_URL: 'https://app.example.com/telnyx',
    TELNYX_WEBHOOK_FAILOVER_URL: 'https://backup.example.com/telnyx',
    TELNYX_PUBLIC_KEY: emulator.publicKey,
    TELNYX_TIMEOUT_MS: '5000',
  };
  const dispatcher = createOtpKit(configFromEnv(env, { plugins }), { plugins });
  const result = await dispatcher.send({ to: '+14155550123', body: 'Your code is 482913' });
  expect(result.provider).toBe('telnyx');
  expect(emulator.accepted('+14155550123')).toBe(1);
  expect(emulator.requests[0]?.form).toMatchObject({
    from: '+15005550006',
    messaging_profile_id: PROFILE,
    webhook_url: 'https://app.example.com/telnyx',
    webhook_failover_url: 'https://backup.example.com/telnyx',
  });
  await dispatcher.close();
});

it('names a missing API key, and a missing sender, by their paths', () => {
  const noKey = errorOf(() =>
    createOtpKit(configFromEnv({ OTPKIT_PROVIDER: 'telnyx', TELNYX_FROM: '+15005550006' }, { plugins }), {
      plugins,
    }),
  );
  expect(isOtpError(noKey, 'INVALID_CONFIG')).toBe(true);
  expect(noKey.message).toContain('providers.telnyx.apiKey');
  const noSender = errorOf(() =>
    createOtpKit(configFromEnv({ OTPKIT_PROVIDER: 'telnyx', TELNYX_API_KEY: apiKey }, { plugins }), {
      plugins,
    }),
  );
  expect(noSender.message).toContain('providers.telnyx.from');
  expect(noSender.message).not.toContain(apiKey);
});

it("verifies the emulator's webhooks with TELNYX_PUBLIC_KEY, and needs the key to", () => {
  const provider = createTelnyxProvider({ apiKey, from: '+15005550006', publicKey: emulator.publicKey });
  const { body, headers } = emulator.webhook('msg-1', 'delivered');
  expect(provider.verifyWebhook(body, headers)).toBe(true);
  expect(provider.verifyWebhook(body.replace('delivered', 'delivery_failed'), headers)).toBe(false);
  expect(provider.parseDeliveryReport(body)).toMatchObject({ messageId: 'msg-1', status: 'delivered' });
  const keyless = createTelnyxProvider({ apiKey, from: '+15005550006' });
  expect(
    isOtpError(
      errorOf(() => keyless.verifyWebhook(body, headers)),
      'INVALID_CONFIG',
    ),
  ).toBe(true);
});
