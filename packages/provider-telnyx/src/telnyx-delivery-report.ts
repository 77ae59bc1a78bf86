import { type DeliveryReport, type DeliveryStatus, defineDeliveryReportParser } from '@otpkit/core';
import {
  parseVendorTime,
  pickFields,
  reportFromFields,
  valueAt,
  webhookFields,
  webhookJson,
} from '@otpkit/core/http';

const PROVIDER = 'telnyx';

/**
 * Telnyx's message statuses (`data.payload.to[].status` of a `message.sent` / `message.finalized`
 * webhook), and what they mean. `delivery_unconfirmed` (the carrier sent no receipt) is `unknown`;
 * `read` comes from channels beyond SMS. Anything else is `unknown` too (the raw status is kept).
 */
export const TELNYX_DELIVERY_STATUSES: Readonly<Record<string, DeliveryStatus>> = Object.freeze({
  queued: 'pending',
  sending: 'pending',
  sent: 'pending',
  delivered: 'delivered',
  read: 'delivered',
  sending_failed: 'undelivered',
  delivery_failed: 'undelivered',
  expired: 'undelivered',
  delivery_unconfirmed: 'unknown',
});

/** A Telnyx delivery report: the event's own id and type beside the common fields. */
export interface TelnyxDeliveryReport extends DeliveryReport {
  /** The webhook event's id (`data.id`): the same event retried has the same id, so dedupe on it. */
  eventId?: string;
  /** `message.sent` or `message.finalized` (the last one for a message). */
  eventType?: string;
}

const EXPECTED = 'a Telnyx message webhook ({ data: { event_type, payload: { id, to: [{ status }] } } })';

const SPEC = {
  provider: PROVIDER,
  messageId: ['id'],
  status: ['status'],
  statuses: TELNYX_DELIVERY_STATUSES,
  to: ['to'],
  errorCode: ['error'],
  expected: EXPECTED,
} as const;

/**
 * Turns a Telnyx message webhook (`message.sent`, `message.finalized`: the parsed JSON body, or the raw
 * body as text or bytes) into a `DeliveryReport`: the message id from `data.payload.id` (the send's `data.id`),
 * the status and number of the first recipient, the first `errors[].code`, dated `occurred_at`.
 * Anything else is `INVALID_INPUT`. Verify the signature on the raw body first (`verifyTelnyxSignature`).
 */
export const parseTelnyxDeliveryReport: (payload: unknown) => TelnyxDeliveryReport =
  defineDeliveryReportParser(PROVIDER, (input: unknown): TelnyxDeliveryReport => {
    const data = webhookJson(input, PROVIDER, EXPECTED).data;
    const fields = webhookFields(
      {
        id: valueAt(data, 'payload', 'id'),
        status: valueAt(data, 'payload', 'to', 0, 'status'),
        to: valueAt(data, 'payload', 'to', 0, 'phone_number'),
        error: valueAt(data, 'payload', 'errors', 0, 'code'),
        eventId: valueAt(data, 'id'),
        eventType: valueAt(data, 'event_type'),
        occurredAt: valueAt(data, 'occurred_at'),
      },
      PROVIDER,
      EXPECTED,
    );
    const report = reportFromFields(fields, SPEC, parseVendorTime(fields.get('occurredAt')) ?? new Date());
    return { ...report, ...pickFields(fields, { eventId: 'eventId', eventType: 'eventType' }) };
  });
