import { type DeliveryReport, type DeliveryStatus, defineDeliveryReportParser, OtpError } from '@otpkit/core';
import { webhookFields } from '@otpkit/core/http';

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
    const messageId = pick(fields, MESSAGE_ID_FIELDS);
    if (messageId === undefined) {
      throw new OtpError(
        'INVALID_INPUT',
        'kaleyra: expected a delivery report with a message id (message_id, id or msgid)',
        {
          provider: 'kaleyra',
        },
      );
    }
    const providerStatus = pick(fields, STATUS_FIELDS) ?? '';
    const report: DeliveryReport = {
      provider: 'kaleyra',
      messageId,
      status: statusOf(providerStatus),
      providerStatus,
      at: timeOf(pick(fields, TIME_FIELDS)) ?? new Date(),
    };
    const recipient = pick(fields, RECIPIENT_FIELDS);
    if (recipient !== undefined) report.to = /^\d+$/.test(recipient) ? `+${recipient}` : recipient;
    const errorCode = pick(fields, ERROR_FIELDS);
    if (errorCode !== undefined) report.errorCode = errorCode;
    return report;
  },
);

function statusOf(status: string): DeliveryStatus {
  const key = status.trim().toLowerCase();
  return Object.hasOwn(KALEYRA_DELIVERY_STATUSES, key) ? KALEYRA_DELIVERY_STATUSES[key]! : 'unknown';
}

function pick(fields: Map<string, string>, names: readonly string[]): string | undefined {
  for (const name of names) if (fields.has(name)) return fields.get(name);
  return undefined;
}

function timeOf(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  let at: Date;
  if (/^\d{10}$/.test(value)) at = new Date(Number(value) * 1000);
  else if (/^\d{13}$/.test(value)) at = new Date(Number(value));
  else at = new Date(value.replace(/^(\d{4}-\d{2}-\d{2}) /, '$1T'));
  return Number.isNaN(at.getTime()) ? undefined : at;
}
