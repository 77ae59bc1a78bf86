import { createRequire } from 'node:module';
import type { EventEmitter } from 'eventemitter3';
import type pRetryFunction from 'p-retry';
import { Breaker, type BreakerHealth } from './breaker.js';
import {
  type DispatcherOptions,
  type ResolvedDispatcherOptions,
  resolveDispatcherOptions,
} from './dispatcher-options.js';
import { codesWhere, isOtpError, OtpError, type OtpErrorCode } from './errors.js';
import type { DeliveryEvent, DispatcherEventName, DispatcherEvents } from './events.js';
import { Fifo } from './queue.js';
import type { DeliveryReport, OtpMessage, OtpProvider, SendContext, SendReceipt } from './types.js';
import { isMessageId, MAX_MESSAGE_ID_LENGTH, validateMessage } from './validation.js';

/** What `send()` resolves with: the provider's receipt, the dispatch id and the attempts it took. */
export interface DispatchResult extends SendReceipt {
  /** The dispatch id, the same as in every event of this send. */
  id: string;
  /** Attempts made over all providers, the successful one included. */
  attempts: number;
  /** Earlier attempts that timed out and may have been delivered too (see `SentEvent`). */
  unconfirmedAttempts: number;
}

export interface SendOptions {
  /** Aborting it ends the send with `ABORTED`: taken off the queue, or the attempt in flight cancelled, no retry. */
  signal?: AbortSignal;
  /**
   * Id of the provider to try first for this send; the others follow in their usual order, wrapping
   * round (`[a, b, c]` with `startWith: 'b'` tries `b`, `c`, then `a`). A provider that does not serve
   * this number (routes) is ignored; an id the dispatcher does not have is `INVALID_INPUT`. Default:
   * the usual order. A verifier's resend uses it to go through the next vendor.
   */
  startWith?: string;
}

/** Codes after which the next provider in the list is tried (once the current one's retries are spent). */
export const FAILOVER_CODES: ReadonlySet<OtpErrorCode> = new Set(codesWhere('failover'));

/** A snapshot for health checks. */
export interface DispatcherHealth {
  /** Each provider in failover order, with its circuit breaker. */
  providers: ({ id: string } & BreakerHealth)[];
  queued: number;
  inFlight: number;
  closed: boolean;
}

const QUEUED = 0;
const RUNNING = 1;
const DONE = 2;

interface Job {
  id: string;
  message: OtpMessage;
  queuedAt: number;
  deadline: number;
  state: typeof QUEUED | typeof RUNNING | typeof DONE;
  /** Providers for this recipient, in failover order (routing by destination). */
  order: readonly OtpProvider[];
  attempts: number;
  unconfirmed: number;
  provider: string;
  /** Set when a backoff was not waited because it would have crossed the deadline. */
  cutByDeadline: boolean;
  /** Set when the caller aborted or the deadline passed; the send ends with it. */
  stopped: OtpError | undefined;
  /** Cancels what the send is waiting for now (an attempt or a backoff) with the stop reason. */
  interrupt: ((reason: OtpError) => void) | undefined;
  callerSignal: AbortSignal | undefined;
  onCallerAbort: (() => void) | undefined;
  resolve: ((result: DispatchResult) => void) | undefined;
  reject: ((error: OtpError) => void) | undefined;
}

/** How many recent sends `report()` can match to their dispatch id and reference. */
const RECENT_SENDS = 10_000;

type Listener = (...args: never[]) => unknown;

/** A provider's recent sends, by message id: the dispatch id, or the dispatch id and the reference. */
interface RecentSends {
  current: Map<string, string | readonly [string, string]>;
  older: Map<string, string | readonly [string, string]>;
}

/**
 * Queues OTP sends, runs them with bounded concurrency through an ordered list of providers with
 * retries, failover, a circuit breaker per provider and a deadline per send, and tells the app what
 * happened through typed events.
 *
 * Every accepted send emits exactly one `queued` and exactly one terminal event (`sent` or `failed`).
 * A refused send (bad input, full queue, closed dispatcher) is not accepted: it throws or rejects at once
 * and emits nothing.
 */
