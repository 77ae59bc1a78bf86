import type { BreakerHealth } from '../breaker.js';
import {
  type DispatcherOptions,
  type ResolvedDispatcherOptions,
  resolveDispatcherOptions,
} from '../dispatcher-options.js';
import { isOtpError, OtpError } from '../errors.js';
import type { DispatcherEventName, DispatcherEvents } from '../events.js';
import { SafeEmitter } from '../safe-emitter.js';
import type { DeliveryReport, OtpMessage, OtpProvider, SendReceipt } from '../types.js';
import { isMessageId, validateMessage } from '../validation.js';
import {
  abortedError,
  type DispatchResult,
  DONE,
  eventBase,
  type Job,
  QUEUED,
  RUNNING,
  unexpectedError,
} from './job.js';

import { deliveryEvent, dispatchResult, failedEvent, sentEvent } from './outcome.js';
import { RecentSends } from './recent-sends.js';
import { orderFor, orderStartingWith } from './routing.js';
import { SendLoop } from './send-loop.js';
import { SendQueue } from './send-queue.js';

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

/** A snapshot for health checks. */
export interface DispatcherHealth {
  /** Each provider in failover order, with its circuit breaker. */
  providers: ({ id: string } & BreakerHealth)[];
  queued: number;
  inFlight: number;
  closed: boolean;
}

/**
 * Queues OTP sends, runs them with bounded concurrency through an ordered list of providers with
 * retries, failover, a circuit breaker per provider and a deadline per send, and tells the app what
 * happened through typed events. This file holds admission (validation, the queue bound, the queue's
 * deadline), the terminal events and the public surface; the way through the providers is
 * `send-loop.ts`, one attempt `attempt.ts`, the retry decisions `retry-policy.ts`.
 *
 * Every accepted send emits exactly one `queued` and exactly one terminal event (`sent` or `failed`).
 * A refused send (bad input, full queue, closed dispatcher) is not accepted: it throws or rejects at once
 * and emits nothing.
 */
export class Dispatcher {
  readonly #options: ResolvedDispatcherOptions;
  readonly #listeners: SafeEmitter<DispatcherEvents>;
  readonly #loop: SendLoop;
  readonly #queue = new SendQueue((job) => this.#stop(job, this.#loop.deadlineError(job)));
  readonly #recent = new RecentSends();
  /** Dispatch ids: a random prefix per dispatcher, then a counter; unique without a UUID per send. */
  readonly #idPrefix = `${crypto.randomUUID()}-`;
  #sequence = 0;
  #running = 0;
  #closed = false;
  #drained: Promise<void> | undefined;
  #onDrained: (() => void) | undefined;

