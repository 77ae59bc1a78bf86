import { inspect } from 'node:util';
import { isOtpError, type OtpError } from '@otpkit/core';
import { describe, expect, it } from 'vitest';
import {
  resolveTwilioOptions,
  TWILIO_DEFAULT_BASE_URL,
  TWILIO_MAX_VALIDITY_PERIOD_S,
  type TwilioProviderOptions,
} from './twilio-options.js';
import { createTwilioProvider } from './twilio-provider.js';

const ACCOUNT_SID = `AC${'1234abcd'.repeat(4)}`;
const AUTH_TOKEN = 'options-test-auth-token-9f8e7d';
const API_KEY_SID = `SK${'a1b2c3d4'.repeat(4)}`;
const API_KEY_SECRET = 'options-test-api-key-secret-42';
const MG = `MG${'0f0f0f0f'.repeat(4)}`;
const base = { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '+15017122661' };

/** Runs `resolveTwilioOptions` and returns the `OtpError` it must throw. */
function configError(options: unknown): OtpError {
  let caught: unknown;
  try {
    resolveTwilioOptions(options as TwilioProviderOptions);
  } catch (error) {
    caught = error;
  }
  if (!isOtpError(caught)) throw new Error(`expected an OtpError, got ${String(caught)}`);
  return caught;
}

/** The options an error's issues name, once each. */
const paths = (error: OtpError) => [...new Set(error.issues?.map((issue) => issue.path))];

/** Every way an error can end up in a log. */
const renderings = (error: OtpError) =>
  [error.message, String(error), JSON.stringify(error), inspect(error, { depth: 10 })].join('\n');

describe('resolveTwilioOptions: defaults', () => {
  it('Auth Token: the account SID is the Basic user; api.twilio.com; 10 s; no ValidityPeriod', () => {
    expect(resolveTwilioOptions(base)).toEqual({
      accountSid: ACCOUNT_SID,
      username: ACCOUNT_SID,
      password: AUTH_TOKEN,
      auth: 'auth-token',
      from: '+15017122661',
      messagingServiceSid: undefined,
      baseUrl: 'https://api.twilio.com',
      validityPeriodS: undefined,
      timeoutMs: 10_000,
      fetch: undefined,
    });
    expect(TWILIO_DEFAULT_BASE_URL).toBe('https://api.twilio.com');
  });

  it('API key: the key SID is the Basic user, the secret the password', () => {
    const resolved = resolveTwilioOptions({
      accountSid: ACCOUNT_SID,
      apiKeySid: API_KEY_SID,
      apiKeySecret: API_KEY_SECRET,
      messagingServiceSid: MG,
    });
    expect(resolved).toMatchObject({
      accountSid: ACCOUNT_SID,
      username: API_KEY_SID,
      password: API_KEY_SECRET,
      auth: 'api-key',
      from: undefined,
      messagingServiceSid: MG,
    });
  });

  it('keeps every option given, and drops trailing slashes of baseUrl', () => {
    const fetch = async () => new Response('{}');
    expect(
      resolveTwilioOptions({
        ...base,
        baseUrl: 'http://localhost:8080/twilio//',
        validityPeriodS: 300,
        timeoutMs: 5000,
        fetch,
      }),
    ).toMatchObject({
      baseUrl: 'http://localhost:8080/twilio',
      validityPeriodS: 300,
      timeoutMs: 5000,
      fetch,
    });
  });

  it.each([
    '+15017122661',
    '+447700900123',
    '12345', // a short code
    'OTPKIT',
    'My Shop 24',
    'A',
  ])('accepts from = %j', (from) => {
    expect(resolveTwilioOptions({ ...base, from }).from).toBe(from);
  });

  it(`accepts validityPeriodS from 1 to ${TWILIO_MAX_VALIDITY_PERIOD_S}`, () => {
    expect(resolveTwilioOptions({ ...base, validityPeriodS: 1 }).validityPeriodS).toBe(1);
    expect(
      resolveTwilioOptions({ ...base, validityPeriodS: TWILIO_MAX_VALIDITY_PERIOD_S }).validityPeriodS,
    ).toBe(TWILIO_MAX_VALIDITY_PERIOD_S);
  });

  it('accepts upper-case hex in SIDs', () => {
    const upper = `AC${'ABCDEF01'.repeat(4)}`;
    expect(resolveTwilioOptions({ ...base, accountSid: upper }).accountSid).toBe(upper);
  });
});

