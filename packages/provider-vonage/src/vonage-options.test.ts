import { inspect } from 'node:util';
import { isOtpError, type OtpError } from '@otpkit/core';
import { describe, expect, it } from 'vitest';
import {
  resolveVonageOptions,
  VONAGE_DEFAULT_BASE_URL,
  VONAGE_TTL_RANGE_MS,
  type VonageProviderOptions,
} from './vonage-options.js';
import { createVonageProvider } from './vonage-provider.js';

const API_KEY = 'abcd1234';
const API_SECRET = 'Vn7SecretXy91Qz0';
const base = { apiKey: API_KEY, apiSecret: API_SECRET, from: 'OTPKIT' };

/** Runs `resolveVonageOptions` and returns the `OtpError` it must throw. */
function configError(options: unknown): OtpError {
  let caught: unknown;
  try {
    resolveVonageOptions(options as VonageProviderOptions);
  } catch (error) {
    caught = error;
  }
  if (!isOtpError(caught)) throw new Error(`expected an OtpError, got ${String(caught)}`);
  expect(caught.code).toBe('INVALID_CONFIG');
  expect(caught.provider).toBe('vonage');
  return caught;
}

/** The options an error's issues name, once each. */
const paths = (error: OtpError) => [...new Set(error.issues?.map((issue) => issue.path))];

/** Every way an error can end up in a log. */
const renderings = (error: OtpError) =>
  [error.message, String(error), JSON.stringify(error), inspect(error, { depth: 10 })].join('\n');

describe('resolveVonageOptions: defaults', () => {
  it('fills in rest.nexmo.com and a 10 s time limit; no ttl', () => {
    expect(resolveVonageOptions(base)).toEqual({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      from: 'OTPKIT',
      baseUrl: 'https://rest.nexmo.com',
      ttlMs: undefined,
      timeoutMs: 10_000,
      fetch: undefined,
    });
    expect(VONAGE_DEFAULT_BASE_URL).toBe('https://rest.nexmo.com');
  });

  it('keeps every option given, trailing slashes of baseUrl dropped', () => {
    const fetch = async () => new Response('{}');
    expect(
      resolveVonageOptions({
        ...base,
        from: '447700900001',
        baseUrl: 'https://proxy.example.com/vonage///',
        ttlMs: 600_000,
        timeoutMs: 2_147_483_647,
        fetch,
      }),
    ).toEqual({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      from: '447700900001',
      baseUrl: 'https://proxy.example.com/vonage',
      ttlMs: 600_000,
      timeoutMs: 2_147_483_647,
      fetch,
    });
  });
});

