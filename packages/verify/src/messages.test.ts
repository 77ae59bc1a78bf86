import { describe, expect, it } from 'vitest';
import { harness, TO } from './__fixtures__/harness.js';
import { createMessageComposer, type MessageSettings } from './messages.js';
import { createVerifier } from './verifier.js';

const settings = (extra: Partial<MessageSettings> = {}): MessageSettings => ({
  messages: undefined,
  defaultLocale: 'en',
  appName: undefined,
  ttlMs: 600_000,
  webOtp: undefined,
  appHash: undefined,
  ...extra,
});

describe('messages', () => {
  it('fills {code}, {minutes} and {app}', () => {
    const compose = createMessageComposer(
      settings({
        messages: { en: '{app}: {code} ({minutes} min). {code} again.' },
        appName: 'Acme',
        ttlMs: 90_000,
      }),
    );
    expect(compose('482913', undefined)).toEqual({ body: 'Acme: 482913 (2 min). 482913 again.' });
  });

  it('uses the default texts, with the app name when given', () => {
    expect(createMessageComposer(settings())('482913', 'en').body).toBe(
      'Your verification code is 482913. It expires in 10 minutes.',
    );
    expect(createMessageComposer(settings({ appName: 'Acme' }))('482913', 'fr').body).toBe(
      'Your Acme verification code is 482913. It expires in 10 minutes.',
    );
  });

  it('falls back pt-BR → pt → the default locale, case-insensitively', () => {
    const compose = createMessageComposer(
      settings({ messages: { en: 'Code {code}', pt: 'Código {code}', 'pt-BR': 'Seu código {code}' } }),
    );
    expect(compose('1234', 'pt-BR').body).toBe('Seu código 1234');
    expect(compose('1234', 'pt-br').body).toBe('Seu código 1234');
    expect(compose('1234', 'pt-PT').body).toBe('Código 1234');
    expect(compose('1234', 'pt').body).toBe('Código 1234');
    expect(compose('1234', 'de-AT').body).toBe('Code 1234');
    expect(compose('1234', undefined).body).toBe('Code 1234');
  });

  it('carries the DLT templateId of the locale chosen', () => {
    const compose = createMessageComposer(
      settings({
        messages: {
          en: { text: 'Your code is {code}', templateId: '1207160000000000001' },
          hi: { text: 'आपका कोड {code} है', templateId: '1207160000000000002' },
        },
      }),
    );
    expect(compose('1234', 'hi')).toEqual({ body: 'आपका कोड 1234 है', templateId: '1207160000000000002' });
    expect(compose('1234', 'hi-IN').templateId).toBe('1207160000000000002');
    expect(compose('1234', 'ta').templateId).toBe('1207160000000000001');
  });

  it('takes a function of { code, minutes, locale, app }', () => {
    const compose = createMessageComposer(
      settings({
        messages: ({ code, minutes, locale, app }) => ({
          text: `${app}|${locale}|${minutes}|${code}`,
          templateId: 't-1',
        }),
        appName: 'Acme',
      }),
    );
    expect(compose('1234', 'hi')).toEqual({ body: 'Acme|hi|10|1234', templateId: 't-1' });
    expect(compose('1234', undefined).body).toBe('Acme|en|10|1234');
  });

  it('refuses, with INVALID_CONFIG and without the text, a function that leaves out the code or throws', () => {
    const without = createMessageComposer(settings({ messages: () => 'no code here' }));
    expect(() => without('482913', 'en')).toThrow(
      expect.objectContaining({
        code: 'INVALID_CONFIG',
        message: 'messages: the message function returned a text without the code',
      }),
    );
    const throwing = createMessageComposer(
      settings({
        messages: ({ code }) => {
          throw new TypeError(`bad ${code}`);
        },
      }),
    );
    let message = '';
    try {
      throwing('482913', 'en');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe('messages: the message function threw (TypeError)');
  });

  it('appends the WebOTP line as the last line: @domain #code', () => {
    const compose = createMessageComposer(settings({ webOtp: { domain: 'example.com' } }));
    const body = compose('482913', 'en').body;
    expect(body.split('\n').at(-1)).toBe('@example.com #482913');
    expect(body).toBe('Your verification code is 482913. It expires in 10 minutes.\n\n@example.com #482913');
  });

  it("appends Android's app hash on its own last line", () => {
    const body = createMessageComposer(settings({ appHash: 'FA+9qCX9VSu' }))('482913', 'en').body;
    expect(body.split('\n').at(-1)).toBe('FA+9qCX9VSu');
  });

  it('a start refused by a function message counts toward nothing and sends nothing', async () => {
    const h = harness();
    const broken = createVerifier({
      dispatcher: h.dispatcher,
      secret: 'x'.repeat(32),
      store: h.store,
      messages: () => 'oops',
      now: () => h.now,
    });
    await expect(broken.start({ to: TO })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    expect(h.fake.calls).toBe(0);
    await h.verifier.start({ to: TO });
  });

  it('the verifier sends the locale text with its templateId through the dispatcher', async () => {
    const h = harness({ messages: { en: 'Code {code}', hi: { text: 'कोड {code}', templateId: '1207' } } });
    await h.verifier.start({ to: '+919876543210', locale: 'hi' });
    expect(h.fake.lastMessage()).toMatchObject({ templateId: '1207' });
    expect(h.fake.lastMessage()!.body).toMatch(/^कोड \d{6}$/);
  });
});