export class Dispatcher {
  readonly #options: ResolvedDispatcherOptions;
  readonly #breakers: Map<string, Breaker> | undefined;
  readonly #emitter: EventEmitter<DispatcherEvents> = new (eventEmitterClass())();
  readonly #wrapped = new Map<DispatcherEventName, WeakMap<Listener, Listener>>();
  readonly #queue = new Fifo<Job>();
  // Two generations instead of evicting one by one: deleting from the front of a Map is not O(1) in V8.
  // By provider id, in two generations: deleting from the front of a Map is not O(1) in V8, and a send
  // without a reference costs no object at all.
  readonly #recent = new Map<string, RecentSends>();
  /** Dispatch ids: a random prefix per dispatcher, then a counter; unique without a UUID per send. */
  readonly #idPrefix = `${crypto.randomUUID()}-`;
  #sequence = 0;
  #waiting = 0;
  #running = 0;
  #closed = false;
  #drained: Promise<void> | undefined;
  /** One timer for the queue: sends wait in FIFO order with the same deadline, so the head expires first. */
  #expiryTimer: ReturnType<typeof setTimeout> | undefined;
  #onDrained: (() => void) | undefined;

  constructor(options: DispatcherOptions) {
    this.#options = resolveDispatcherOptions(options);
    const { breaker } = this.#options;
    this.#breakers = breaker
      ? new Map(
          this.#options.providers.map((p) => [
            p.id,
            new Breaker(breaker.failureThreshold, breaker.cooldownMs),
          ]),
        )
      : undefined;
  }

  /** Ids of the providers, in failover order. */
  get providers(): readonly string[] {
    return this.#options.providers.map((provider) => provider.id);
  }

  /**
   * Ids of the providers that serve this number, in its failover order: its longest matching route,
   * else every provider. A verifier uses it to send a resend through the next vendor (`startWith`).
   */
  providersFor(to: string): readonly string[] {
    if (typeof to !== 'string') {
      throw new OtpError('INVALID_INPUT', 'to: expected a phone number (a string)', {
        issues: [{ path: 'to', message: 'expected a phone number (a string)' }],
      });
    }
    return this.#orderFor(to).map((provider) => provider.id);
  }

  /** The provider instance with this id, e.g. the fake an app's test configured by `OTPKIT_PROVIDER=fake`. */
  getProvider<T extends OtpProvider = OtpProvider>(id: string): T | undefined {
    return this.#options.providers.find((provider) => provider.id === id) as T | undefined;
  }

  /** Breaker state of each provider and the queue, for health checks. */
  health(): DispatcherHealth {
    return {
      providers: this.#options.providers.map((provider) => ({
        id: provider.id,
        ...(this.#breakers?.get(provider.id)?.health() ?? {
          state: 'closed' as const,
          consecutiveFailures: 0,
        }),
      })),
      queued: this.#waiting,
      inFlight: this.#running,
      closed: this.#closed,
    };
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
  send(message: OtpMessage, options?: SendOptions): Promise<DispatchResult> {
    let job: Job;
    try {
      job = this.#accept(message, options?.signal, options?.startWith);
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
   * emit nothing). Reports about messages this dispatcher sent recently (the last 10 000 or more) carry
   * the dispatch id and reference. That table holds at most 20 000 ids per provider, each of at most
   * `MAX_MESSAGE_ID_LENGTH` characters (longer ones are refused at the receipt, never remembered).
   */
  report(report: DeliveryReport): void {
    const event =
      report.status === 'delivered'
        ? 'delivered'
        : report.status === 'undelivered'
          ? 'undelivered'
          : undefined;
    if (event === undefined || this.#emitter.listenerCount(event) === 0) return;
    const recent = isMessageId(report.messageId) ? this.#recent.get(report.provider) : undefined;
    const known = recent?.current.get(report.messageId) ?? recent?.older.get(report.messageId);
    const payload: DeliveryEvent = {
      provider: report.provider,
      messageId: report.messageId,
      report,
      at: Date.now(),
    };
    if (report.to !== undefined) payload.to = report.to;
    if (typeof known === 'string') {
      payload.id = known;
    } else if (known !== undefined) {
      payload.id = known[0];
      payload.reference = known[1];
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

  #accept(input: OtpMessage, signal: AbortSignal | undefined, startWith?: string): Job {
    if (this.#closed) throw new OtpError('CLOSED', 'The dispatcher is closed; no new sends are accepted');
    const message = validateMessage(input);
    if (signal?.aborted) throw abortedError(undefined, signal.reason);
    if (this.#running >= this.#options.concurrency && this.#waiting >= this.#options.maxQueue) {
      throw new OtpError(
        'QUEUE_FULL',
        `The send queue is full (${this.#options.maxQueue} waiting); try again later or raise maxQueue`,
      );
    }
    const queuedAt = Date.now();
    const order =
      startWith === undefined ? this.#orderFor(message.to) : this.#orderStartingWith(message.to, startWith);
    return {
      id: `${this.#idPrefix}${(++this.#sequence).toString(36)}`,
      message,
      queuedAt,
      deadline: queuedAt + this.#options.deadlineMs,
      state: QUEUED,
      attempts: 0,
      unconfirmed: 0,
      order,
      provider: order[0]!.id,
      cutByDeadline: false,
      stopped: undefined,
      interrupt: undefined,
      callerSignal: signal,
      onCallerAbort: undefined,
      resolve: undefined,
      reject: undefined,
    };
  }

  #admit(job: Job): void {
    // Counted before `queued` is emitted: a listener that calls `close()` waits for this send, and one
    // that calls `enqueue()` meets the queue bound with this send in it.
    this.#waiting++;
    this.#queue.push(job);
    if (this.#emitter.listenerCount('queued') > 0) this.#emit('queued', this.#base(job));
    const callerSignal = job.callerSignal;
    if (callerSignal) {
      // A `queued` listener may have aborted the caller's signal already.
      if (callerSignal.aborted) {
        this.#stop(job, abortedError(job.state === RUNNING ? job.provider : undefined, callerSignal.reason));
        return;
      }
      job.onCallerAbort = () =>
        this.#stop(job, abortedError(job.state === RUNNING ? job.provider : undefined, callerSignal.reason));
      callerSignal.addEventListener('abort', job.onCallerAbort, { once: true });
    }
    this.#pump();
    if (this.#waiting > 0) this.#armExpiry();
  }

  /** The provider order for a recipient: the longest matching route, else every provider in order. */
  #orderFor(to: string): readonly OtpProvider[] {
    for (const route of this.#options.routes) {
      if (to.startsWith(route.prefix)) return route.providers;
    }
    return this.#options.providers;
  }

  /** The recipient's order rotated to begin with `startWith` (`SendOptions.startWith`). */
  #orderStartingWith(to: string, startWith: string): readonly OtpProvider[] {
    if (typeof startWith !== 'string' || !this.#options.providers.some((p) => p.id === startWith)) {
      const message = `startWith: expected the id of one of this dispatcher's providers (${this.providers.join(', ')})`;
      throw new OtpError('INVALID_INPUT', message, { issues: [{ path: 'startWith', message }] });
    }
    const order = this.#orderFor(to);
    const index = order.findIndex((provider) => provider.id === startWith);
    return index <= 0 ? order : [...order.slice(index), ...order.slice(0, index)];
  }

  #deadlineError(job: Job): OtpError {
    return new OtpError('TIMEOUT', `The send ran past its deadline of ${this.#options.deadlineMs} ms`, {
      ...(job.state === RUNNING ? { provider: job.provider } : {}),
    });
  }

  #armExpiry(): void {
    if (this.#expiryTimer !== undefined) return;
    const head = this.#queue.peek();
    if (head === undefined) return;
    this.#expiryTimer = setTimeout(
      () => {
        this.#expiryTimer = undefined;
        this.#expire();
      },
      Math.max(0, head.deadline - Date.now()),
    );
    // Queued sends never keep a process alive on their own; the attempts in flight do.
    this.#expiryTimer.unref?.();
  }

  /** Fails the queued sends whose deadline has passed (they sit at the head: FIFO, one deadlineMs). */
  #expire(): void {
    const now = Date.now();
    for (let head = this.#queue.peek(); head !== undefined; head = this.#queue.peek()) {
      if (head.state === QUEUED && head.deadline > now) break;
      this.#queue.shift();
      if (head.state === QUEUED) this.#stop(head, this.#deadlineError(head));
    }
    this.#armExpiry();
  }

  /** Ends a send from outside (caller's abort, deadline): off the queue at once, or its attempt cancelled. */
  #stop(job: Job, reason: OtpError): void {
    if (job.state === DONE || job.stopped) return;
    job.stopped = reason;
    if (job.state === QUEUED) {
      this.#waiting--;
      this.#fail(job, reason);
      this.#checkDrained();
    } else {
      job.interrupt?.(reason);
    }
  }

  #pump(): void {
    while (this.#running < this.#options.concurrency) {
      const job = this.#queue.shift();
      if (job === undefined) return;
      if (job.state !== QUEUED) continue;
      this.#waiting--;
      this.#running++;
      job.state = RUNNING;
      this.#run(job);
    }
  }

  #run(job: Job): void {
    let dispatched: Promise<SendReceipt>;
    try {
      dispatched = this.#dispatch(job);
    } catch (error) {
      // Nothing in #dispatch should throw before its first await; if it ever does, the send still ends.
      dispatched = Promise.reject(error);
    }
    dispatched.then(
      (receipt) => {
        try {
          this.#succeed(job, receipt);
        } finally {
          this.#finished();
        }
      },
      (error: unknown) => {
        try {
          this.#fail(job, isOtpError(error) ? error : unexpectedError(job.provider, error));
        } finally {
          this.#finished();
        }
      },
    );
  }

  #finished(): void {
    this.#running--;
    this.#pump();
    this.#checkDrained();
  }

  /**
   * Runs a send through its providers. The common case (the first provider is open to traffic and
   * accepts) takes no loop and no async frame; anything else continues in `#dispatchFrom`.
   */
  #dispatch(job: Job): Promise<SendReceipt> {
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
    return this.#attempt(first, job).then(undefined, (firstError: unknown) =>
      this.#retry(firstError, first, job, providers, 0).then(undefined, (caught: unknown) => {
        const lastError = this.#afterFailure(job, 0, caught);
        return this.#dispatchFrom(job, 1, lastError);
      }),
    );
  }

  async #dispatchFrom(job: Job, start: number, failed: OtpError | undefined): Promise<SendReceipt> {
    const providers = job.order;
    let lastError = failed;
    for (let index = start; index < providers.length; index++) {
      if (!job.stopped && Date.now() >= job.deadline) job.stopped = this.#deadlineError(job);
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
        if (next !== undefined && this.#emitter.listenerCount('failover') > 0) {
          job.provider = provider.id;
          this.#emit('failover', { ...this.#base(job), error: skipped, nextProvider: next });
        }
        continue;
      }
      job.provider = provider.id;
      job.cutByDeadline = false;
      try {
        return await this.#sendWithRetries(provider, job, providers, index);
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
    if (this.#emitter.listenerCount('failover') > 0) {
      this.#emit('failover', { ...this.#base(job), error, nextProvider: next });
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

  #sendWithRetries(
    provider: OtpProvider,
    job: Job,
    providers: readonly OtpProvider[],
    index: number,
  ): Promise<SendReceipt> {
    // Hot path: most sends succeed at once, so the first attempt runs without p-retry's machinery.
    return this.#attempt(provider, job).then(undefined, (firstError: unknown) =>
      this.#retry(firstError, provider, job, providers, index),
    );
  }

  #retry(
    first: unknown,
    provider: OtpProvider,
    job: Job,
    providers: readonly OtpProvider[],
    index: number,
  ): Promise<SendReceipt> {
    let firstError: unknown = first;
    const { retries, minDelayMs, maxDelayMs, maxRetryAfterMs } = this.#options.retry;
    const { failFastOn } = this.#options;
    let retry = false;
    // p-retry runs the retries and counts them; its first "attempt" replays the first failure so the
    // count is the same as if it had made it. The delay (backoff with jitter, or the vendor's
    // Retry-After) is computed and waited here, so `retrying` can announce it.
    return pRetry()(
      () => {
        if (firstError === undefined) return this.#attempt(provider, job);
        const error = firstError;
        firstError = undefined;
        throw error;
      },
      {
        retries,
        minTimeout: 0,
        maxTimeout: 0,
        shouldRetry: () => retry,
        onFailedAttempt: async ({ error, retriesLeft, retriesConsumed }) => {
          retry = false;
          if (job.stopped || retriesLeft <= 0 || !isOtpError(error) || !error.retryable) return;
          if (failFastOn.has(error.code) && this.#nextAvailable(providers, index) !== undefined) return;
          let delayMs: number;
          if (error.retryAfterMs !== undefined) {
            if (error.retryAfterMs > maxRetryAfterMs) return;
            delayMs = Math.max(0, Math.round(error.retryAfterMs));
          } else {
            const ceiling = Math.min(maxDelayMs, minDelayMs * 2 ** retriesConsumed);
            delayMs = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
          }
          if (Date.now() + delayMs >= job.deadline) {
            job.cutByDeadline = true;
            return;
          }
          retry = true;
          if (this.#emitter.listenerCount('retrying') > 0) {
            this.#emit('retrying', { ...this.#base(job), error, delayMs });
          }
          await backoff(delayMs, job);
        },
      },
    );
  }

  #attempt(provider: OtpProvider, job: Job): Promise<SendReceipt> {
    // The send may have been stopped between two attempts (e.g. by a `failover` listener aborting).
    if (job.stopped) return Promise.reject(job.stopped);
    const attempt = ++job.attempts;
    const { timeoutMs } = this.#options;
    // One timer per attempt: its own limit, or the send's deadline when that comes first.
    const remaining = job.deadline - Date.now();
    const byDeadline = remaining < timeoutMs;
    const breaker = this.#breakers?.get(provider.id);
    return new Promise<SendReceipt>((resolve, reject) => {
      // The signal is made when the provider first reads it: a provider that never does costs nothing.
      const context = new AttemptContext(attempt, Date.now() + Math.max(0, Math.min(timeoutMs, remaining)));
      let settled = false;
      const finish = () => {
        settled = true;
        clearTimeout(timer);
        job.interrupt = undefined;
      };
      const giveUp = (error: OtpError, outcome: OtpErrorCode) => {
        if (settled) return;
        finish();
        context[ABORT](error);
        this.#record(breaker, provider.id, outcome);
        reject(error);
      };
      const timer = setTimeout(
        () => {
          job.unconfirmed++;
          if (byDeadline) {
            job.stopped ??= this.#deadlineError(job);
            giveUp(job.stopped, 'ABORTED');
            return;
          }
          giveUp(
            new OtpError('TIMEOUT', `${provider.id}: attempt ${attempt} took longer than ${timeoutMs} ms`, {
              provider: provider.id,
            }),
            'TIMEOUT',
          );
        },
        Math.max(0, Math.min(timeoutMs, remaining)),
      );
      // The caller's abort: not the vendor's fault, so the breaker learns nothing. The request was in
      // flight, so the vendor may still deliver it.
      job.interrupt = (reason) => {
        job.unconfirmed++;
        giveUp(reason, 'ABORTED');
      };
      let pending: Promise<SendReceipt>;
      try {
        pending = provider.send(job.message, context);
      } catch (error) {
        pending = Promise.reject(error);
      }
      pending.then(
        (receipt) => {
          if (settled) return;
          finish();
          if (receipt === null || typeof receipt !== 'object' || !isMessageId(receipt.messageId)) {
            // The vendor may have taken the message: an attempt that may have been delivered.
            job.unconfirmed++;
            this.#record(breaker, provider.id, 'INVALID_RESPONSE');
            reject(
              new OtpError(
                'INVALID_RESPONSE',
                `${provider.id}: the provider resolved without a usable messageId (1 to ${MAX_MESSAGE_ID_LENGTH} characters, no control characters)`,
                { provider: provider.id },
              ),
            );
          } else {
            this.#record(breaker, provider.id, undefined);
            resolve(receipt);
          }
        },
        (caught: unknown) => {
          if (settled) return;
          finish();
          const error = isOtpError(caught) ? caught : unexpectedError(provider.id, caught);
          // The provider's own time limit ran out, or a 2xx came that could not be read: the vendor may
          // have taken the request all the same.
          if (
            error.code === 'TIMEOUT' ||
            (error.code === 'INVALID_RESPONSE' && isSuccessStatus(error.status))
          ) {
            job.unconfirmed++;
          }
          this.#record(breaker, provider.id, error.code);
          reject(error);
        },
      );
    });
  }

  #record(breaker: Breaker | undefined, provider: string, outcome: OtpErrorCode | undefined): void {
    if (!breaker) return;
    const now = Date.now();
    const change = breaker.record(outcome, now);
    if (change === 'opened') {
      if (this.#emitter.listenerCount('breaker-open') > 0) {
        const health = breaker.health();
        this.#emit('breaker-open', {
          provider,
          consecutiveFailures: health.consecutiveFailures,
          probeAt: health.probeAt ?? now,
          at: now,
        });
      }
    } else if (change === 'closed' && this.#emitter.listenerCount('breaker-closed') > 0) {
      this.#emit('breaker-closed', { provider, at: now });
    }
  }

  #succeed(job: Job, receipt: SendReceipt): void {
    this.#settle(job);
    // Remembered for `report()`, keyed by the id of the provider that accepted, not its receipt's claim.
    let recent = this.#recent.get(job.provider);
    if (recent === undefined) {
      recent = { current: new Map(), older: new Map() };
      this.#recent.set(job.provider, recent);
    } else if (recent.current.size >= RECENT_SENDS) {
      recent.older = recent.current;
      recent.current = new Map();
    }
    const reference = job.message.reference;
    recent.current.set(receipt.messageId, reference === undefined ? job.id : [job.id, reference]);
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
        unconfirmedAttempts: job.unconfirmed,
      });
    }
    if (job.resolve) {
      const result: DispatchResult = {
        provider: receipt.provider,
        messageId: receipt.messageId,
        to: receipt.to,
        acceptedAt: receipt.acceptedAt,
        id: job.id,
        attempts: job.attempts,
        unconfirmedAttempts: job.unconfirmed,
      };
      if (receipt.raw !== undefined) result.raw = receipt.raw;
      job.resolve(result);
    }
  }

  #fail(job: Job, error: OtpError): void {
    this.#settle(job);
    if (this.#emitter.listenerCount('failed') > 0) {
      const base = this.#base(job);
      this.#emit('failed', {
        ...base,
        error,
        elapsedMs: base.at - job.queuedAt,
        unconfirmedAttempts: job.unconfirmed,
      });
    }
    job.reject?.(error);
  }

  #settle(job: Job): void {
    job.state = DONE;
    if (job.onCallerAbort) job.callerSignal?.removeEventListener('abort', job.onCallerAbort);
  }

  #checkDrained(): void {
    if (this.#onDrained && this.#running === 0 && this.#waiting === 0) {
      clearTimeout(this.#expiryTimer);
      this.#expiryTimer = undefined;
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

// Loaded when first needed, not at import: eventemitter3 when a dispatcher is built, p-retry when a send
// first fails. A serverless cold start that only imports otpkit pays for neither, and the first attempt
// of every send runs without p-retry anyway. Both load synchronously (p-retry is ESM, which Node's
// require() loads since 20.19, the oldest Node this package supports).
let requireHere: NodeJS.Require | undefined;
function load(id: string): unknown {
  requireHere ??= createRequire(import.meta.url);
  return requireHere(id);
}
let eventEmitter: (new () => EventEmitter<DispatcherEvents>) | undefined;
let retry: typeof pRetryFunction | undefined;

function eventEmitterClass(): new () => EventEmitter<DispatcherEvents> {
  eventEmitter ??= (load('eventemitter3') as { EventEmitter: new () => EventEmitter<DispatcherEvents> })
    .EventEmitter;
  return eventEmitter;
}

function pRetry(): typeof pRetryFunction {
  retry ??= (load('p-retry') as { default: typeof pRetryFunction }).default;
  return retry;
}

/**
 * The `SendContext` of one attempt. Its signal is made when the provider first reads it: a provider that
 * never does (one that answers at once) costs no AbortController, the dearest object of an attempt.
 */
const ABORT = Symbol('abort');

class AttemptContext implements SendContext {
  readonly attempt: number;
  readonly deadline: number;
  #controller: AbortController | undefined;
  #reason: OtpError | undefined;

  constructor(attempt: number, deadline: number) {
    this.attempt = attempt;
    this.deadline = deadline;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#reason !== undefined) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  [ABORT](reason: OtpError): void {
    this.#reason = reason;
    this.#controller?.abort(reason);
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

/** Waits a backoff delay; a stop (caller's abort, deadline) ends it at once with its reason. */
function backoff(ms: number, job: Job): Promise<void> {
  if (job.stopped) return Promise.reject(job.stopped);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      job.interrupt = undefined;
      resolve();
    }, ms);
    job.interrupt = (reason) => {
      clearTimeout(timer);
      job.interrupt = undefined;
      reject(reason);
    };
  });
}

function isSuccessStatus(status: number | undefined): boolean {
  return status !== undefined && status >= 200 && status < 300;
}
