import { createDispatcher, isOtpError, type OtpError } from '@otpkit/core';
import { createFakeProvider } from '@otpkit/provider-fake';
import { describe, expect, it } from 'vitest';
import { OTPKIT_VERIFY_ENV, verifierOptionsFromEnv } from './env.js';
import { createVerifier } from './verifier.js';

const SECRET = 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA==';

function envError(env: Record<string, string>): OtpError {
  try {
    verifierOptionsFromEnv(env);
  } catch (error) {
    if (isOtpError(error, 'INVALID_CONFIG')) return error;
    throw error;
  }
  throw new Error('expected INVALID_CONFIG');
}

describe('verifierOptionsFromEnv', () => {
  it('reads every OTPKIT_VERIFY_* variable and OTPKIT_TEST_NUMBERS', () => {
    const options = verifierOptionsFromEnv({
      OTPKIT_VERIFY_SECRET: SECRET,
      OTPKIT_VERIFY_CODE_LENGTH: '8',
      OTPKIT_VERIFY_TTL_MS: '300000',
      OTPKIT_VERIFY_MAX_ATTEMPTS: '3',
      OTPKIT_VERIFY_RESEND_AFTER_MS: '60000',
      OTPKIT_VERIFY_MAX_SENDS: '4',
      OTPKIT_VERIFY_MAX_SENDS_WINDOW_MS: '3600000',
      OTPKIT_VERIFY_MAX_SENDS_PER_KEY: '20',
      OTPKIT_VERIFY_ALLOWED_PREFIXES: '+91, +1',
      OTPKIT_VERIFY_BLOCKED_PREFIXES: '+1900',
      OTPKIT_VERIFY_DEFAULT_LOCALE: 'hi',
      OTPKIT_VERIFY_APP_NAME: 'Acme',
      OTPKIT_VERIFY_WEBOTP_DOMAIN: 'example.com',
      OTPKIT_VERIFY_SENDER: 'ACME',
      OTPKIT_TEST_NUMBERS: '+15005550006=12345678, +15005550007=87654321',
      OTPKIT_TEST_NUMBERS_VALID_UNTIL: '2030-06-30',
      UNRELATED: 'x',
    });
    expect(options).toEqual({
      secret: SECRET,
      codeLength: 8,
      ttlMs: 300_000,
      maxAttempts: 3,
      resendAfterMs: 60_000,
      maxSends: { count: 4, windowMs: 3_600_000 },
      maxSendsPerKey: { count: 20, windowMs: 600_000 },
      allowedPrefixes: ['+91', '+1'],
      blockedPrefixes: ['+1900'],
      defaultLocale: 'hi',
      appName: 'Acme',
      webOtp: { domain: 'example.com' },
      sender: 'ACME',
      testNumbers: { '+15005550006': '12345678', '+15005550007': '87654321' },
      testNumbersValidUntil: new Date('2030-06-30'),
    });
    expect(Object.keys(OTPKIT_VERIFY_ENV)).toContain('OTPKIT_VERIFY_APP_HASH');
  });

  it('gives what createVerifier takes', async () => {
    const fake = createFakeProvider();
    const dispatcher = createDispatcher({ providers: [fake] });
    const verifier = createVerifier({
      dispatcher,
      ...verifierOptionsFromEnv({ OTPKIT_VERIFY_SECRET: SECRET, OTPKIT_VERIFY_CODE_LENGTH: '4' }),
    });
    await verifier.start({ to: '+14155550123' });
    expect(fake.lastCode('+14155550123')).toMatch(/^\d{4}$/);
  });

  it('names each wrong variable, never its value, and asks for the secret', () => {
    const error = envError({
      OTPKIT_VERIFY_TTL_MS: '10 minutes',
      OTPKIT_VERIFY_MAX_ATTEMPTS: '0',
      OTPKIT_TEST_NUMBERS: 'garbage',
      OTPKIT_TEST_NUMBERS_VALID_UNTIL: 'tomorrow',
    });
    expect(error.issues).toEqual([
      { path: 'OTPKIT_VERIFY_TTL_MS', message: 'expected a whole number' },
      {
        path: 'OTPKIT_TEST_NUMBERS',
        message: 'expected numbers with their codes, like "+15005550006=123456,…"',
      },
      {
        path: 'OTPKIT_TEST_NUMBERS_VALID_UNTIL',
        message: 'expected an ISO date, like "2026-06-30" or "2026-06-30T12:00:00Z"',
      },
      { path: 'OTPKIT_VERIFY_SECRET', message: 'required: at least 32 bytes (e.g. openssl rand -base64 32)' },
    ]);
    const ranges = envError({
      OTPKIT_VERIFY_SECRET: SECRET,
      OTPKIT_VERIFY_MAX_ATTEMPTS: '0',
      OTPKIT_VERIFY_MAX_SENDS: '0',
      OTPKIT_VERIFY_ALLOWED_PREFIXES: '91',
    });
    expect(ranges.issues!.map((issue) => issue.path)).toEqual([
      'OTPKIT_VERIFY_MAX_ATTEMPTS',
      'OTPKIT_VERIFY_MAX_SENDS',
      'OTPKIT_VERIFY_ALLOWED_PREFIXES',
    ]);
    expect(ranges.issues![0]!.message).toBe('expected an integer from 1 to 100');
  });

  it('never echoes the secret when it is too short', () => {
    const short = 'too-short-secret';
    const error = envError({ OTPKIT_VERIFY_SECRET: short });
    expect(error.issues).toEqual([
      {
        path: 'OTPKIT_VERIFY_SECRET',
        message: 'expected a string or bytes of at least 32 bytes (e.g. openssl rand -base64 32)',
      },
    ]);
    expect(JSON.stringify(error.toJSON())).not.toContain(short);
  });

  it('needs OTPKIT_TEST_NUMBERS_VALID_UNTIL with OTPKIT_TEST_NUMBERS, and codes of the code length', () => {
    expect(
      envError({ OTPKIT_VERIFY_SECRET: SECRET, OTPKIT_TEST_NUMBERS: '+15005550006=1234' }).issues,
    ).toEqual([
      {
        path: 'OTPKIT_TEST_NUMBERS_VALID_UNTIL',
        message:
          'required with OTPKIT_TEST_NUMBERS, so that a forgotten test number does not stay a back door',
      },
      { path: 'OTPKIT_TEST_NUMBERS', message: 'expected codes of 6 digits (the code length)' },
    ]);
  });

  it('treats empty variables as unset', () => {
    expect(verifierOptionsFromEnv({ OTPKIT_VERIFY_SECRET: SECRET, OTPKIT_VERIFY_TTL_MS: '  ' })).toEqual({
      secret: SECRET,
    });
  });
});
