import { describe, expect, it } from 'vitest';
import { RETRYABLE_BY_DEFAULT } from '../errors.js';
import { type HttpErrorInput, httpError, type VendorErrorRule } from '../http.js';

describe('httpError: status first, then JSON, then the vendor table, then REJECTED', () => {
  const table: Record<string, VendorErrorRule> = {
    E404: { code: 'REJECTED' },
    E103: { code: 'PROVIDER_UNAVAILABLE' },
    E102: { code: 'INVALID_CONFIG' },
    E900: { code: 'PROVIDER_UNAVAILABLE', retryable: false },
    E901: { code: 'REJECTED', retryable: true },
  };
  const input = (over: Partial<HttpErrorInput> & { status: number }): HttpErrorInput => ({
    provider: 'acme',
    isJson: true,
    table,
    ...over,
  });

  it.each([401, 403])('%i → AUTHENTICATION, whatever the body', (status) => {
    for (const over of [{ vendorCode: 'E404' }, { vendorCode: 'E103' }, { isJson: false }, {}]) {
      const error = httpError(input({ status, ...over }));
      expect(error.code).toBe('AUTHENTICATION');
      expect(error.retryable).toBe(false);
      expect(error.status).toBe(status);
      expect(error.provider).toBe('acme');
    }
    expect(httpError(input({ status, vendorCode: 'E404' })).providerCode).toBe('E404');
  });

  it('429 → RATE_LIMITED with retryAfterMs from Retry-After, whatever the body', () => {
    const error = httpError(
      input({ status: 429, vendorCode: 'E404', headers: new Headers({ 'retry-after': '7' }) }),
    );
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(7000);
    expect(error.providerCode).toBe('E404');
    expect(httpError(input({ status: 429, isJson: false })).code).toBe('RATE_LIMITED');
    expect(httpError(input({ status: 429 })).retryAfterMs).toBeUndefined();
    expect(
      httpError(input({ status: 429, headers: new Headers({ 'retry-after': 'later' }) })).retryAfterMs,
    ).toBeUndefined();
  });

  it.each([500, 502, 503, 504, 599])('%i → PROVIDER_UNAVAILABLE, whatever the body', (status) => {
    for (const over of [{ vendorCode: 'E404' }, { vendorCode: 'E102' }, { isJson: false }, {}]) {
      const error = httpError(input({ status, ...over }));
      expect(error.code).toBe('PROVIDER_UNAVAILABLE');
      expect(error.retryable).toBe(true);
      expect(error.status).toBe(status);
    }
    const withWait = httpError(input({ status, headers: new Headers({ 'retry-after': '2' }) }));
    expect(withWait.retryAfterMs).toBe(2000);
  });

  it('a body that is not JSON → INVALID_RESPONSE, with the status', () => {
    const error = httpError(input({ status: 400, isJson: false }));
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.retryable).toBe(false);
    expect(error.status).toBe(400);
    expect(error.message).toBe('acme: the vendor replied with a body that is not JSON (HTTP 400)');
  });

  it("then the vendor's code table, with its retryable override", () => {
    expect(httpError(input({ status: 400, vendorCode: 'E404' }))).toMatchObject({
      code: 'REJECTED',
      retryable: false,
      providerCode: 'E404',
      status: 400,
    });
    expect(httpError(input({ status: 400, vendorCode: 'E103' }))).toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      retryable: true,
    });
    expect(httpError(input({ status: 422, vendorCode: 'E102' }))).toMatchObject({
      code: 'INVALID_CONFIG',
      retryable: RETRYABLE_BY_DEFAULT.INVALID_CONFIG,
    });
    expect(httpError(input({ status: 400, vendorCode: 'E900' }))).toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      retryable: false,
    });
    expect(httpError(input({ status: 400, vendorCode: 'E901' }))).toMatchObject({
      code: 'REJECTED',
      retryable: true,
    });
    // A 2xx that carries an error code is classified by its code too.
    expect(httpError(input({ status: 200, vendorCode: 'E404' }))).toMatchObject({
      code: 'REJECTED',
      status: 200,
    });
  });

  it('words a table row by its code: credentials, throttling and outages read as the status would', () => {
    // Vendors that answer 200 with a failure code in the body (credentials, throttling, an outage).
    const inBody: Record<string, VendorErrorRule> = {
      '4': { code: 'AUTHENTICATION' },
      '1': { code: 'RATE_LIMITED' },
      '5': { code: 'PROVIDER_UNAVAILABLE' },
      '2': { code: 'INVALID_CONFIG' },
    };
    const classify = (vendorCode: string, vendorMessage: string) =>
      httpError({ provider: 'acme', status: 200, isJson: true, table: inBody, vendorCode, vendorMessage });
    expect(classify('4', 'Bad Credentials')).toMatchObject({
      code: 'AUTHENTICATION',
      retryable: false,
      status: 200,
      providerCode: '4',
      message: 'acme: the vendor refused the credentials: Bad Credentials (4, HTTP 200)',
    });
    expect(classify('1', 'Throttled')).toMatchObject({
      code: 'RATE_LIMITED',
      retryable: true,
      message: 'acme: the vendor asked to slow down: Throttled (1, HTTP 200)',
    });
    expect(classify('1', 'Throttled').retryAfterMs).toBeUndefined();
    expect(classify('5', 'Internal Error')).toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      retryable: true,
      message: 'acme: the vendor failed: Internal Error (5, HTTP 200)',
    });
    expect(classify('2', 'Missing from param').message).toBe(
      'acme: the vendor refused the message: Missing from param (2, HTTP 200)',
    );
    expect(classify('99', 'Something new')).toMatchObject({
      code: 'REJECTED',
      providerCode: '99',
      status: 200,
    });
  });

  it('then any other status → REJECTED', () => {
    expect(httpError(input({ status: 400, vendorCode: 'E999' }))).toMatchObject({
      code: 'REJECTED',
      providerCode: 'E999',
    });
    expect(httpError(input({ status: 404 }))).toMatchObject({ code: 'REJECTED', status: 404 });
    expect(httpError(input({ status: 404 })).providerCode).toBeUndefined();
    // The code comes from the vendor's body: names of Object.prototype are no rows of the table.
    for (const vendorCode of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      const error = httpError(input({ status: 400, vendorCode }));
      expect(error.code).toBe('REJECTED');
      expect(error.retryable).toBe(false);
    }
    expect(httpError({ provider: 'acme', status: 400, isJson: true, vendorCode: 'E404' }).code).toBe(
      'REJECTED',
    );
  });

  it("puts the vendor's text in the message, with its code and the status", () => {
    const error = httpError(
      input({ status: 400, vendorCode: 'E404', vendorMessage: 'If Type is OTP then only one mobile number' }),
    );
    expect(error.message).toBe(
      'acme: the vendor refused the message: If Type is OTP then only one mobile number (E404, HTTP 400)',
    );
    expect(httpError(input({ status: 401 })).message).toBe(
      'acme: the vendor refused the credentials (HTTP 401)',
    );
  });

  it("redacts secrets in the vendor's text, then shortens it to 300 characters", () => {
    const error = httpError(
      input({
        status: 400,
        vendorCode: 'E413',
        vendorMessage: 'bad key sk-123456 for body Your code is 482913',
        secrets: ['sk-123456', 'Your code is 482913', undefined],
      }),
    );
    expect(error.message).toBe(
      'acme: the vendor refused the message: bad key [redacted] for body [redacted] (E413, HTTP 400)',
    );
    const long = httpError(
      input({ status: 400, vendorMessage: `${'x'.repeat(295)}sk-123456`, secrets: ['sk-123456'] }),
    );
    expect(long.message).toBe(`acme: the vendor refused the message: ${'x'.repeat(295)}[reda (HTTP 400)`);
    expect(long.message).not.toContain('sk-1');
  });
});