describe('resolveVonageOptions: each rule', () => {
  it('apiKey, apiSecret and from are required', () => {
    const error = configError({});
    expect(paths(error)).toEqual(['apiKey', 'apiSecret', 'from']);
    expect(error.message).toContain('apiKey: required, but missing');
    expect(error.message).toContain('apiSecret: required, but missing');
    expect(error.message).toContain('from: required, but missing');
  });

  it.each([
    ['', 'empty'],
    ['has space', 'a space'],
    ['tab\there', 'a tab'],
    ['ключ1234', 'non-ASCII'],
    [12345678, 'a number'],
  ] as [unknown, string][])('apiKey and apiSecret refuse %j (%s)', (value) => {
    expect(paths(configError({ ...base, apiKey: value }))).toEqual(['apiKey']);
    expect(paths(configError({ ...base, apiSecret: value }))).toEqual(['apiSecret']);
  });

  it('from: a Vonage number or an alphanumeric id of 1 to 15 letters, digits, spaces or "+"', () => {
    for (const from of ['OTPKIT', 'Nexmo CLI', '447700900001', '+14155550100', 'A', 'ABCDEFGHIJKLMNO']) {
      expect(resolveVonageOptions({ ...base, from }).from).toBe(from);
    }
    for (const from of ['', '   ', 'ABCDEFGHIJKLMNOP', 'OTP-KIT', 'OTP_KIT', 'Кит', 'a\nb', 7]) {
      const error = configError({ ...base, from });
      expect(paths(error), JSON.stringify(from)).toEqual(['from']);
      expect(error.message).toContain('from: expected a Vonage number or an alphanumeric sender id');
    }
  });

  it('baseUrl: http or https only', () => {
    expect(resolveVonageOptions({ ...base, baseUrl: 'http://127.0.0.1:8080' }).baseUrl).toBe(
      'http://127.0.0.1:8080',
    );
    for (const baseUrl of ['rest.nexmo.com', 'ftp://rest.nexmo.com', '', 42]) {
      expect(paths(configError({ ...base, baseUrl }))).toEqual(['baseUrl']);
    }
  });

  it(`ttlMs: an integer from ${VONAGE_TTL_RANGE_MS.min} to ${VONAGE_TTL_RANGE_MS.max}`, () => {
    expect(VONAGE_TTL_RANGE_MS).toEqual({ min: 20_000, max: 604_800_000 });
    for (const ttlMs of [20_000, 1_800_000, 259_200_000, 604_800_000]) {
      expect(resolveVonageOptions({ ...base, ttlMs }).ttlMs).toBe(ttlMs);
    }
    for (const ttlMs of [
      19_999,
      604_800_001,
      0,
      -1,
      30_000.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      '300000',
    ]) {
      const error = configError({ ...base, ttlMs });
      expect(paths(error), String(ttlMs)).toEqual(['ttlMs']);
      expect(error.message).toContain('ttlMs: expected an integer from 20000 to 604800000');
    }
  });

  it('timeoutMs: an integer from 1 to 2147483647', () => {
    for (const timeoutMs of [1, 10_000, 2_147_483_647]) {
      expect(resolveVonageOptions({ ...base, timeoutMs }).timeoutMs).toBe(timeoutMs);
    }
    for (const timeoutMs of [0, -5, 2_147_483_648, 1.5, Number.NaN, '10000']) {
      expect(paths(configError({ ...base, timeoutMs })), String(timeoutMs)).toEqual(['timeoutMs']);
    }
  });

  it('fetch: a function', () => {
    expect(paths(configError({ ...base, fetch: 'fetch' }))).toEqual(['fetch']);
  });

  it('not an object at all', () => {
    for (const options of [undefined, null, 'abcd1234', 42]) {
      const error = configError(options);
      expect(error.message).toContain('expected an object with apiKey, apiSecret and from');
    }
    // An array is an object without the keys.
    const error = configError([API_KEY, API_SECRET]);
    expect(paths(error)).toEqual(['apiKey', 'apiSecret', 'from']);
    expect(renderings(error)).not.toContain(API_SECRET);
  });
});

describe('resolveVonageOptions: errors name the options, never their values', () => {
  it('reports several wrong options at once', () => {
    const error = configError({
      apiKey: 'key with space',
      apiSecret: '',
      from: 'way-too-long-sender',
      ttlMs: 5,
    });
    expect(paths(error)).toEqual(['apiKey', 'apiSecret', 'from', 'ttlMs']);
    expect(error.message).toMatch(/^Invalid Vonage options: apiKey: expected/);
  });

  it('never echoes a secret, however it is wrong', () => {
    for (const apiSecret of ['my secret value 0001', 'секрет-значение-0001', `${'s'.repeat(30)} x`]) {
      const error = configError({ ...base, apiSecret, apiKey: `${apiSecret}-key` });
      const all = renderings(error);
      expect(all).not.toContain(apiSecret);
      expect(all).not.toContain('secret value');
    }
  });

  it('createVonageProvider checks the options once, at creation', () => {
    expect(() => createVonageProvider({ ...base, apiSecret: '' })).toThrow(/apiSecret/);
    expect(createVonageProvider(base).id).toBe('vonage');
  });
});
