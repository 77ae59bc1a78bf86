import { codesWhere, type OtpErrorCode } from './errors.js';

/** Circuit-breaker settings, per provider. */
export interface BreakerOptions {
  /**
   * Consecutive failures of the vendor's own kind that open the breaker.
   * @default 5
   */
  failureThreshold?: number;
  /**
   * Time an open breaker skips its provider before one probe send may try it again, in ms.
   * @default 30000
   */
  cooldownMs?: number;
}

/** Failures that count against a vendor: it could not be reached, did not answer in time, or failed itself. */
export const BREAKER_CODES: ReadonlySet<OtpErrorCode> = new Set(codesWhere('breaker'));

export type BreakerState = 'closed' | 'open' | 'half-open';

/** A provider's breaker, as `dispatcher.health()` reports it. */
export interface BreakerHealth {
  state: BreakerState;
  /** Consecutive failures of the vendor's own kind so far. */
  consecutiveFailures: number;
  /** When the breaker last opened (epoch ms). */
  openedAt?: number;
  /** When an open breaker lets a probe through (epoch ms). */
  probeAt?: number;
}

/** What changed after an outcome was recorded. */
export type BreakerChange = 'opened' | 'closed' | undefined;

/**
 * One provider's circuit breaker. Closed: every send may use the provider. Open: the provider is
 * skipped until the cool-down ends; then the first send through is a probe (half-open) and its outcome
 * closes or re-opens the breaker. Only the check before a provider is tried consults it, so a send
 * already retrying on the provider is never cut short.
 */
export class Breaker {
  #state: BreakerState = 'closed';
  #failures = 0;
  #openedAt = 0;
  #probing = false;
  readonly #threshold: number;
  readonly #cooldownMs: number;

  constructor(threshold: number, cooldownMs: number) {
    this.#threshold = threshold;
    this.#cooldownMs = cooldownMs;
  }

  /** Whether a send may use the provider now, without changing the state (for planning). */
  wouldAllow(now: number): boolean {
    if (this.#state === 'closed') return true;
    if (this.#state === 'open') return now - this.#openedAt >= this.#cooldownMs;
    return !this.#probing;
  }

  /** Asks to use the provider for one send; an open breaker past its cool-down lets this one probe. */
  tryAcquire(now: number): boolean {
    if (this.#state === 'closed') return true;
    if (this.#state === 'open') {
      if (now - this.#openedAt < this.#cooldownMs) return false;
      this.#state = 'half-open';
    }
    if (this.#probing) return false;
    this.#probing = true;
    return true;
  }

  /** Records an attempt's outcome: `undefined` for success, else the error code. */
  record(code: OtpErrorCode | undefined, now: number): BreakerChange {
    if (code === 'ABORTED') {
      // The caller gave up: nothing was learnt about the vendor.
      this.#probing = false;
      return undefined;
    }
    if (code === undefined || !BREAKER_CODES.has(code)) {
      // The vendor answered (even a refusal shows it is up).
      this.#failures = 0;
      this.#probing = false;
      if (this.#state === 'closed') return undefined;
      this.#state = 'closed';
      return 'closed';
    }
    this.#failures++;
    if (this.#state === 'half-open' || (this.#state === 'closed' && this.#failures >= this.#threshold)) {
      this.#state = 'open';
      this.#openedAt = now;
      this.#probing = false;
      return 'opened';
    }
    return undefined;
  }

  health(): BreakerHealth {
    const health: BreakerHealth = { state: this.#state, consecutiveFailures: this.#failures };
    if (this.#state !== 'closed') {
      health.openedAt = this.#openedAt;
      health.probeAt = this.#openedAt + this.#cooldownMs;
    }
    return health;
  }
}