  constructor(options: DispatcherOptions) {
    this.#options = resolveDispatcherOptions(options);
    this.#listeners = new SafeEmitter<DispatcherEvents>(this.#options.onListenerError);
    this.#loop = new SendLoop(this.#options, this.#listeners);
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
    return orderFor(this.#options.routes, this.#options.providers, to).map((provider) => provider.id);
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
        ...this.#loop.breakerHealth(provider.id),
      })),
      queued: this.#queue.waiting,
      inFlight: this.#running,
      closed: this.#closed,
    };
  }

  /** Sends accepted and waiting for a free slot. */
  get queued(): number {
    return this.#queue.waiting;
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
    const job = this.#accept(message, undefined, undefined);
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
   * `correlation` is what the caller knows of the send when this dispatcher does not (a verifier that
   * found it in its shared store: the send may have left from another process); this dispatcher's own
   * record wins.
   */
  report(report: DeliveryReport, correlation?: { id?: string; reference?: string }): void {
    const event =
      report.status === 'delivered'
        ? 'delivered'
        : report.status === 'undelivered'
          ? 'undelivered'
          : undefined;
    if (event === undefined || this.#listeners.listenerCount(event) === 0) return;
    const known = isMessageId(report.messageId)
      ? this.#recent.find(report.provider, report.messageId)
      : undefined;
    this.#listeners.emit(event, deliveryEvent(report, known ?? correlation));
  }

  /** Subscribes to an event. A listener that throws (or rejects) does not affect the send or other listeners. */
  on<E extends DispatcherEventName>(event: E, listener: DispatcherEvents[E]): this {
    this.#listeners.on(event, listener);
    return this;
  }

  /** Like `on`, for the next occurrence only. */
  once<E extends DispatcherEventName>(event: E, listener: DispatcherEvents[E]): this {
    this.#listeners.once(event, listener);
    return this;
  }

  /** Removes a listener, or every listener of the event when none is given. */
  off<E extends DispatcherEventName>(event: E, listener?: DispatcherEvents[E]): this {
    this.#listeners.off(event, listener);
    return this;
  }

  /** Number of listeners of an event. */
  listenerCount(event: DispatcherEventName): number {
    return this.#listeners.listenerCount(event);
  }

  #accept(input: OtpMessage, signal: AbortSignal | undefined, startWith: string | undefined): Job {
    if (this.#closed) throw new OtpError('CLOSED', 'The dispatcher is closed; no new sends are accepted');
    const message = validateMessage(input);
    if (signal?.aborted) throw abortedError(undefined, signal.reason);
    if (this.#running >= this.#options.concurrency && this.#queue.waiting >= this.#options.maxQueue) {
      throw new OtpError(
        'QUEUE_FULL',
        `The send queue is full (${this.#options.maxQueue} waiting); try again later or raise maxQueue`,
      );
    }
    const queuedAt = Date.now();
    const { routes, providers } = this.#options;
    const routed = orderFor(routes, providers, message.to);
    const order = startWith === undefined ? routed : orderStartingWith(routed, providers, startWith);
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
    this.#queue.push(job);
    if (this.#listeners.listenerCount('queued') > 0) this.#listeners.emit('queued', eventBase(job));
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
    this.#queue.armExpiry();
  }

  /** Ends a send from outside (caller's abort, deadline): off the queue at once, or its attempt cancelled. */
  #stop(job: Job, reason: OtpError): void {
    if (job.state === DONE || job.stopped) return;
    job.stopped = reason;
    if (job.state === QUEUED) {
      this.#queue.left();
      this.#fail(job, reason);
      this.#checkDrained();
    } else {
      job.interrupt?.(reason);
    }
  }

  #pump(): void {
    while (this.#running < this.#options.concurrency) {
      const job = this.#queue.take();
      if (job === undefined) return;
      this.#running++;
      job.state = RUNNING;
      this.#run(job);
    }
  }

  #run(job: Job): void {
    let dispatched: Promise<SendReceipt>;
    try {
      dispatched = this.#loop.dispatch(job);
    } catch (error) {
      // Nothing in dispatch should throw before its first await; if it ever does, the send still ends.
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

  #succeed(job: Job, receipt: SendReceipt): void {
    this.#settle(job);
    // Remembered for `report()`, keyed by the id of the provider that accepted, not its receipt's claim.
    this.#recent.remember(job.provider, receipt.messageId, job.id, job.message.reference);
    if (this.#listeners.listenerCount('sent') > 0) this.#listeners.emit('sent', sentEvent(job, receipt));
    job.resolve?.(dispatchResult(job, receipt));
  }

  #fail(job: Job, error: OtpError): void {
    this.#settle(job);
    if (this.#listeners.listenerCount('failed') > 0) this.#listeners.emit('failed', failedEvent(job, error));
    job.reject?.(error);
  }

  #settle(job: Job): void {
    job.state = DONE;
    if (job.onCallerAbort) job.callerSignal?.removeEventListener('abort', job.onCallerAbort);
  }

  #checkDrained(): void {
    if (this.#onDrained && this.#running === 0 && this.#queue.waiting === 0) {
      this.#queue.disarm();
      this.#onDrained();
      this.#onDrained = undefined;
    }
  }
}

/** Creates a dispatcher without any DI container. Throws `INVALID_CONFIG` on wrong options. */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  return new Dispatcher(options);
}
