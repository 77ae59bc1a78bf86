import { isOtpError, type OtpErrorCode } from '../errors.js';

/**
 * When to retry a failed attempt on the same provider, and how long to wait first: small pure functions,
 * no timer, no state (tested without either in `retry-policy.test.ts`).
 */

/** The retry bounds the policy reads (the dispatcher's resolved `retry` option). */
export interface RetryBounds {
  retries: number;
  minDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
}

/** What to do after a failed attempt. */
export type RetryDecision =
  /** Wait `delayMs`, then attempt again. */
  | { retry: true; delayMs: number }
  /** Do not retry; `cutByDeadline` when only the deadline stood in the way. */
  | { retry: false; cutByDeadline: boolean };

export interface FailedAttempt {
  /** What the attempt failed with. */
  error: unknown;
  /** Retries still allowed on this provider (p-retry's count). */
  retriesLeft: number;
  /** Retries made so far on this provider. */
  retriesConsumed: number;
  /** The send was stopped (caller's abort, deadline). */
  stopped: boolean;
  /** Whether another provider could take the send now (asked only for a `failFastOn` code). */
  hasNextProvider: () => boolean;
  now: number;
  /** The send's deadline (epoch ms). */
  deadline: number;
}

const NO_RETRY: RetryDecision = Object.freeze({ retry: false, cutByDeadline: false });
const CUT: RetryDecision = Object.freeze({ retry: false, cutByDeadline: true });

/**
 * The decision after a failed attempt: no retry when the send was stopped, retries are spent, the error
 * is not a retryable `OtpError`, a `failFastOn` code can go to another provider at once, or the vendor's
 * `Retry-After` is longer than `maxRetryAfterMs`; a cut when the wait would cross the deadline; else the
 * wait (`Retry-After`, or backoff with jitter).
 */
export function decideRetry(
  attempt: FailedAttempt,
  bounds: RetryBounds,
  failFastOn: ReadonlySet<OtpErrorCode>,
  random: () => number = Math.random,
): RetryDecision {
  const { error } = attempt;
  if (attempt.stopped || attempt.retriesLeft <= 0 || !isOtpError(error) || !error.retryable) return NO_RETRY;
  if (failFastOn.has(error.code) && attempt.hasNextProvider()) return NO_RETRY;
  let delayMs: number;
  if (error.retryAfterMs !== undefined) {
    const wait = retryAfterWait(error.retryAfterMs, bounds.maxRetryAfterMs);
    if (wait === undefined) return NO_RETRY;
    delayMs = wait;
  } else {
    delayMs = backoffDelay(attempt.retriesConsumed, bounds, random);
  }
  if (attempt.now + delayMs >= attempt.deadline) return CUT;
  return { retry: true, delayMs };
}

/**
 * Exponential backoff with equal jitter: the ceiling `minDelayMs × 2^retriesConsumed` (at most
 * `maxDelayMs`), then a wait between half of it and all of it.
 */
export function backoffDelay(
  retriesConsumed: number,
  { minDelayMs, maxDelayMs }: Pick<RetryBounds, 'minDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxDelayMs, minDelayMs * 2 ** retriesConsumed);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** The wait a vendor's `Retry-After` asks for, or `undefined` when it is longer than `maxRetryAfterMs`. */
export function retryAfterWait(retryAfterMs: number, maxRetryAfterMs: number): number | undefined {
  if (retryAfterMs > maxRetryAfterMs) return undefined;
  return Math.max(0, Math.round(retryAfterMs));
}
