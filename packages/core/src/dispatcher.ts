import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'eventemitter3';
import pRetry from 'p-retry';
import {
  type DispatcherOptions,
  type ResolvedDispatcherOptions,
  resolveDispatcherOptions,
} from './dispatcher-options.js';
import { isOtpError, OtpError, type OtpErrorCode } from './errors.js';
import type { DeliveryEvent, DispatcherEventName, DispatcherEvents } from './events.js';
import { Fifo } from './queue.js';
import type { DeliveryReport, OtpMessage, OtpProvider, SendReceipt } from './types.js';
import { validateMessage } from './validation.js';

/** What `send()` resolves with: the provider's receipt, the dispatch id and the attempts it took. */
export interface DispatchResult extends SendReceipt {
  /** The dispatch id, the same as in every event of this send. */
  id: string;
  /** Attempts made over all providers, the successful one included. */
  attempts: number;
}

export interface SendOptions {
  /** Aborting it ends the send with `ABORTED`: taken off the queue, or the attempt in flight cancelled, no retry. */
  signal?: AbortSignal;
}

/** Codes after which the next provider in the list is tried (once the current one's retries are spent). */
export const FAILOVER_CODES: ReadonlySet<OtpErrorCode> = new Set<OtpErrorCode>([
  'AUTHENTICATION',
  'INVALID_CONFIG',
  'PROVIDER_UNAVAILABLE',
  'RATE_LIMITED',
  'NETWORK',
  'TIMEOUT',
  'INVALID_RESPONSE',
]);

const QUEUED = 0;
const RUNNING = 1;
const DONE = 2;

interface Job {
  id: string;
  message: OtpMessage;
  queuedAt: number;
  state: typeof QUEUED | typeof RUNNING | typeof DONE;
  attempts: number;
  provider: string;
  signal: AbortSignal | undefined;
  onQueuedAbort: (() => void) | undefined;
  resolve: ((result: DispatchResult) => void) | undefined;
  reject: ((error: OtpError) => void) | undefined;
}

/** How many recent sends `report()` can match to their dispatch id and reference. */
const RECENT_SENDS = 10_000;

type Listener = (...args: never[]) => unknown;

/**
 * Queues OTP sends, runs them with bounded concurrency through an ordered list of providers with
 * retries and failover, and tells the app what happened through typed events.
 *
 * Every accepted send emits exactly one `queued` and exactly one terminal event (`sent` or `failed`).
 * A refused send (bad input, full queue, closed dispatcher) is not accepted: it throws or rejects at once
 * and emits nothing.
 */
export class Dispatcher {
  readonly #options: ResolvedDispatcherOptions;
  readonly #emitter = new EventEmitter<DispatcherEvents>();
  readonly #wrapped = new Map<DispatcherEventName, WeakMap<Listener, Listener>>();
  readonly #queue = new Fifo<Job>();
  readonly #recent = new Map<string, { id: string; reference: string | undefined }>();
  #waiting = 0;
  #running = 0;
  #closed = false;
  #drained: Promise<void> | undefined;
  #onDrained: (() => void) | undefined;

  constructor(options: DispatcherOptions) {
    this.#options = resolveDispatcherOptions(options);
  }

  /** Ids of the providers, in failover order. */
  get providers(): readonly string[] {
    return this.#options.providers.map((provider) => provider.id);
  }

  /** The provider instance with this id, e.g. the fake an app's test configured by `OTPKIT_PROVIDER=fake`. */
  getProvider<T extends OtpProvider = OtpProvider>(id: string): T | undefined {
    return this.#options.providers.find((provider) => provider.id === id) as T | undefined;
  }

  /** Sends accepted and waiting for a free slot. */
  get queued(): number {
    return this.#waiting;
  }

  /** Sends being attempted right now. */
  get inFlight(): number {
    return this.#running;
  }

