import { OtpError } from '../errors.js';
import type { DispatchEventBase } from '../events.js';
import type { OtpMessage, OtpProvider, SendReceipt } from '../types.js';

/** What `send()` resolves with: the provider's receipt, the dispatch id and the attempts it took. */
export interface DispatchResult extends SendReceipt {
  /** The dispatch id, the same as in every event of this send. */
  id: string;
  /** Attempts made over all providers, the successful one included. */
  attempts: number;
  /** Earlier attempts that timed out and may have been delivered too (see `SentEvent`). */
  unconfirmedAttempts: number;
}

export const QUEUED = 0;
export const RUNNING = 1;
export const DONE = 2;

/** One accepted send, from admission to its terminal event. */
export interface Job {
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

/** The fields every event of a send carries. */
export function eventBase(job: Job): DispatchEventBase {
  const base: DispatchEventBase = {
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

export function abortedError(provider: string | undefined, reason: unknown): OtpError {
  return new OtpError(
    'ABORTED',
    provider ? `${provider}: the send was aborted by the caller` : 'The send was aborted by the caller',
    {
      ...(provider === undefined ? {} : { provider }),
      cause: reason,
    },
  );
}

export function unexpectedError(provider: string, error: unknown): OtpError {
  const kind = error instanceof Error ? error.name : typeof error;
  return new OtpError('PROVIDER_UNAVAILABLE', `${provider}: the provider failed with an unexpected ${kind}`, {
    provider,
    retryable: false,
    cause: error,
  });
}

/** Waits a backoff delay; a stop (caller's abort, deadline) ends it at once with its reason. */
export function backoff(ms: number, job: Job): Promise<void> {
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

/** The error a send ends with when its deadline passes (with the provider, when one was being tried). */
export function deadlineError(job: Job, deadlineMs: number): OtpError {
  return new OtpError('TIMEOUT', `The send ran past its deadline of ${deadlineMs} ms`, {
    ...(job.state === RUNNING ? { provider: job.provider } : {}),
  });
}