describe('resolveTwilioOptions: invalid options → INVALID_CONFIG naming the option', () => {
  const cases: [keyof TwilioProviderOptions, unknown][] = [
    ['accountSid', undefined],
    ['accountSid', ''],
    ['accountSid', 'AC123'],
    ['accountSid', `SK${'0'.repeat(32)}`],
    ['accountSid', `AC${'g'.repeat(32)}`],
    ['accountSid', `AC${'0'.repeat(33)}`],
    ['accountSid', `AC${'0'.repeat(30)}/..`],
    ['accountSid', 42],
    ['authToken', ''],
    ['authToken', 'token with spaces'],
    ['authToken', 'token\n'],
    ['authToken', 12345],
    ['from', ''],
    ['from', '+0123456789'],
    ['from', '+1 415 555 0123'],
    ['from', 'NAME_WITH_UNDERSCORE'],
    ['from', 'A SENDER ID TOO LONG'],
    ['from', ' OTPKIT'],
    ['from', 15017122661],
    ['baseUrl', 'api.twilio.com'],
    ['baseUrl', 'ftp://api.twilio.com'],
    ['baseUrl', ''],
    ['validityPeriodS', 0],
    ['validityPeriodS', -1],
    ['validityPeriodS', 1.5],
    ['validityPeriodS', TWILIO_MAX_VALIDITY_PERIOD_S + 1],
    ['validityPeriodS', '300'],
    ['validityPeriodS', Number.NaN],
    ['timeoutMs', 0],
    ['timeoutMs', -5],
    ['timeoutMs', 1.5],
    ['timeoutMs', '100'],
    ['timeoutMs', 2 ** 31],
    ['fetch', 'fetch'],
    ['fetch', {}],
  ];

  it.each(cases)('%s = %j', (option, value) => {
    const error = configError({ ...base, [option]: value });
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.retryable).toBe(false);
    expect(error.provider).toBe('twilio');
    expect(paths(error)).toEqual([option]);
    expect(error.message).toContain(`${option}:`);
    expect(error.message).toMatch(/^Invalid Twilio options: /);
  });

  it.each([
    ['apiKeySid', 'SK123'],
    ['apiKeySid', `AC${'0'.repeat(32)}`],
    ['apiKeySecret', 'a secret'],
    ['apiKeySecret', ''],
  ] as const)('%s = %j (API key mode)', (option, value) => {
    const options = {
      accountSid: ACCOUNT_SID,
      apiKeySid: API_KEY_SID,
      apiKeySecret: API_KEY_SECRET,
      from: 'OTPKIT',
    };
    const error = configError({ ...options, [option]: value });
    expect(paths(error)).toEqual([option]);
  });

  it.each([
    ['messagingServiceSid', 'MG123'],
    ['messagingServiceSid', `SM${'0'.repeat(32)}`],
  ] as const)('%s = %j', (option, value) => {
    const error = configError({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, [option]: value });
    expect(paths(error)).toEqual([option]);
  });

  it('refuses something that is not an object', () => {
    for (const value of [undefined, null, 'AC...', 42]) {
      const error = configError(value);
      expect(error.code).toBe('INVALID_CONFIG');
      expect(error.message).toContain('expected an object with accountSid');
    }
  });
});

