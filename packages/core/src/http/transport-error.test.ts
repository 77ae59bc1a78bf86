import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { OtpError } from '../errors.js';
import { transportError } from '../http.js';

const live = () => new AbortController().signal;
const aborted = (reason?: unknown) => {
  const controller = new AbortController();
  controller.abort(reason);
  return controller.signal;
};
const timeoutError = () => Object.assign(new Error('Request timed out'), { name: 'TimeoutError' });

describe('transportError: abort, then timeout, then network', () => {
  const provider = 'acme';

  it("returns the signal's own OtpError reason (the dispatcher's TIMEOUT), whatever the failure", () => {
    const reason = new OtpError('TIMEOUT', 'acme: attempt 1 took longer than 50 ms', { provider });
    expect(transportError(new TypeError('fetch failed'), { provider, signal: aborted(reason) })).toBe(reason);
    expect(transportError(timeoutError(), { provider, signal: aborted(reason) })).toBe(reason);
    const abortedReason = new OtpError('ABORTED', 'the caller gave up', { provider });
    expect(transportError(timeoutError(), { provider, signal: aborted(abortedReason) })).toBe(abortedReason);
  });

  it('an aborted signal with a TimeoutError reason (AbortSignal.timeout) → TIMEOUT', () => {
    const reason = new DOMException('The operation timed out.', 'TimeoutError');
    const error = transportError(new DOMException('aborted', 'AbortError'), {
      provider,
      signal: aborted(reason),
    });
    expect(error.code).toBe('TIMEOUT');
    expect(error.retryable).toBe(true);
    expect(error.provider).toBe(provider);
    expect(error.cause).toBe(reason);
  });

  it('any other abort → ABORTED, even if the request also failed or timed out', () => {
    for (const failure of [new TypeError('fetch failed'), timeoutError()]) {
      const signal = aborted();
      const error = transportError(failure, { provider, signal });
      expect(error.code).toBe('ABORTED');
      expect(error.retryable).toBe(false);
      expect(error.provider).toBe(provider);
      expect(error.cause).toBe(signal.reason);
    }
    expect(transportError(new Error('x'), { provider, signal: aborted('user left') }).cause).toBe(
      'user left',
    );
  });

  it('without an abort: an OtpError passes through', () => {
    const original = new OtpError('INVALID_RESPONSE', 'x', { provider });
    expect(transportError(original, { provider, signal: live() })).toBe(original);
  });

  it("without an abort: the client's TimeoutError → TIMEOUT, without the error that holds the request", () => {
    // ky's TimeoutError carries the Request, whose headers hold the API key: it must not become the cause.
    const request = new Request('https://api.example.com/v1/x', { headers: { 'api-key': 'sk-123456' } });
    const cause = Object.assign(timeoutError(), { request });
    const error = transportError(cause, { provider, signal: live() });
    expect(error.cause).toBeUndefined();
    expect(inspect(error, { depth: 10 })).not.toContain('sk-123456');
    expect(error.code).toBe('TIMEOUT');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe('acme: the request timed out');
    expect(error.provider).toBe(provider);
  });

  it('anything else → NETWORK, naming the system error code when there is one', () => {
    const refused = new TypeError('fetch failed', {
      cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }),
    });
    const error = transportError(refused, { provider, signal: live() });
    expect(error.code).toBe('NETWORK');
    expect(error.retryable).toBe(true);
    expect(error.provider).toBe(provider);
    expect(error.message).toBe('acme: no response from the vendor (ECONNREFUSED)');
    expect(error.cause).toBe(refused);

    const dns = Object.assign(new Error('getaddrinfo'), { code: 'ENOTFOUND' });
    expect(transportError(dns, { provider, signal: live() }).message).toBe(
      'acme: no response from the vendor (ENOTFOUND)',
    );
    expect(transportError(new TypeError('Failed to fetch'), { provider, signal: live() }).message).toBe(
      'acme: no response from the vendor',
    );
    expect(transportError('a string', { provider, signal: live() }).code).toBe('NETWORK');
    expect(transportError(undefined, { provider, signal: live() }).code).toBe('NETWORK');
  });
});
