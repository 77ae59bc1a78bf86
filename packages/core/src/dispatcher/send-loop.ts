import type pRetryFunction from 'p-retry';
import { Breaker, type BreakerHealth } from '../breaker.js';
import type { ResolvedDispatcherOptions } from '../dispatcher-options.js';
import { FAILOVER_CODES, isOtpError, OtpError, type OtpErrorCode } from '../errors.js';
import type { DispatcherEvents } from '../events.js';
import type { SafeEmitter } from '../safe-emitter.js';
import type { OtpProvider, SendReceipt } from '../types.js';
import { type AttemptEnvironment, runAttempt } from './attempt.js';
import { backoff, deadlineError, eventBase, type Job, unexpectedError } from './job.js';
import { lazyRequire } from './lazy-require.js';
import { decideRetry } from './retry-policy.js';

let retry: typeof pRetryFunction | undefined;
function pRetry(): typeof pRetryFunction {
  retry ??= (lazyRequire('p-retry') as { default: typeof pRetryFunction }).default;
  return retry;
}

/**
 * The way of one send through its providers: the breaker gate before each, the attempts with their
 * retries (p-retry, with `retry-policy.ts` deciding), and the failover to the next provider.
 */
export class SendLoop implements AttemptEnvironment {
  readonly timeoutMs: number;
  readonly #options: ResolvedDispatcherOptions;
  readonly #breakers: Map<string, Breaker> | undefined;
  readonly #listeners: SafeEmitter<DispatcherEvents>;

  constructor(options: ResolvedDispatcherOptions, listeners: SafeEmitter<DispatcherEvents>) {
    this.#options = options;
    this.timeoutMs = options.timeoutMs;
    this.#listeners = listeners;
    const { breaker } = options;
    this.#breakers = breaker
      ? new Map(
          options.providers.map((p) => [p.id, new Breaker(breaker.failureThreshold, breaker.cooldownMs)]),
        )
      : undefined;
  }

  /** A provider's breaker, for `health()`; closed when breakers are off. */
  breakerHealth(provider: string): BreakerHealth {
    return this.#breakers?.get(provider)?.health() ?? { state: 'closed', consecutiveFailures: 0 };
  }