describe('resolveTwilioOptions: exactly one pair of credentials, exactly one sender', () => {
  const sender = { from: '+15017122661' };

  it('no credentials at all → authToken', () => {
    const error = configError({ accountSid: ACCOUNT_SID, ...sender });
    expect(paths(error)).toEqual(['authToken']);
    expect(error.message).toContain('authToken: required: give authToken, or apiKeySid and apiKeySecret');
  });

  it('authToken and an API key together → authToken, "not both"', () => {
    const error = configError({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      apiKeySid: API_KEY_SID,
      apiKeySecret: API_KEY_SECRET,
      ...sender,
    });
    expect(paths(error)).toEqual(['authToken']);
    expect(error.message).toContain('not both');
  });

  it('authToken with half an API key → authToken (not both) and the missing half', () => {
    const error = configError({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      apiKeySid: API_KEY_SID,
      ...sender,
    });
    expect(paths(error)).toEqual(['authToken', 'apiKeySecret']);
  });

  it('apiKeySid without apiKeySecret → apiKeySecret', () => {
    const error = configError({ accountSid: ACCOUNT_SID, apiKeySid: API_KEY_SID, ...sender });
    expect(paths(error)).toEqual(['apiKeySecret']);
    expect(error.message).toContain('apiKeySecret: required with apiKeySid');
  });

  it('apiKeySecret without apiKeySid → apiKeySid', () => {
    const error = configError({ accountSid: ACCOUNT_SID, apiKeySecret: API_KEY_SECRET, ...sender });
    expect(paths(error)).toEqual(['apiKeySid']);
    expect(error.message).toContain('apiKeySid: required with apiKeySecret');
  });

  it('neither from nor messagingServiceSid → from', () => {
    const error = configError({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    expect(paths(error)).toEqual(['from']);
    expect(error.message).toContain('from: give either from or messagingServiceSid (exactly one)');
  });

  it('both from and messagingServiceSid → from', () => {
    const error = configError({ ...base, messagingServiceSid: MG });
    expect(paths(error)).toEqual(['from']);
  });

  it('names every wrong option at once', () => {
    const error = configError({ accountSid: 'AC1', timeoutMs: 0, validityPeriodS: 0 });
    expect(paths(error)).toEqual(['accountSid', 'validityPeriodS', 'timeoutMs', 'authToken', 'from']);
  });

  it('createTwilioProvider checks the options at once', () => {
    expect(() => createTwilioProvider({ accountSid: ACCOUNT_SID, authToken: '' })).toThrowError(
      expect.objectContaining({ code: 'INVALID_CONFIG' }),
    );
  });
});

describe('resolveTwilioOptions: no secret appears in an options error', () => {
  it('a malformed authToken is refused without echoing it', () => {
    const authToken = 'tok3n with a space';
    const error = configError({ ...base, authToken });
    expect(paths(error)).toEqual(['authToken']);
    expect(renderings(error)).not.toContain('tok3n');
  });

  it('a malformed apiKeySecret is refused without echoing it', () => {
    const error = configError({
      accountSid: ACCOUNT_SID,
      apiKeySid: API_KEY_SID,
      apiKeySecret: 's3cr3t secret',
      from: 'A',
    });
    expect(renderings(error)).not.toContain('s3cr3t');
  });

  it('a token given where the SID belongs is not echoed', () => {
    const error = configError({ ...base, accountSid: AUTH_TOKEN });
    expect(paths(error)).toEqual(['accountSid']);
    const text = renderings(error);
    expect(text).not.toContain(AUTH_TOKEN);
  });

  it('valid secrets next to a wrong option are not echoed', () => {
    const error = configError({ ...base, authToken: AUTH_TOKEN, from: '' });
    expect(renderings(error)).not.toContain(AUTH_TOKEN);
    const both = configError({ ...base, apiKeySid: API_KEY_SID, apiKeySecret: API_KEY_SECRET });
    const text = renderings(both);
    expect(text).not.toContain(AUTH_TOKEN);
    expect(text).not.toContain(API_KEY_SECRET);
  });

  it('a wrong baseUrl (which may carry credentials) is not echoed', () => {
    const error = configError({ ...base, baseUrl: 'ftp://user:s3cr3t-pass@proxy.example.com' });
    expect(renderings(error)).not.toContain('s3cr3t');
  });
});
