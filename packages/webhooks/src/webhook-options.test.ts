import { createDispatcher } from '@otpkit/core';
import { createFakeProvider } from '@otpkit/provider-fake';
import { describe, expect, it } from 'vitest';
import { KALEYRA_TOKEN, TWILIO_AUTH_TOKEN } from './__fixtures__/rig.js';
import { kaleyraWebhook } from './kaleyra.js';
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
      [() => withCallbackUrl(createFakeProvider(), 'not a url'), 'url'],
    ] as const;
    for (const [run, field] of cases) {
      const error = thrown(run);
      expect(error.code).toBe('INVALID_CONFIG');
      expect(error.message.startsWith(`${field}:`)).toBe(true);
      expect(error.message).not.toContain(short);
      expect(error.message).not.toContain(KALEYRA_TOKEN);
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
});