  deadlineError(job: Job): OtpError {
    return deadlineError(job, this.#options.deadlineMs);
  }

  /**
   * Runs a send through its providers. The common case (the first provider is open to traffic and
   * accepts) takes no loop and no async frame; anything else continues in `#dispatchFrom`.
   */
  dispatch(job: Job): Promise<SendReceipt> {
    const providers = job.order;
    const first = providers[0]!;
    const breaker = this.#breakers?.get(first.id);
    const now = Date.now();
    if (job.stopped || now >= job.deadline || (breaker && !breaker.wouldAllow(now))) {
      return this.#dispatchFrom(job, 0, undefined);
    }
    breaker?.tryAcquire(now);
    job.provider = first.id;
    job.cutByDeadline = false;
    // One promise on the success path: the retries and the failover hang off the rejection.
    return runAttempt(first, job, breaker, this).then(undefined, (firstError: unknown) =>
      this.#retry(firstError, first, job, 0).then(undefined, (caught: unknown) => {
        const lastError = this.#afterFailure(job, 0, caught);
        return this.#dispatchFrom(job, 1, lastError);
      }),
    );
  }

  async #dispatchFrom(job: Job, start: number, failed: OtpError | undefined): Promise<SendReceipt> {
    const providers = job.order;
    let lastError = failed;
    for (let index = start; index < providers.length; index++) {
      if (!job.stopped && Date.now() >= job.deadline) job.stopped = this.deadlineError(job);
      if (job.stopped) throw job.stopped;
      const provider = providers[index]!;
      const breaker = this.#breakers?.get(provider.id);
      if (breaker && !breaker.tryAcquire(Date.now())) {
        const next = this.#nextAvailable(providers, index);
        const skipped = new OtpError(
          'PROVIDER_UNAVAILABLE',
          `${provider.id}: skipped while its circuit breaker is open`,
          { provider: provider.id },
        );
        lastError = skipped;
        if (next !== undefined && this.#listeners.listenerCount('failover') > 0) {
          job.provider = provider.id;
          this.#listeners.emit('failover', { ...eventBase(job), error: skipped, nextProvider: next });
        }
        continue;
      }
      job.provider = provider.id;
      job.cutByDeadline = false;
      try {
        // Hot path: most sends succeed at once, so the first attempt runs without p-retry's machinery.
        return await runAttempt(provider, job, breaker, this).then(undefined, (firstError: unknown) =>
          this.#retry(firstError, provider, job, index),
        );
      } catch (caught) {
        lastError = this.#afterFailure(job, index, caught);
      }
    }
    // The loop only runs out when the last provider was skipped by its open breaker.
    throw new OtpError(
      'PROVIDER_UNAVAILABLE',
      'No provider is available: the circuit breakers left are open',
      {
        ...(lastError === undefined ? {} : { cause: lastError }),
      },
    );
  }

  /**
   * After a provider failed for good: throws when the send ends here, or announces the failover and
   * returns the error when the next provider should be tried.
   */
  #afterFailure(job: Job, index: number, caught: unknown): OtpError {
    const providers = job.order;
    const provider = providers[index]!;
    const error = isOtpError(caught) ? caught : unexpectedError(provider.id, caught);
    if (job.stopped) throw job.stopped;
    const next = this.#nextAvailable(providers, index);
    if (next === undefined || !FAILOVER_CODES.has(error.code)) {
      if (job.cutByDeadline) {
        throw new OtpError(
          'TIMEOUT',
          `${provider.id}: no time left before the send's deadline of ${this.#options.deadlineMs} ms to retry after ${error.code}`,
          { provider: provider.id, cause: error },
        );
      }
      throw error;
    }
    if (this.#listeners.listenerCount('failover') > 0) {
      this.#listeners.emit('failover', { ...eventBase(job), error, nextProvider: next });
    }
    return error;
  }

  /** Id of the first provider after `index` whose breaker would let a send through. */
  #nextAvailable(providers: readonly OtpProvider[], index: number): string | undefined {
    const now = Date.now();
    for (let next = index + 1; next < providers.length; next++) {
      const id = providers[next]!.id;
      if (this.#breakers?.get(id)?.wouldAllow(now) ?? true) return id;
    }
    return undefined;
  }

  /** The retries on one provider after its first attempt failed with `first`. */
  #retry(first: unknown, provider: OtpProvider, job: Job, index: number): Promise<SendReceipt> {
    let firstError: unknown = first;
    const { retry: bounds, failFastOn } = this.#options;
    const breaker = this.#breakers?.get(provider.id);
    let again = false;
    // p-retry runs the retries and counts them. Its first "attempt" replays the first failure (made
    // without p-retry, on the hot path), so the count is the same as if it had made it. Its own delays
    // are zero: `onFailedAttempt`, which p-retry awaits before the next attempt, decides (retry-policy)
    // and waits the delay itself, so `retrying` can announce it and a stop can cut it short.
    return pRetry()(
      () => {
        if (firstError === undefined) return runAttempt(provider, job, breaker, this);
        const error = firstError;
        firstError = undefined;
        throw error;
      },
      {
        retries: bounds.retries,
        minTimeout: 0,
        maxTimeout: 0,
        shouldRetry: () => again,
        onFailedAttempt: async ({ error, retriesLeft, retriesConsumed }) => {
          const decision = decideRetry(
            {
              error,
              retriesLeft,
              retriesConsumed,
              stopped: job.stopped !== undefined,
              hasNextProvider: () => this.#nextAvailable(job.order, index) !== undefined,
              now: Date.now(),
              deadline: job.deadline,
            },
            bounds,
            failFastOn,
          );
          again = decision.retry;
          if (!decision.retry) {
            if (decision.cutByDeadline) job.cutByDeadline = true;
            return;
          }
          if (this.#listeners.listenerCount('retrying') > 0) {
            this.#listeners.emit('retrying', {
              ...eventBase(job),
              error: error as OtpError,
              delayMs: decision.delayMs,
            });
          }
          await backoff(decision.delayMs, job);
        },
      },
    );
  }

  record(breaker: Breaker | undefined, provider: string, outcome: OtpErrorCode | undefined): void {
    if (!breaker) return;
    const now = Date.now();
    const change = breaker.record(outcome, now);
    if (change === 'opened') {
      if (this.#listeners.listenerCount('breaker-open') > 0) {
        const health = breaker.health();
        this.#listeners.emit('breaker-open', {
          provider,
          consecutiveFailures: health.consecutiveFailures,
          probeAt: health.probeAt ?? now,
          at: now,
        });
      }
    } else if (change === 'closed' && this.#listeners.listenerCount('breaker-closed') > 0) {
      this.#listeners.emit('breaker-closed', { provider, at: now });
    }
  }
}
