import { isOtpError, type OtpError } from '@otpkit/core';
import { describe, expect, it } from 'vitest';
import { resolveTelnyxOptions, type TelnyxProviderOptions } from './telnyx-options.js';

const KEY = 'KEY-telnyx-options-test-0001';
const errorOf = (options: unknown): OtpError => {
  try {
    resolveTelnyxOptions(options as TelnyxProviderOptions);
  } catch (error) {
    if (isOtpError(error, 'INVALID_CONFIG')) return error;
    throw error;
  }
  throw new Error('expected INVALID_CONFIG');
};
const paths = (error: OtpError) => error.issues?.map((issue) => issue.path);

describe("Telnyx's own options", () => {
  it('takes a number, a short code or an alphanumeric sender, and a profile alone', () => {
    for (const from of ['+15005550006', '+919876543210', '12345', 'ACME', 'My Shop 24']) {
      expect(resolveTelnyxOptions({ apiKey: KEY, from }).from).toBe(from);
    }
    const pool = resolveTelnyxOptions({
      apiKey: KEY,
      messagingProfileId: '4000eba1-a0c0-4563-9925-b25e842a7cb6',
    });
    expect(pool).toMatchObject({ baseUrl: 'https://api.telnyx.com', timeoutMs: 10_000 });
    expect(pool.from).toBeUndefined();
  });

  it('refuses a wrong sender, profile, URL and public key, all at once, echoing none', () => {
    const error = errorOf({
      apiKey: KEY,
      from: '15005550006x!',
      messagingProfileId: 'profile-1',
      webhookUrl: 'ftp://example.com',
      webhookFailoverUrl: 'not a url',
      publicKey: 'c2hvcnQ=',
    });
    expect(paths(error)).toEqual([
      'from',
      'messagingProfileId',
      'webhookUrl',
      'webhookFailoverUrl',
      'publicKey',
    ]);
    for (const value of ['15005550006x!', 'profile-1', 'ftp://example.com', 'c2hvcnQ=']) {
      expect(error.message).not.toContain(value);
    }
  });

  it('needs from or messagingProfileId, and says so with a wrong key too', () => {
    const error = errorOf({ apiKey: 'has space' });
    expect(paths(error)).toEqual(['apiKey', 'from']);
    expect(error.message).toContain('from: give from');
    expect(error.message).not.toContain('has space');
    for (const from of ['', 'TooLongSender12', '+0123', '12', '+1 415 555']) {
      expect(paths(errorOf({ apiKey: KEY, from }))).toEqual(['from']);
    }
  });
});
