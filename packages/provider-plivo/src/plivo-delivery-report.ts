import { type DeliveryReport, type DeliveryStatus, defineDeliveryReportParser } from '@otpkit/core';
import { parseVendorTime, pickField, reportFromFields, webhookFields } from '@otpkit/core/http';

const PROVIDER = 'plivo';

/**
 * Plivo's message statuses, lower-cased, and what they mean: `queued` and `sent` are on their way,
 * `delivered` (and WhatsApp's `read`) reached the phone, `undelivered`, `failed` (before the carrier:
 * credit, geo permission) and the older `rejected` did not. Anything else is `unknown`.
 */
export const PLIVO_DELIVERY_STATUSES: Readonly<Record<string, DeliveryStatus>> = Object.freeze({
  queued: 'pending',
  sent: 'pending',
  delivered: 'delivered',
  read: 'delivered',
  undelivered: 'undelivered',
  failed: 'undelivered',
  rejected: 'undelivered',
});

const SPEC = {
  provider: PROVIDER,
  messageId: ['MessageUUID'],
  status: ['Status'],
  statuses: PLIVO_DELIVERY_STATUSES,
  to: ['To'],
  errorCode: ['ErrorCode'],
  noError: ['000', '0'],
  expected: 'a Plivo status callback with a MessageUUID',
} as const;

/**
 * Turns Plivo's message status callback (form fields for POST, query fields for GET, as
 * `URLSearchParams`, a string or a parsed object; or JSON) into a `DeliveryReport`: `MessageUUID`,
 * `Status`, `To`, and `ErrorCode` unless it is `000` (none). Dated by `DeliveryReportTime`, else
 * `MessageTime` (UTC, inferred). A payload without a `MessageUUID` is `INVALID_INPUT`.
 */
export const parsePlivoDeliveryReport: (payload: unknown) => DeliveryReport = defineDeliveryReportParser(
  PROVIDER,
  (payload) => {
    const fields = webhookFields(payload, PROVIDER, 'a Plivo status callback (form, query or JSON)', {
      json: true,
    });
    // Plivo's times may carry microseconds: read to the millisecond.
    const time = pickField(fields, ['DeliveryReportTime', 'MessageTime'])?.replace(/(\.\d{3})\d+$/, '$1');
    return reportFromFields(fields, SPEC, parseVendorTime(time) ?? new Date());
  },
);
