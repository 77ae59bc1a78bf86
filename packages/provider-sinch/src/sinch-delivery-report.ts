import { type DeliveryReport, type DeliveryStatus, defineDeliveryReportParser, OtpError } from '@otpkit/core';
import {
  parseVendorTime,
  pickFields,
  type ReportFieldSpec,
  reportFromFields,
  valueAt,
  webhookFields,
  webhookJson,
} from '@otpkit/core/http';

const PROVIDER_ID = 'sinch';

/**
 * Sinch's delivery statuses (the SDK's `DeliveryStatusEnum`), lower-cased, and what they mean:
 * `Queued` and `Dispatched` are intermediate; the rest are final. `Unknown` stays `unknown`, as does
 * any status not listed (the raw status is kept in `providerStatus`).
 */
export const SINCH_DELIVERY_STATUSES: Readonly<Record<string, DeliveryStatus>> = Object.freeze({
  queued: 'pending',
  dispatched: 'pending',
  delivered: 'delivered',
  failed: 'undelivered',
  rejected: 'undelivered',
  aborted: 'undelivered',
  cancelled: 'undelivered',
  deleted: 'undelivered',
  expired: 'undelivered',
  unknown: 'unknown',
});

/** A Sinch delivery report, normalised, with Sinch's own extra fields. */
export interface SinchDeliveryReport extends DeliveryReport {
  provider: 'sinch';
  /** Sinch's fields that have no place in `DeliveryReport`, verbatim, when present. */
  sinch: {
    /** The callback's `type`, e.g. `"recipient_delivery_report_sms"` or `"delivery_report_sms"`. */
    type?: string;
    /** `client_reference`: the message's `reference` as sent. */
    clientReference?: string;
    /** `operator_status_at`: when the operator reported the status (ISO 8601). */
    operatorStatusAt?: string;
  };
}

/** Sinch's fields kept in `sinch`, by their name there. */
const EXTRAS = { type: 'type', clientReference: 'client_reference', operatorStatusAt: 'operator_status_at' };

/** The callback types that are delivery reports: per recipient or per batch, SMS or MMS. */
const TYPES = /^(?:recipient_)?delivery_report_(?:sms|mms)$/;

/**
 * Turns a Sinch SMS delivery callback (JSON, parsed or as its raw text) into a `DeliveryReport`, from
 * either format Sinch posts: a per-recipient report (`recipient_delivery_report_sms`, what
 * `delivery_report: "per_recipient"` and `"per_recipient_final"` send) or a batch summary
 * (`delivery_report_sms`, for `"summary"` and `"full"`; its first `statuses[]` entry, which for a
 * one-recipient OTP batch is the only one). `messageId` is the `batch_id` (the send's message id),
 * `to` the `recipient` with its `+`, `errorCode` Sinch's `code` unless it is `0`, `at` the report's
 * `at` (else now). Inbound messages (`mo_*`) and anything else are `INVALID_INPUT`. Signed callbacks:
 * check the raw body with `verifySinchSignature` first.
 */
export const parseSinchDeliveryReport: (payload: unknown) => SinchDeliveryReport = defineDeliveryReportParser(
  PROVIDER_ID,
  (payload: unknown): SinchDeliveryReport => {
    const body = webhookJson(payload, PROVIDER_ID, 'a delivery report object');
    // A batch summary: the status, code and first recipient of its first `statuses[]` entry.
    const entry: unknown = Array.isArray(body.statuses) ? body.statuses[0] : undefined;
    const summary = typeof entry === 'object' && entry !== null ? entry : {};
    const recipient = valueAt(summary, 'recipients');
    const fields = webhookFields({ recipient, ...body, ...summary }, PROVIDER_ID, 'a delivery report');
    if (fields.has('type') && !TYPES.test(fields.get('type')!)) {
      const expected = 'sinch: expected a delivery report, not another callback';
      throw new OtpError('INVALID_INPUT', expected, { provider: PROVIDER_ID });
    }
    const report = reportFromFields(fields, SPEC, parseVendorTime(fields.get('at')) ?? new Date());
    return { ...report, provider: PROVIDER_ID, sinch: pickFields(fields, EXTRAS) };
  },
);

const SPEC: ReportFieldSpec = {
  provider: PROVIDER_ID,
  messageId: ['batch_id'],
  status: ['status'],
  statuses: SINCH_DELIVERY_STATUSES,
  to: ['recipient'],
  errorCode: ['code'],
  noError: ['0'],
  expected: 'a delivery report with a batch_id',
};
