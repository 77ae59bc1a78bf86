import type { Breaker } from '../breaker.js';
import { isOtpError, OtpError, type OtpErrorCode } from '../errors.js';
import type { OtpProvider, SendContext, SendReceipt } from '../types.js';
import { isMessageId, MAX_MESSAGE_ID_LENGTH } from '../validation.js';
import { type Job, unexpectedError } from './job.js';

/** What one attempt needs from the dispatcher around it. */
export interface AttemptEnvironment {
  /** The per-attempt limit (`timeoutMs`). */
  readonly timeoutMs: number;
  /** The error a send ends with when its deadline passes. */
  deadlineError(job: Job): OtpError;
  /** Tells the provider's breaker how the attempt ended (`undefined`: it succeeded). */
  record(breaker: Breaker | undefined, provider: string, outcome: OtpErrorCode | undefined): void;
}

const ABORT = Symbol('abort');

/**
 * The `SendContext` of one attempt. Its signal is made when the provider first reads it: a provider that
 * never does (one that answers at once) costs no AbortController, the dearest object of an attempt.
 */
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

/**
 * One attempt on one provider, under one timer: its own limit (`timeoutMs`), or the send's deadline when
 * that comes first. Settles exactly once: the provider's answer, the timer, or the send's `interrupt`
 * (the caller's abort), whichever comes first; the attempt's signal is aborted with the reason.
 */
export function runAttempt(
  provider: OtpProvider,
  job: Job,
  breaker: Breaker | undefined,
  environment: AttemptEnvironment,
): Promise<SendReceipt> {
  // The send may have been stopped between two attempts (e.g. by a `failover` listener aborting).
  if (job.stopped) return Promise.reject(job.stopped);
  const attempt = ++job.attempts;
  const { timeoutMs } = environment;
  const remaining = job.deadline - Date.now();
  const byDeadline = remaining < timeoutMs;
  const limit = Math.max(0, Math.min(timeoutMs, remaining));
  return new Promise<SendReceipt>((resolve, reject) => {
    const context = new AttemptContext(attempt, Date.now() + limit);
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
      environment.record(breaker, provider.id, outcome);
      reject(error);
    };
    const timer = setTimeout(() => {
      job.unconfirmed++;
      if (byDeadline) {
        job.stopped ??= environment.deadlineError(job);
        giveUp(job.stopped, 'ABORTED');
        return;
      }
      giveUp(
        new OtpError('TIMEOUT', `${provider.id}: attempt ${attempt} took longer than ${timeoutMs} ms`, {
          provider: provider.id,
        }),
        'TIMEOUT',
      );
    }, limit);
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
          environment.record(breaker, provider.id, 'INVALID_RESPONSE');
          reject(
            new OtpError(
              'INVALID_RESPONSE',
              `${provider.id}: the provider resolved without a usable messageId (1 to ${MAX_MESSAGE_ID_LENGTH} characters, no control characters)`,
              { provider: provider.id },
            ),
          );
        } else {
          environment.record(breaker, provider.id, undefined);
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
        environment.record(breaker, provider.id, error.code);
        reject(error);
      },
    );
  });
}

function isSuccessStatus(status: number | undefined): boolean {
  return status !== undefined && status >= 200 && status < 300;
}
