import type { OtpError } from './errors.js';
import type { DeliveryReport, SendReceipt } from './types.js';

/** Fields every dispatch event carries. None carries the message body. */
export interface DispatchEventBase {
  /** The dispatch id returned by `enqueue` and set on `send()`'s result. */
  id: string;
  /** The message's `reference`, when it had one. */
  reference?: string;
  /** The recipient (E.164). */
  to: string;
  /** The provider concerned: the one tried, or for `queued` the first in line. */
  provider: string;
  /** Attempts made so far for this send, over all providers (0 before the first). */
  attempt: number;
  /** When the send was accepted (epoch ms). */
  queuedAt: number;
  /** When this event happened (epoch ms). */
  at: number;
}

/** The send was accepted and waits for a free slot. */
export type QueuedEvent = DispatchEventBase;

/** An attempt failed with a retryable error; the same provider is tried again after `delayMs`. */
export interface RetryingEvent extends DispatchEventBase {
  error: OtpError;
  delayMs: number;
}

/** `provider` failed for good; the send moves on to `nextProvider`. */
export interface FailoverEvent extends DispatchEventBase {
  error: OtpError;
  nextProvider: string;
}

/** A provider accepted the message. Terminal. */
export interface SentEvent extends DispatchEventBase {
  /** The receipt without `raw` (vendors echo the body there). */
  receipt: Omit<SendReceipt, 'raw'>;
  /** Time from acceptance by the dispatcher to acceptance by the vendor. */
  elapsedMs: number;
  /**
   * Earlier attempts of this send that timed out (the dispatcher's limit or the provider's own) or were
   * cut while in flight: the vendor may have accepted them, so the recipient may get the code more than
   * once. `0` in the usual case. A `NETWORK` failure is not counted: the request may not have left.
   */
  unconfirmedAttempts: number;
}

/** The send failed for good. Terminal. */
export interface FailedEvent extends DispatchEventBase {
  error: OtpError;
  elapsedMs: number;
  /** Attempts cut short (timeout, abort, deadline) while in flight: the vendor may still deliver one. */
  unconfirmedAttempts: number;
}

/** A delivery report passed to `dispatcher.report()`. */
export interface DeliveryEvent {
  provider: string;
  messageId: string;
  to?: string;
  /** Dispatch id and reference, when the message was sent by this dispatcher recently. */
  id?: string;
  reference?: string;
  report: DeliveryReport;
  at: number;
}

/** A provider's circuit breaker opened: it is skipped until `probeAt`. */
export interface BreakerOpenEvent {
  provider: string;
  /** Consecutive `NETWORK` / `TIMEOUT` / `PROVIDER_UNAVAILABLE` failures that opened it. */
  consecutiveFailures: number;
  /** When one probe send may try the provider again (epoch ms). */
  probeAt: number;
  at: number;
}

/** A provider's circuit breaker closed: the provider answered again and takes traffic. */
export interface BreakerClosedEvent {
  provider: string;
  at: number;
}

/** Every event of a dispatcher, by name. */
export interface DispatcherEvents {
  queued: (event: QueuedEvent) => void;
  retrying: (event: RetryingEvent) => void;
  failover: (event: FailoverEvent) => void;
  sent: (event: SentEvent) => void;
  failed: (event: FailedEvent) => void;
  delivered: (event: DeliveryEvent) => void;
  undelivered: (event: DeliveryEvent) => void;
  'breaker-open': (event: BreakerOpenEvent) => void;
  'breaker-closed': (event: BreakerClosedEvent) => void;
}

export type DispatcherEventName = keyof DispatcherEvents;