  /** True once `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Sends one OTP. Resolves when a provider accepted it; rejects with `OtpError` when every attempt and
   * provider failed, when the input is refused (`INVALID_INPUT`, before anything is queued), when the
   * queue is full (`QUEUE_FULL`), the dispatcher closed (`CLOSED`) or the signal aborted (`ABORTED`).
   */
  send(message: OtpMessage, options: SendOptions = {}): Promise<DispatchResult> {
    let job: Job;
    try {
      job = this.#accept(message, options.signal);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<DispatchResult>((resolve, reject) => {
      job.resolve = resolve;
      job.reject = reject;
      this.#admit(job);
    });
  }

  /**
   * Accepts one OTP for sending and returns its dispatch id at once; the outcome arrives only as events
   * (`sent` or `failed` with this id). Throws `OtpError` (`INVALID_INPUT`, `QUEUE_FULL`, `CLOSED`) when
   * the send is refused; a refused send emits no event.
   */
  enqueue(message: OtpMessage): string {
    const job = this.#accept(message, undefined);
    this.#admit(job);
    return job.id;
  }

  /**
   * Stops intake (further sends get `CLOSED`) and resolves once every accepted send, queued or in
   * flight, has ended with its terminal event.
   */
  close(): Promise<void> {
    this.#closed = true;
    if (this.#drained) return this.#drained;
    this.#drained = new Promise<void>((resolve) => {
      this.#onDrained = resolve;
    });
    this.#checkDrained();
    return this.#drained;
  }

  /**
   * Emits a delivery report as `delivered` or `undelivered` (reports that are `pending` or `unknown`
   * emit nothing). Reports about messages this dispatcher sent recently carry the dispatch id and reference.
   */
  report(report: DeliveryReport): void {
    const event =
      report.status === 'delivered'
        ? 'delivered'
        : report.status === 'undelivered'
          ? 'undelivered'
          : undefined;
    if (event === undefined || this.#emitter.listenerCount(event) === 0) return;
    const known = this.#recent.get(`${report.provider}\u0000${report.messageId}`);
    const payload: DeliveryEvent = {
      provider: report.provider,
      messageId: report.messageId,
      report,
      at: Date.now(),
    };
    if (report.to !== undefined) payload.to = report.to;
    if (known) {
      payload.id = known.id;
      if (known.reference !== undefined) payload.reference = known.reference;
    }
    this.#emit(event, payload);
  }

  /** Subscribes to an event. A listener that throws (or rejects) does not affect the send or other listeners. */
  on<E extends DispatcherEventName>(event: E, listener: DispatcherEvents[E]): this {
    this.#emitter.on(event, this.#wrap(event, listener) as never);
    return this;
  }

  /** Like `on`, for the next occurrence only. */
  once<E extends DispatcherEventName>(event: E, listener: DispatcherEvents[E]): this {
    this.#emitter.once(event, this.#wrap(event, listener) as never);
    return this;
  }

  /** Removes a listener, or every listener of the event when none is given. */
  off<E extends DispatcherEventName>(event: E, listener?: DispatcherEvents[E]): this {
    if (listener === undefined) {
      this.#emitter.removeAllListeners(event);
    } else {
      const wrapper = this.#wrapped.get(event)?.get(listener as Listener);
      if (wrapper) this.#emitter.off(event, wrapper as never);
    }
    return this;
  }

  /** Number of listeners of an event. */
  listenerCount(event: DispatcherEventName): number {
    return this.#emitter.listenerCount(event);
  }

  #accept(input: OtpMessage, signal: AbortSignal | undefined): Job {
    if (this.#closed) throw new OtpError('CLOSED', 'The dispatcher is closed; no new sends are accepted');
    const message = validateMessage(input);
    if (signal?.aborted) throw abortedError(undefined, signal.reason);
    if (this.#running >= this.#options.concurrency && this.#waiting >= this.#options.maxQueue) {
      throw new OtpError(
        'QUEUE_FULL',
        `The send queue is full (${this.#options.maxQueue} waiting); try again later or raise maxQueue`,
      );
    }
    return {
      id: randomUUID(),
      message,
      queuedAt: Date.now(),
      state: QUEUED,
      attempts: 0,
      provider: this.#options.providers[0]!.id,
      signal,
      onQueuedAbort: undefined,
      resolve: undefined,
      reject: undefined,
    };
  }

  #admit(job: Job): void {
    if (this.#emitter.listenerCount('queued') > 0) this.#emit('queued', this.#base(job));
    if (job.signal) {
      job.onQueuedAbort = () => {
        if (job.state !== QUEUED) return;
        this.#waiting--;
        this.#fail(job, abortedError(undefined, job.signal?.reason));
        this.#checkDrained();
      };
      job.signal.addEventListener('abort', job.onQueuedAbort, { once: true });
    }
    this.#waiting++;
    this.#queue.push(job);
    this.#pump();
  }

  #pump(): void {
    while (this.#running < this.#options.concurrency) {
      const job = this.#queue.shift();
      if (job === undefined) return;
      if (job.state !== QUEUED) continue;
      this.#waiting--;
      this.#running++;
      job.state = RUNNING;
      if (job.onQueuedAbort) job.signal?.removeEventListener('abort', job.onQueuedAbort);
      void this.#run(job);
    }
  }

  async #run(job: Job): Promise<void> {
    try {
      const receipt = await this.#dispatch(job);
      this.#succeed(job, receipt);
    } catch (error) {
      this.#fail(job, isOtpError(error) ? error : unexpectedError(job.provider, error));
    } finally {
      this.#running--;
      this.#pump();
      this.#checkDrained();
    }
  }

  async #dispatch(job: Job): Promise<SendReceipt> {
    const providers = this.#options.providers;
    for (let index = 0; ; index++) {
      const provider = providers[index]!;
      job.provider = provider.id;
      try {
        return await this.#sendWithRetries(provider, job);
      } catch (caught) {
        const error = isOtpError(caught) ? caught : unexpectedError(provider.id, caught);
        const next = providers[index + 1];
        if (next === undefined || !FAILOVER_CODES.has(error.code)) throw error;
        if (this.#emitter.listenerCount('failover') > 0) {
          this.#emit('failover', { ...this.#base(job), error, nextProvider: next.id });
        }
      }
    }
  }

  #sendWithRetries(provider: OtpProvider, job: Job): Promise<SendReceipt> {
    const { retries, minDelayMs, maxDelayMs, maxRetryAfterMs } = this.#options.retry;
    let retry = false;
    // p-retry runs the attempts and counts the retries; the delay (backoff with jitter, or the
    // vendor's Retry-After) is computed and waited here, so `retrying` can announce it.
    return pRetry(() => this.#attempt(provider, job), {
      retries,
      minTimeout: 0,
      maxTimeout: 0,
      shouldRetry: () => retry,
      onFailedAttempt: async ({ error, retriesLeft, retriesConsumed }) => {
        retry = false;
        if (retriesLeft <= 0 || !isOtpError(error) || !error.retryable) return;
        let delayMs: number;
        if (error.retryAfterMs !== undefined) {
          if (error.retryAfterMs > maxRetryAfterMs) return;
          delayMs = Math.max(0, Math.round(error.retryAfterMs));
        } else {
          const ceiling = Math.min(maxDelayMs, minDelayMs * 2 ** retriesConsumed);
          delayMs = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
        }
        retry = true;
        if (this.#emitter.listenerCount('retrying') > 0) {
          this.#emit('retrying', { ...this.#base(job), error, delayMs });
        }
        await sleep(delayMs, job.signal, provider.id);
      },
    });
  }

  #attempt(provider: OtpProvider, job: Job): Promise<SendReceipt> {
    // The caller may have aborted between two attempts (e.g. from a `queued` or `failover` listener):
    // an abort listener added now would never fire, so check first and make no further attempt.
    if (job.signal?.aborted) return Promise.reject(abortedError(provider.id, job.signal.reason));
    const attempt = ++job.attempts;
    const { timeoutMs } = this.#options;
    const callerSignal = job.signal;
    return new Promise<SendReceipt>((resolve, reject) => {
      const controller = new AbortController();
      let settled = false;
      const finish = () => {
        settled = true;
        clearTimeout(timer);
        callerSignal?.removeEventListener('abort', onAbort);
      };
      const giveUp = (error: OtpError) => {
        if (settled) return;
        finish();
        controller.abort(error);
        reject(error);
      };
      const timer = setTimeout(
        () =>
          giveUp(
            new OtpError('TIMEOUT', `${provider.id}: attempt ${attempt} took longer than ${timeoutMs} ms`, {
              provider: provider.id,
            }),
          ),
        timeoutMs,
      );
      const onAbort = () => giveUp(abortedError(provider.id, callerSignal?.reason));
      callerSignal?.addEventListener('abort', onAbort, { once: true });

      let pending: Promise<SendReceipt>;
      try {
        pending = provider.send(job.message, { signal: controller.signal, attempt });
      } catch (error) {
        pending = Promise.reject(error);
      }
      pending.then(
        (receipt) => {
          if (settled) return;
          finish();
          if (receipt === null || typeof receipt !== 'object' || typeof receipt.messageId !== 'string') {
            reject(
              new OtpError('INVALID_RESPONSE', `${provider.id}: the provider resolved without a messageId`, {
                provider: provider.id,
              }),
            );
          } else {
            resolve(receipt);
          }
        },
        (error: unknown) => {
          if (settled) return;
          finish();
          reject(isOtpError(error) ? error : unexpectedError(provider.id, error));
        },
      );
    });
  }

  #succeed(job: Job, receipt: SendReceipt): void {
    job.state = DONE;
    const reference = job.message.reference;
    // Keyed by the id of the provider that accepted, not what its receipt claims.
    this.#recent.set(`${job.provider}\u0000${receipt.messageId}`, { id: job.id, reference });
    if (this.#recent.size > RECENT_SENDS) this.#recent.delete(this.#recent.keys().next().value!);
    if (this.#emitter.listenerCount('sent') > 0) {
      const base = this.#base(job);
      this.#emit('sent', {
        ...base,
        receipt: {
          provider: receipt.provider,
          messageId: receipt.messageId,
          to: receipt.to,
          acceptedAt: receipt.acceptedAt,
        },
        elapsedMs: base.at - job.queuedAt,
      });
    }
    job.resolve?.({ ...receipt, id: job.id, attempts: job.attempts });
  }

  #fail(job: Job, error: OtpError): void {
    job.state = DONE;
    if (this.#emitter.listenerCount('failed') > 0) {
      const base = this.#base(job);
      this.#emit('failed', { ...base, error, elapsedMs: base.at - job.queuedAt });
    }
    job.reject?.(error);
  }

  #checkDrained(): void {
    if (this.#onDrained && this.#running === 0 && this.#waiting === 0) {
      this.#onDrained();
      this.#onDrained = undefined;
    }
  }

  #base(job: Job) {
    const base: {
      id: string;
      reference?: string;
      to: string;
      provider: string;
      attempt: number;
      queuedAt: number;
      at: number;
    } = {
      id: job.id,
      to: job.message.to,
      provider: job.provider,
      attempt: job.attempts,
      queuedAt: job.queuedAt,
      at: Date.now(),
    };
    if (job.message.reference !== undefined) base.reference = job.message.reference;
    return base;
  }

  #emit<E extends DispatcherEventName>(event: E, payload: Parameters<DispatcherEvents[E]>[0]): void {
    (this.#emitter.emit as (event: E, payload: unknown) => boolean)(event, payload);
  }

  #wrap(event: DispatcherEventName, listener: Listener): Listener {
    let byListener = this.#wrapped.get(event);
    if (!byListener) {
      byListener = new WeakMap();
      this.#wrapped.set(event, byListener);
    }
    let wrapper = byListener.get(listener);
    if (!wrapper) {
      const report = (error: unknown) => {
        try {
          this.#options.onListenerError(error, event);
        } catch {
          // The app's error handler failed too; the send must go on.
        }
      };
      wrapper = (...args: never[]) => {
        try {
          const result = listener(...args) as { then?: unknown } | undefined;
          if (result && typeof result.then === 'function')
            (result as Promise<unknown>).then(undefined, report);
        } catch (error) {
          report(error);
        }
      };
      byListener.set(listener, wrapper);
    }
    return wrapper;
  }
}

/** Creates a dispatcher without any DI container. Throws `INVALID_CONFIG` on wrong options. */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  return new Dispatcher(options);
}

function abortedError(provider: string | undefined, reason: unknown): OtpError {
  return new OtpError(
    'ABORTED',
    provider ? `${provider}: the send was aborted by the caller` : 'The send was aborted by the caller',
    {
      ...(provider === undefined ? {} : { provider }),
      cause: reason,
    },
  );
}

function unexpectedError(provider: string, error: unknown): OtpError {
  const kind = error instanceof Error ? error.name : typeof error;
  return new OtpError('PROVIDER_UNAVAILABLE', `${provider}: the provider failed with an unexpected ${kind}`, {
    provider,
    retryable: false,
    cause: error,
  });
}

function sleep(ms: number, signal: AbortSignal | undefined, provider: string): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortedError(provider, signal.reason));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError(provider, signal?.reason));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
