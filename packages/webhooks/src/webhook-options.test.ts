import { createDispatcher, type DeliveryReport, OtpError } from '@otpkit/core';
import { createFakeProvider } from '@otpkit/provider-fake';
import { describe, expect, it } from 'vitest';
import { KALEYRA_TOKEN, TWILIO_AUTH_TOKEN } from './__fixtures__/rig.js';
import { infobipWebhook } from './infobip.js';
import { kaleyraWebhook } from './kaleyra.js';
import { msg91Webhook } from './msg91.js';
import { plivoWebhook } from './plivo.js';
import { sinchWebhook } from './sinch.js';
import { telnyxWebhook } from './telnyx.js';
import { twilioWebhook } from './twilio.js';
import { vonageWebhook } from './vonage.js';
import { createWebhookHandler } from './webhook-handler.js';
import { withCallbackUrl } from './with-callback-url.js';

const thrown = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error as Error & { code?: string; issues?: { path: string }[] };
  }
  throw new Error('expected a throw');
};
/** A well-formed Ed25519 public key (32 bytes, base64). */
const TELNYX_KEY = Buffer.alloc(32, 7).toString('base64');
const dispatcher = createDispatcher({ providers: [createFakeProvider()] });
const twilio = twilioWebhook({ authToken: TWILIO_AUTH_TOKEN, publicUrl: 'https://a.example/otpkit/twilio' });

describe('webhook options', () => {
  it('refuses wrong handler options with INVALID_CONFIG naming each field', () => {
    const error = thrown(() =>
      createWebhookHandler({
        dispatcher: {} as never,
        providers: [twilio, twilio],
        basePath: 'no slash',
        maxBodyBytes: 0,
        provider: 'nobody',
      }),
    );
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.issues?.map((issue) => issue.path)).toEqual([
      'dispatcher',
      'providers.1',
      'basePath',
      'provider',
      'maxBodyBytes',
    ]);
  });

  it('refuses wrong adapter options naming the field, never echoing the value', () => {
    const short = 'short-token';
    const cases = [
      [() => kaleyraWebhook({ token: short, publicUrl: 'https://a.example/k' }), 'token'],
      [() => kaleyraWebhook({ token: KALEYRA_TOKEN, publicUrl: 'ftp://a.example/k' }), 'publicUrl'],
      [() => twilioWebhook({ authToken: '', publicUrl: 'https://a.example/t' }), 'authToken'],
      [() => vonageWebhook({ signatureSecret: '', publicUrl: 'https://a.example/v' }), 'signatureSecret'],
      [
        () =>
          vonageWebhook({
            signatureSecret: 's',
            token: KALEYRA_TOKEN,
            publicUrl: 'https://a.example/v',
          } as never),
        'token',
      ],
      [() => msg91Webhook({ token: short, publicUrl: 'https://a.example/m' }), 'token'],
      [() => msg91Webhook({ token: KALEYRA_TOKEN, publicUrl: 'https://u:p@a.example/m' }), 'publicUrl'],
      [() => infobipWebhook({ token: short, publicUrl: 'https://a.example/i' }), 'token'],
      [() => plivoWebhook({ authToken: ' ', publicUrl: 'https://a.example/p' }), 'authToken'],
      [() => plivoWebhook({ authToken: KALEYRA_TOKEN, publicUrl: 'https://a.example/p#x' }), 'publicUrl'],
      [() => sinchWebhook({ webhookSecret: '', publicUrl: 'https://a.example/s' }), 'webhookSecret'],
      [
        () => sinchWebhook({ webhookSecret: KALEYRA_TOKEN, maxAgeMs: -1, publicUrl: 'https://a.example/s' }),
        'maxAgeMs',
      ],
      [() => telnyxWebhook({ publicKey: short, publicUrl: 'https://a.example/t' }), 'publicKey'],
      [
        () =>
          telnyxWebhook({ publicKey: TELNYX_KEY, maxAgeMs: Number.NaN, publicUrl: 'https://a.example/t' }),
        'maxAgeMs',
      ],
      [() => telnyxWebhook({ publicKey: TELNYX_KEY, publicUrl: 'not a url' }), 'publicUrl'],
      [() => withCallbackUrl(createFakeProvider(), 'not a url'), 'url'],
    ] as const;
    for (const [run, field] of cases) {
      const error = thrown(run);
      expect(error.code).toBe('INVALID_CONFIG');
      expect(error.message.startsWith(`${field}:`)).toBe(true);
      expect(error.message).not.toContain(short);
      expect(error.message).not.toContain(KALEYRA_TOKEN);
      if (field !== 'url') expect(error.issues?.map((issue) => issue.path)).toEqual([field]);
    }
  });

  it('routes everything to `provider` when given, and exposes its body limit', async () => {
    const handle = createWebhookHandler({
      dispatcher,
      providers: [twilio],
      provider: 'twilio',
      maxBodyBytes: 1000,
    });
    expect(handle.maxBodyBytes).toBe(1000);
    expect(
      (await handle(new Request('https://a.example/anything', { method: 'POST', body: 'a=1' }))).status,
    ).toBe(401);
    expect((await handle(new Request('https://a.example/anything'))).status).toBe(405);
  });

  it('withCallbackUrl sends every message with the route of its own vendor, and keeps the rest', async () => {
    const fake = createFakeProvider();
    const wrapped = withCallbackUrl(fake, 'https://a.example/otpkit/fake');
    await wrapped.send(
      { to: '+14155550123', body: 'code 123456', callbackUrl: 'https://other.example' },
      {
        signal: new AbortController().signal,
        attempt: 1,
      },
    );
    expect(wrapped.id).toBe('fake');
    expect(wrapped.messages[0]?.callbackUrl).toBe('https://a.example/otpkit/fake');
    expect(wrapped.lastCode('+14155550123')).toBe('123456');
  });

  it('records every report of a many-report call with the verifier, skipping the ones it refuses', async () => {
    const report = (messageId: string): DeliveryReport => ({
      provider: 'many',
      messageId,
      status: 'delivered',
      providerStatus: 'DELIVERED',
      at: new Date(),
    });
    const hook = {
      id: 'many',
      methods: ['POST'],
      authenticate: () => true,
      parse: () => [report('m-1'), report('m-2')],
    };
    const seen: string[] = [];
    const answer = async (refuse: (id: string) => Error | undefined) => {
      const verifier = {
        async report(input: DeliveryReport) {
          const error = refuse(input.messageId);
          if (error) throw error;
          seen.push(input.messageId);
        },
      };
      const handle = createWebhookHandler({ dispatcher, verifier, providers: [hook], onError: () => {} });
      return (await handle(new Request('https://a.example/otpkit/many', { method: 'POST', body: 'x' })))
        .status;
    };
    const invalid = new OtpError('INVALID_INPUT', 'no report');
    expect(await answer((id) => (id === 'm-1' ? invalid : undefined))).toBe(204);
    expect(seen).toEqual(['m-2']);
    expect(await answer(() => invalid)).toBe(400);
    expect(await answer(() => new OtpError('STORE_UNAVAILABLE', 'down'))).toBe(503);
  });
});
