import type { OtpError } from '../errors.js';
import type { DeliveryEvent, FailedEvent, SentEvent } from '../events.js';
import type { DeliveryReport, SendReceipt } from '../types.js';
import { type DispatchResult, eventBase, type Job } from './job.js';

/**
 * What a send's end tells the app: the `sent` and `failed` payloads, `send()`'s result, and the
 * `delivered` / `undelivered` payload of a report. None carries the body; `sent` leaves out the raw reply
 * (vendors echo the body in it), which only `send()`'s result keeps.
 */

export function sentEvent(job: Job, receipt: SendReceipt): SentEvent {
  const base = eventBase(job);
  return {
    ...base,
    receipt: {
      provider: receipt.provider,
      messageId: receipt.messageId,
      to: receipt.to,
      acceptedAt: receipt.acceptedAt,
    },
    elapsedMs: base.at - job.queuedAt,
    unconfirmedAttempts: job.unconfirmed,
  };
}

export function failedEvent(job: Job, error: OtpError): FailedEvent {
  const base = eventBase(job);
  return { ...base, error, elapsedMs: base.at - job.queuedAt, unconfirmedAttempts: job.unconfirmed };
}

export function dispatchResult(job: Job, receipt: SendReceipt): DispatchResult {
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
  return result;
}

/** The payload of `delivered` / `undelivered`, with the send's dispatch id and reference when known. */
export function deliveryEvent(
  report: DeliveryReport,
  known: { id?: string; reference?: string } | undefined,
): DeliveryEvent {
  const payload: DeliveryEvent = {
    provider: report.provider,
    messageId: report.messageId,
    report,
    at: Date.now(),
  };
  if (report.to !== undefined) payload.to = report.to;
  if (known?.id !== undefined) payload.id = known.id;
  if (known?.reference !== undefined) payload.reference = known.reference;
  return payload;
}
