// The promise of the library, end to end: one app function, unchanged, sends through every vendor
// package of the repository (and the fake) when only OTPKIT_PROVIDER and the credentials change; a
// fallback across two real vendors takes over when the first is down; a routed config sends +91
// through Kaleyra and +1 through Twilio. Every vendor is played by its msw emulator.
import { readdirSync } from 'node:fs';
import { configFromEnv, createOtpKit, type Dispatcher, type ProviderPlugin } from '@otpkit/core';
import { createFakePlugin, createFakeProvider } from '@otpkit/provider-fake';
import { infobipPlugin } from '@otpkit/provider-infobip';
import { createInfobipEmulator } from '@otpkit/provider-infobip/testing';
import { kaleyraPlugin } from '@otpkit/provider-kaleyra';
import { createKaleyraEmulator } from '@otpkit/provider-kaleyra/testing';
import { msg91Plugin } from '@otpkit/provider-msg91';
import { createMsg91Emulator } from '@otpkit/provider-msg91/testing';
import { plivoPlugin } from '@otpkit/provider-plivo';
import { createPlivoEmulator } from '@otpkit/provider-plivo/testing';
import { sinchPlugin } from '@otpkit/provider-sinch';
import { createSinchEmulator } from '@otpkit/provider-sinch/testing';
import { telnyxPlugin } from '@otpkit/provider-telnyx';
import { createTelnyxEmulator } from '@otpkit/provider-telnyx/testing';
import { twilioPlugin } from '@otpkit/provider-twilio';
import { createTwilioEmulator } from '@otpkit/provider-twilio/testing';
import { vonagePlugin } from '@otpkit/provider-vonage';
import { createVonageEmulator } from '@otpkit/provider-vonage/testing';
import type { RequestHandler } from 'msw';
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

