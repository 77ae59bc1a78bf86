import { describe, expect, it } from 'vitest';
import { isOtpError, OTP_ERROR_CODES, OtpError, RETRYABLE_BY_DEFAULT } from './errors.js';

describe('OtpError', () => {
  it('gives each code the retryable default of the error table', () => {
    const retryable = OTP_ERROR_CODES.filter((code) => new OtpError(code, 'x').retryable);
    expect(retryable).toEqual(['RATE_LIMITED', 'PROVIDER_UNAVAILABLE', 'NETWORK', 'TIMEOUT']);
    expect(Object.keys(RETRYABLE_BY_DEFAULT)).toHaveLength(12);
  });

  it('keeps vendor details and lets retryable be overridden', () => {
    const cause = new Error('socket hang up');
    const error = new OtpError('REJECTED', 'kaleyra: only one number', {
      provider: 'kaleyra',
      providerCode: 'E404',
      status: 400,
      retryable: true,
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('OtpError');
    expect(error.providerCode).toBe('E404');
    expect(error.status).toBe(400);
    expect(error.retryable).toBe(true);
    expect(error.cause).toBe(cause);
  });

  it('serialises to a log-safe JSON form without cause or stack', () => {
    const error = new OtpError('RATE_LIMITED', 'slow down', {
      retryAfterMs: 2000,
      cause: new Error('secret-key'),
    });
    const json = JSON.parse(JSON.stringify(error));
    expect(json).toMatchObject({
      name: 'OtpError',
      code: 'RATE_LIMITED',
      retryable: true,
      retryAfterMs: 2000,
    });
    expect(JSON.stringify(error)).not.toContain('secret-key');
    expect(json.stack).toBeUndefined();
  });

  it('isOtpError recognises errors from another copy of the package, and filters by code', () => {
    const foreign = Object.assign(new Error('x'), { name: 'OtpError', code: 'TIMEOUT', retryable: true });
    expect(isOtpError(foreign)).toBe(true);
    expect(isOtpError(new OtpError('TIMEOUT', 'x'), 'TIMEOUT')).toBe(true);
    expect(isOtpError(new OtpError('TIMEOUT', 'x'), 'NETWORK')).toBe(false);
    expect(isOtpError(new Error('x'))).toBe(false);
    expect(isOtpError({ name: 'OtpError', code: 'TIMEOUT', retryable: true })).toBe(false);
    expect(isOtpError(undefined)).toBe(false);
  });
});
