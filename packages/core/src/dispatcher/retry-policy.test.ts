import { describe, expect, it } from 'vitest';
import { OtpError, type OtpErrorCode } from '../errors.js';
import { backoffDelay, decideRetry, type FailedAttempt, retryAfterWait } from './retry-policy.js';

// The retry decisions as pure functions: no timer, no dispatcher.

const bounds = { retries: 3, minDelayMs: 250, maxDelayMs: 8000, maxRetryAfterMs: 30_000 };
const failFastOn = new Set<OtpErrorCode>(['TIMEOUT', 'NETWORK']);
const NOW = 1_000_000;
const attempt = (error: unknown, extra: Partial<FailedAttempt> = {}): FailedAttempt => ({
  error,
  retriesLeft: 3,
  retriesConsumed: 0,
  stopped: false,
  hasNextProvider: () => false,
  now: NOW,
  deadline: NOW + 30_000,
  ...extra,
});
const unavailable = (retryAfterMs?: number) =>
  new OtpError('PROVIDER_UNAVAILABLE', 'down', retryAfterMs === undefined ? {} : { retryAfterMs });

describe('backoffDelay: exponential, equal jitter', () => {
  it('waits between half the ceiling and the ceiling, the ceiling doubling up to maxDelayMs', () => {
    expect(backoffDelay(0, bounds, () => 0)).toBe(125);
    expect(backoffDelay(0, bounds, () => 1)).toBe(250);
    expect(backoffDelay(1, bounds, () => 0)).toBe(250);
    expect(backoffDelay(2, bounds, () => 1)).toBe(1000);
    expect(backoffDelay(10, bounds, () => 1)).toBe(8000);
    expect(backoffDelay(10, bounds, () => 0)).toBe(4000);
  });
});

describe('retryAfterWait', () => {
  it("honours the vendor's Retry-After up to maxRetryAfterMs, never negative", () => {
    expect(retryAfterWait(7000, 30_000)).toBe(7000);
    expect(retryAfterWait(-5, 30_000)).toBe(0);
    expect(retryAfterWait(1.6, 30_000)).toBe(2);
    expect(retryAfterWait(30_001, 30_000)).toBeUndefined();
  });
});

describe('decideRetry', () => {
  it('retries a retryable OtpError after the backoff', () => {
    expect(decideRetry(attempt(unavailable()), bounds, failFastOn, () => 1)).toEqual({
      retry: true,
      delayMs: 250,
    });
  });

  it("waits the vendor's Retry-After instead, and gives up on one longer than maxRetryAfterMs", () => {
    expect(decideRetry(attempt(unavailable(7000)), bounds, failFastOn)).toEqual({
      retry: true,
      delayMs: 7000,
    });
    expect(decideRetry(attempt(unavailable(60_000)), bounds, failFastOn)).toEqual({
      retry: false,
      cutByDeadline: false,
    });
  });

  it('does not retry a stopped send, spent retries, a non-retryable or a foreign error', () => {
    const no = { retry: false, cutByDeadline: false };
    expect(decideRetry(attempt(unavailable(), { stopped: true }), bounds, failFastOn)).toEqual(no);
    expect(decideRetry(attempt(unavailable(), { retriesLeft: 0 }), bounds, failFastOn)).toEqual(no);
    expect(decideRetry(attempt(new OtpError('REJECTED', 'no')), bounds, failFastOn)).toEqual(no);
    expect(
      decideRetry(
        attempt(new OtpError('PROVIDER_UNAVAILABLE', 'x', { retryable: false })),
        bounds,
        failFastOn,
      ),
    ).toEqual(no);
    expect(decideRetry(attempt(new Error('plain')), bounds, failFastOn)).toEqual(no);
  });

  it('fails fast on a failFastOn code only when another provider can take the send', () => {
    const timeout = new OtpError('TIMEOUT', 'slow');
    expect(decideRetry(attempt(timeout, { hasNextProvider: () => true }), bounds, failFastOn).retry).toBe(
      false,
    );
    expect(decideRetry(attempt(timeout, { hasNextProvider: () => false }), bounds, failFastOn).retry).toBe(
      true,
    );
    let asked = 0;
    decideRetry(attempt(unavailable(), { hasNextProvider: () => ++asked > 0 }), bounds, failFastOn);
    expect(asked).toBe(0);
  });

  it('cuts a wait that would cross the deadline', () => {
    expect(decideRetry(attempt(unavailable(7000), { deadline: NOW + 7000 }), bounds, failFastOn)).toEqual({
      retry: false,
      cutByDeadline: true,
    });
    expect(decideRetry(attempt(unavailable(7000), { deadline: NOW + 7001 }), bounds, failFastOn).retry).toBe(
      true,
    );
  });
});