/** What the test knows of a vendor: its plugin, its variables, and its emulator. */
interface Vendor {
  plugin: ProviderPlugin;
  env: Record<string, string>;
  emulator: { readonly handlers: readonly unknown[]; accepted(to?: string): number; reset(): void };
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
const SINCH = {
  SINCH_SERVICE_PLAN_ID: 'swapplan0001',
  SINCH_API_TOKEN: 'sinch-swap-token',
  SINCH_FROM: '+15005550006',
};
const INFOBIP = {
  INFOBIP_API_KEY: 'infobip-swap-key',
  INFOBIP_BASE_URL: 'https://swap1.api.infobip.com',
  INFOBIP_SENDER: 'InfoSMS',
};
const MSG91 = { MSG91_AUTH_KEY: 'msg91-swap-authkey', MSG91_SENDER: 'OTPKIT' };
const PLIVO = {
  PLIVO_AUTH_ID: 'MASWAP00000000000001',
  PLIVO_AUTH_TOKEN: 'plivo-swap-token',
  PLIVO_SRC: '+15005550006',
};
const TELNYX = { TELNYX_API_KEY: 'KEY-telnyx-swap', TELNYX_FROM: '+15005550006' };

const kaleyra = createKaleyraEmulator({ sid: KALEYRA.KALEYRA_SID, apiKey: KALEYRA.KALEYRA_API_KEY });
const twilio = createTwilioEmulator({
  accountSid: TWILIO.TWILIO_ACCOUNT_SID,
  authToken: TWILIO.TWILIO_AUTH_TOKEN,
});
const vonage = createVonageEmulator({ apiKey: VONAGE.VONAGE_API_KEY, apiSecret: VONAGE.VONAGE_API_SECRET });

/**
 * Every vendor package, by id. A new `packages/provider-<id>` shows up below as a skipped case until it
 * has a row here.
 */
const VENDORS: Record<string, Vendor> = {
  kaleyra: { plugin: kaleyraPlugin, env: KALEYRA, emulator: kaleyra },
  twilio: { plugin: twilioPlugin, env: TWILIO, emulator: twilio },
  vonage: { plugin: vonagePlugin, env: VONAGE, emulator: vonage },
  infobip: {
    plugin: infobipPlugin,
    env: INFOBIP,
    emulator: createInfobipEmulator({ apiKey: INFOBIP.INFOBIP_API_KEY, baseUrl: INFOBIP.INFOBIP_BASE_URL }),
  },
  msg91: {
    plugin: msg91Plugin,
    env: MSG91,
    emulator: createMsg91Emulator({ authKey: MSG91.MSG91_AUTH_KEY }),
  },
  plivo: {
    plugin: plivoPlugin,
    env: PLIVO,
    emulator: createPlivoEmulator({ authId: PLIVO.PLIVO_AUTH_ID, authToken: PLIVO.PLIVO_AUTH_TOKEN }),
  },
  sinch: {
    plugin: sinchPlugin,
    env: SINCH,
    emulator: createSinchEmulator({
      servicePlanId: SINCH.SINCH_SERVICE_PLAN_ID,
      apiToken: SINCH.SINCH_API_TOKEN,
    }),
  },
  telnyx: {
    plugin: telnyxPlugin,
    env: TELNYX,
    emulator: createTelnyxEmulator({ apiKey: TELNYX.TELNYX_API_KEY }),
  },
};

/** The vendor packages of the repository: each `packages/provider-<id>` with an emulator. */
const PACKAGES = readdirSync(new URL('../../', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && /^provider-/.test(entry.name))
  .map((entry) => entry.name.slice('provider-'.length))
  .filter((id) => readdirSync(new URL(`../../provider-${id}/src/`, import.meta.url)).includes('testing.ts'))
  .sort();

const ALL_ENV = Object.assign({}, ...Object.values(VENDORS).map((vendor) => vendor.env)) as Record<
  string,
  string
>;
const server = setupServer(
  ...Object.values(VENDORS).flatMap((vendor) => vendor.emulator.handlers as RequestHandler[]),
);
const fake = createFakeProvider();
const plugins = [...Object.values(VENDORS).map((vendor) => vendor.plugin), createFakePlugin(fake)];
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
  for (const vendor of Object.values(VENDORS)) vendor.emulator.reset();
  fake.reset();
});
afterAll(() => server.close());

describe('one app function, any vendor, by configuration only', () => {
  const phone = '+14155550123';

  it('knows every vendor package of the repository, the eight of the issue among them', () => {
    const eight = ['infobip', 'kaleyra', 'msg91', 'plivo', 'sinch', 'telnyx', 'twilio', 'vonage'];
    expect(PACKAGES).toEqual(expect.arrayContaining(eight));
    expect(Object.keys(VENDORS).sort()).toEqual(expect.arrayContaining(eight));
    for (const id of Object.keys(VENDORS)) expect(PACKAGES).toContain(id);
  });

  for (const id of PACKAGES) {
    const vendor = VENDORS[id];
    // A vendor package without a row is skipped, visibly, until it gets one.
    (vendor === undefined ? it.skip : it)(`OTPKIT_PROVIDER=${id}`, async () => {
      const dispatcher = appFromEnv({ OTPKIT_PROVIDER: id, ...ALL_ENV });
      const sent = await sendLoginCode(dispatcher, phone);
      expect(sent.provider).toBe(id);
      expect(sent.messageId.length).toBeGreaterThan(0);
      expect(vendor!.emulator.accepted(phone)).toBe(1);
      for (const [other, { emulator }] of Object.entries(VENDORS)) {
        if (other !== id) expect([other, emulator.accepted()]).toEqual([other, 0]);
      }
    });
  }

  it('OTPKIT_PROVIDER=fake', async () => {
    const sent = await sendLoginCode(appFromEnv({ OTPKIT_PROVIDER: 'fake', ...ALL_ENV }), phone);
    expect(sent.provider).toBe('fake');
    expect(fake.messages).toHaveLength(1);
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
