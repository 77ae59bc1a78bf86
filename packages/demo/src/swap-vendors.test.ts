// The promise of the library, end to end: one app function, unchanged, sends through Kaleyra, Twilio,
// Vonage or the fake when only OTPKIT_PROVIDER and the credentials change; a fallback across two real
// vendors takes over when the first is down; a routed config sends +91 through Kaleyra and +1 through
// Twilio. Every vendor is played by its msw emulator.
import { configFromEnv, createOtpKit, type Dispatcher } from '@otpkit/core';
import { createFakePlugin, createFakeProvider } from '@otpkit/provider-fake';
import { kaleyraPlugin } from '@otpkit/provider-kaleyra';
import { createKaleyraEmulator } from '@otpkit/provider-kaleyra/testing';
import { twilioPlugin } from '@otpkit/provider-twilio';
import { createTwilioEmulator } from '@otpkit/provider-twilio/testing';
import { vonagePlugin } from '@otpkit/provider-vonage';
import { createVonageEmulator } from '@otpkit/provider-vonage/testing';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

/** The app's code: knows nothing of the vendor. */
async function sendLoginCode(dispatcher: Dispatcher, phone: string) {
  const code = String(Math.floor(100000 + Math.random() * 900000));
  const result = await dispatcher.send({
    to: phone,
    body: `Your login code is ${code}`,
    templateId: '1107160000000000001',
  });
  return { code, provider: result.provider, messageId: result.messageId };
}

const KALEYRA = {
  KALEYRA_SID: 'HXSWAP0001IN',
  KALEYRA_API_KEY: 'kaleyra-swap-key',
  KALEYRA_SENDER: 'KLRHXA',
};
const TWILIO = {
  TWILIO_ACCOUNT_SID: `AC${'1f'.repeat(16)}`,
  TWILIO_AUTH_TOKEN: 'twilio-swap-token',
  TWILIO_FROM: '+15005550006',
};
const VONAGE = {
  VONAGE_API_KEY: 'vonage-swap-key',
  VONAGE_API_SECRET: 'vonage-swap-secret',
  VONAGE_FROM: 'ACME',
};

const kaleyra = createKaleyraEmulator({ sid: KALEYRA.KALEYRA_SID, apiKey: KALEYRA.KALEYRA_API_KEY });
const twilio = createTwilioEmulator({
  accountSid: TWILIO.TWILIO_ACCOUNT_SID,
  authToken: TWILIO.TWILIO_AUTH_TOKEN,
});
const vonage = createVonageEmulator({ apiKey: VONAGE.VONAGE_API_KEY, apiSecret: VONAGE.VONAGE_API_SECRET });
const server = setupServer(...kaleyra.handlers, ...twilio.handlers, ...vonage.handlers);
const fake = createFakeProvider();
const plugins = [kaleyraPlugin, twilioPlugin, vonagePlugin, createFakePlugin(fake)];
const opened: Dispatcher[] = [];

function appFromEnv(env: Record<string, string>): Dispatcher {
  // What an app writes once; only the environment differs between deployments.
  const dispatcher = createOtpKit(configFromEnv(env, { plugins }), {
    plugins,
  });
  opened.push(dispatcher);
  return dispatcher;
}

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(async () => {
  await Promise.all(opened.splice(0).map((dispatcher) => dispatcher.close()));
  kaleyra.reset();
  twilio.reset();
  vonage.reset();
  fake.reset();
});
afterAll(() => server.close());

describe('one app function, any vendor, by configuration only', () => {
  const phone = '+14155550123';

  it.each([
    ['kaleyra', KALEYRA, () => kaleyra.accepted(phone)],
    ['twilio', TWILIO, () => twilio.accepted(phone)],
    ['vonage', VONAGE, () => vonage.accepted(phone)],
    ['fake', {}, () => fake.messages.length],
  ] as const)('OTPKIT_PROVIDER=%s', async (id, credentials, acceptedByVendor) => {
    const dispatcher = appFromEnv({ OTPKIT_PROVIDER: id, ...KALEYRA, ...TWILIO, ...VONAGE, ...credentials });
    const sent = await sendLoginCode(dispatcher, phone);
    expect(sent.provider).toBe(id);
    expect(sent.messageId.length).toBeGreaterThan(0);
    expect(acceptedByVendor()).toBe(1);
  });
});

describe('fallback across two real vendors', () => {
  it('ends on Twilio when Kaleyra is down, with the same app function', async () => {
    kaleyra.failNext({ kind: 'unavailable', status: 503 }, 100);
    const dispatcher = appFromEnv({
      OTPKIT_PROVIDER: 'kaleyra',
      OTPKIT_FALLBACK: 'twilio',
      OTPKIT_RETRY_MIN_DELAY_MS: '1',
      OTPKIT_RETRY_MAX_DELAY_MS: '1',
      ...KALEYRA,
      ...TWILIO,
    });
    const failovers: string[] = [];
    dispatcher.on('failover', (event) => failovers.push(`${event.provider}>${event.nextProvider}`));
    for (const phone of ['+14155550101', '+14155550102', '+14155550103']) {
      const sent = await sendLoginCode(dispatcher, phone);
      expect(sent.provider).toBe('twilio');
      expect(twilio.accepted(phone)).toBe(1);
    }
    expect(failovers).toEqual(['kaleyra>twilio', 'kaleyra>twilio', 'kaleyra>twilio']);
    expect(kaleyra.accepted()).toBe(0);
  });

  it('ends on Vonage when Twilio cannot be reached (fail-fast, no retry on Twilio)', async () => {
    twilio.failNext({ kind: 'network' }, 10);
    const dispatcher = appFromEnv({
      OTPKIT_PROVIDER: 'twilio',
      OTPKIT_FALLBACK: 'vonage',
      ...TWILIO,
      ...VONAGE,
    });
    const sent = await sendLoginCode(dispatcher, '+447700900123');
    expect(sent.provider).toBe('vonage');
    expect(twilio.requests).toHaveLength(1);
  });
});

describe('routing by destination', () => {
  it('sends +91 through Kaleyra and +1 through Twilio, others through the top-level provider', async () => {
    const dispatcher = appFromEnv({
      OTPKIT_PROVIDER: 'vonage',
      OTPKIT_ROUTES: '+91=kaleyra,twilio;+1=twilio',
      ...KALEYRA,
      ...TWILIO,
      ...VONAGE,
    });
    expect((await sendLoginCode(dispatcher, '+919876543210')).provider).toBe('kaleyra');
    expect((await sendLoginCode(dispatcher, '+14155550123')).provider).toBe('twilio');
    expect((await sendLoginCode(dispatcher, '+447700900123')).provider).toBe('vonage');
    expect(kaleyra.accepted('+919876543210')).toBe(1);
    expect(twilio.accepted('+14155550123')).toBe(1);
  });
});
