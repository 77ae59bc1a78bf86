import { createDispatcher, isOtpError, type OtpError } from '@otpkit/core';
import { createFakeProvider } from '@otpkit/provider-fake';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from './memory-store.js';
import { createVerifier } from './verifier.js';
import { resolveVerifierOptions, VERIFIER_DEFAULTS, type VerifierOptions } from './verifier-options.js';

const dispatcher = createDispatcher({ providers: [createFakeProvider()] });
const SECRET = 'a-secret-of-at-least-32-bytes-0123456789';

function configError(options: unknown): OtpError {
  try {
    createVerifier(options as VerifierOptions);
  } catch (error) {
    if (isOtpError(error, 'INVALID_CONFIG')) return error;
    throw error;
  }
  throw new Error('expected INVALID_CONFIG');
}
const paths = (error: OtpError) => error.issues!.map((issue) => issue.path);

describe('createVerifier options', () => {
  it('fills in the documented defaults', () => {
    const resolved = resolveVerifierOptions({ dispatcher, secret: SECRET });
    expect(resolved).toMatchObject({
      codeLength: 6,
      ttlMs: 600_000,
      maxAttempts: 5,
      resendAfterMs: 30_000,
      maxSends: { count: 5, windowMs: 600_000 },
      maxSendsPerKey: { count: 10, windowMs: 600_000 },
      prefixLimits: [],
      allowedPrefixes: undefined,
      blockedPrefixes: [],
      pumpingGuard: undefined,
      defaultLocale: 'en',
      now: Date.now,
    });
    expect(resolveVerifierOptions({ dispatcher, secret: SECRET, pumpingGuard: true }).pumpingGuard).toEqual(
      VERIFIER_DEFAULTS.pumpingGuard,
    );
    expect(
      resolveVerifierOptions({ dispatcher, secret: SECRET, pumpingGuard: { minSends: 3 } }).pumpingGuard,
    ).toEqual({ ...VERIFIER_DEFAULTS.pumpingGuard, minSends: 3 });
  });

  it('requires dispatcher and secret', () => {
    const error = configError({});
    expect(paths(error)).toEqual(['secret', 'dispatcher']);
    expect(configError(undefined).message).toMatch(/^Invalid verifier options: /);
  });

  it('refuses a secret shorter than 32 bytes, never echoing it', () => {
    const short = 'hunter2-is-not-a-secret';
    const error = configError({ dispatcher, secret: short });
    expect(error.issues).toEqual([
      {
        path: 'secret',
        message: 'expected a string or bytes of at least 32 bytes (e.g. openssl rand -base64 32)',
      },
    ]);
    expect(JSON.stringify(error.toJSON())).not.toContain(short);
    expect(error.message).not.toContain(short);
    expect(paths(configError({ dispatcher, secret: new Uint8Array(31) }))).toEqual(['secret']);
    expect(() => createVerifier({ dispatcher, secret: new Uint8Array(32) })).not.toThrow();
    expect(paths(configError({ dispatcher, secret: 1234567890 }))).toEqual(['secret']);
  });

  it('names each bad field at once', () => {
    const error = configError({
      dispatcher: {},
      secret: SECRET,
      store: { begin() {} },
      codeLength: 3,
      ttlMs: 0,
      maxAttempts: 1.5,
      resendAfterMs: -1,
      maxSends: { count: 0, windowMs: 600_000 },
      maxSendsPerKey: { count: 1 },
      prefixLimits: [{ prefix: '44', count: 1, windowMs: 1_000 }],
      allowedPrefixes: ['+'],
      blockedPrefixes: 'no',
      pumpingGuard: { minConversion: 2 },
      messages: [],
      defaultLocale: 'english!',
      appName: 'A{b}',
      webOtp: { domain: 'https://example.com' },
      appHash: 'short',
      now: 1,
      maxAttempt: 3,
    });
    expect(paths(error).sort()).toEqual(
      [
        'codeLength',
        'ttlMs',
        'maxAttempts',
        'resendAfterMs',
        'maxSends.count',
        'maxSendsPerKey.windowMs',
        'allowedPrefixes.0',
        'blockedPrefixes',
        'defaultLocale',
        'appName',
        'webOtp.domain',
        'appHash',
        'dispatcher',
        'store',
        'prefixLimits.0.prefix',
        'pumpingGuard.minConversion',
        'messages',
        'now',
        'maxAttempt',
      ].sort(),
    );
    expect(error.issues!.find((issue) => issue.path === 'maxAttempt')!.message).toBe('unknown option');
  });

  it('requires {code} in every text, known placeholders, appName for {app}, and a text for the default locale', () => {
    const error = configError({
      dispatcher,
      secret: SECRET,
      messages: {
        fr: 'Votre code',
        de: 'Code {code} für {name}',
        es: 'Código {code} de {app}',
        it: { text: '' },
      },
    });
    expect(error.issues).toEqual([
      { path: 'messages', message: 'expected a text for the default locale "en" (given: fr, de, es, it)' },
      { path: 'messages.fr', message: 'expected the placeholder {code} in the text' },
      { path: 'messages.de', message: 'unknown placeholder {name} (known: {code}, {minutes}, {app})' },
      { path: 'messages.es', message: 'uses {app}, but appName is not set' },
      { path: 'messages.it', message: 'expected a text, or { text, templateId? }' },
    ]);
    expect(() =>
      createVerifier({ dispatcher, secret: SECRET, defaultLocale: 'fr', messages: { fr: 'Code {code}' } }),
    ).not.toThrow();
  });

  it('needs testNumbersValidUntil with testNumbers, and codes of codeLength', () => {
    const error = configError({ dispatcher, secret: SECRET, testNumbers: { '+15005550006': '1234' } });
    expect(error.issues).toEqual([
      { path: 'testNumbers.+15005550006', message: 'expected a code of 6 digits (codeLength)' },
      {
        path: 'testNumbersValidUntil',
        message: 'required with testNumbers, so that a forgotten test number does not stay a back door',
      },
    ]);
    expect(
      paths(configError({ dispatcher, secret: SECRET, testNumbers: { '5005550006': '123456' } })),
    ).toEqual(['testNumbers.5005550006']);
    expect(
      paths(configError({ dispatcher, secret: SECRET, testNumbersValidUntil: new Date('nope') })),
    ).toEqual(['testNumbersValidUntil']);
  });

  it('refuses webOtp with appHash: each must be the last line', () => {
    const error = configError({
      dispatcher,
      secret: SECRET,
      webOtp: { domain: 'example.com' },
      appHash: 'FA+9qCX9VSu',
    });
    expect(paths(error)).toEqual(['appHash']);
  });

  it('accepts a complete, valid set', () => {
    expect(() =>
      createVerifier({
        dispatcher,
        secret: SECRET,
        store: createMemoryStore(),
        codeLength: 8,
        ttlMs: 300_000,
        maxAttempts: 3,
        resendAfterMs: 60_000,
        maxSends: { count: 3, windowMs: 3_600_000 },
        maxSendsPerKey: { count: 20, windowMs: 3_600_000 },
        prefixLimits: [{ prefix: '+44', count: 100, windowMs: 3_600_000 }],
        allowedPrefixes: ['+91', '+1', '+44'],
        blockedPrefixes: ['+1900'],
        pumpingGuard: { prefixLength: 3, windowMs: 600_000, minSends: 30, minConversion: 0.2 },
        messages: { en: 'Your {app} code is {code}. It expires in {minutes} minutes.' },
        appName: 'Acme',
        webOtp: { domain: 'login.example.com' },
        sender: 'ACME',
        testNumbers: { '+15005550006': '12345678' },
        testNumbersValidUntil: new Date('2030-01-01'),
        now: () => 0,
        onListenerError: () => {},
      }),
    ).not.toThrow();
  });
});
