import { type DeliveryReport, type DeliveryStatus, defineDeliveryReportParser } from '@otpkit/core';
import { parseVendorTime, pickField, reportFromFields, webhookFields } from '@otpkit/core/http';

const PROVIDER_ID = 'kaleyra';

/**
 * Kaleyra's callback statuses, lower-cased, and what they mean. Newer platforms say `sent`,
 * `delivered`, `failed`, `undelivered`; older ones use SMPP words (`DELIVRD`, `UNDELIV`, `EXPIRED`).
 * Anything else is `unknown` (the raw status is kept).
 */
export const KALEYRA_DELIVERY_STATUSES: Readonly<Record<string, DeliveryStatus>> = Object.freeze({
  sent: 'pending',
  delivered: 'delivered',
  delivrd: 'delivered',
  failed: 'undelivered',
  undelivered: 'undelivered',
  undeliv: 'undelivered',
  expired: 'undelivered',
  // Kaleyra turns a message stopped by a daily or monthly cap into "NOT SENT"; SMPP's REJECTD is an
  // operator refusal.
  'not sent': 'undelivered',
  rejectd: 'undelivered',
});

// The callback's field names are not confirmed by Kaleyra's docs: each list is tried in order.
const MESSAGE_ID_FIELDS = ['message_id', 'id', 'msgid'] as const;
const STATUS_FIELDS = ['status', 'dlr_status'] as const;
const RECIPIENT_FIELDS = ['recipient', 'mobile', 'to', 'number'] as const;
const TIME_FIELDS = ['delivered_at', 'datetime', 'timestamp', 'time', 'dlr_time'] as const;
const ERROR_FIELDS = ['error_code', 'reason', 'err', 'description'] as const;

/**
 * Turns what Kaleyra's callback brought (a parsed JSON body, form fields, or the query of a GET, as
 * `URLSearchParams` or a plain object) into a `DeliveryReport`. A payload without a message id is
 * `INVALID_INPUT`. The callback is not signed: protect its URL (see the Kaleyra guide).
 */
export const parseKaleyraDeliveryReport: (payload: unknown) => DeliveryReport = defineDeliveryReportParser(
  PROVIDER_ID,
  (payload: unknown): DeliveryReport => {
    const fields = webhookFields(payload, PROVIDER_ID, 'a delivery report object, form or query');
    // A time without a zone is read in the server's local time (Kaleyra does not state its zone).
    const at = parseVendorTime(pickField(fields, TIME_FIELDS), '') ?? new Date();
    return reportFromFields(
      fields,
      {
        provider: PROVIDER_ID,
        messageId: MESSAGE_ID_FIELDS,
        status: STATUS_FIELDS,
        statuses: KALEYRA_DELIVERY_STATUSES,
        to: RECIPIENT_FIELDS,
        errorCode: ERROR_FIELDS,
        expected: 'a delivery report with a message id (message_id, id or msgid)',
      },
      at,
    );
  },
);
