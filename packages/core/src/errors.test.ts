import { describe, expect, it } from 'vitest';
import { BREAKER_CODES } from './breaker.js';
import { FAILOVER_CODES } from './dispatcher/index.js';
import { DISPATCHER_DEFAULTS } from './dispatcher-options.js';
import {
  codesWhere,
  isOtpError,
  OTP_ERROR_CODE_BEHAVIOUR,
  OTP_ERROR_CODES,
  OtpError,
  RETRYABLE_BY_DEFAULT,
} from './errors.js';

describe('OtpError', () => {
  it('gives each code the retryable default of the error table', () => {
    const retryable = OTP_ERROR_CODES.filter((code) => new OtpError(code, 'x').retryable);
    expect(retryable).toEqual([
      'RATE_LIMITED',
      'PROVIDER_UNAVAILABLE',
      'NETWORK',
      'TIMEOUT',
      'STORE_UNAVAILABLE',
    ]);
    expect(Object.keys(RETRYABLE_BY_DEFAULT)).toHaveLength(13);
  });

  it('STORE_UNAVAILABLE is retryable, last in the table, and neither trips a breaker nor fails over', () => {
    expect(OTP_ERROR_CODES.at(-1)).toBe('STORE_UNAVAILABLE');
    expect(OTP_ERROR_CODE_BEHAVIOUR.STORE_UNAVAILABLE).toEqual({
      retryable: true,
      breaker: false,
      failover: false,
      failFast: false,
    });
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

describe('OTP_ERROR_CODE_BEHAVIOUR: the one table of what each code does', () => {
  it('every other table is read from it', () => {
    for (const code of OTP_ERROR_CODES) {
      const row = OTP_ERROR_CODE_BEHAVIOUR[code];
      expect(RETRYABLE_BY_DEFAULT[code], code).toBe(row.retryable);
      expect(BREAKER_CODES.has(code), code).toBe(row.breaker);
      expect(FAILOVER_CODES.has(code), code).toBe(row.failover);
      expect(DISPATCHER_DEFAULTS.failFastOn.includes(code), code).toBe(row.failFast);
      expect(new OtpError(code, 'x').retryable, code).toBe(row.retryable);
    }
  });

  it('keeps the documented behaviour of each code', () => {
    expect(codesWhere('breaker').sort()).toEqual(['NETWORK', 'PROVIDER_UNAVAILABLE', 'TIMEOUT']);
    expect(codesWhere('failFast').sort()).toEqual(['NETWORK', 'TIMEOUT']);
    expect(codesWhere('retryable').sort()).toEqual([
      'NETWORK',
      'PROVIDER_UNAVAILABLE',
      'RATE_LIMITED',
      'STORE_UNAVAILABLE',
      'TIMEOUT',
    ]);
    expect(codesWhere('failover').sort()).toEqual([
      'AUTHENTICATION',
      'INVALID_CONFIG',
      'INVALID_RESPONSE',
      'NETWORK',
      'PROVIDER_UNAVAILABLE',
      'RATE_LIMITED',
      'TIMEOUT',
    ]);
  });
});
