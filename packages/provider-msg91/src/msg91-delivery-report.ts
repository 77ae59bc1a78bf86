import { type DeliveryReport, type DeliveryStatus, defineDeliveryReportParser, OtpError } from '@otpkit/core';
import { webhookFields } from '@otpkit/core/http';

const PROVIDER_ID = 'msg91';

/**
 * Msg91's callback statuses, lower-cased, and what they mean. Anything else is `unknown` (the raw
 * status is kept). TODO: the vendor's documented statuses.
 */
export const MSG91_DELIVERY_STATUSES: Readonly<Record<string, DeliveryStatus>> = Object.freeze({
  queued: 'pending',
  sent: 'pending',
  delivered: 'delivered',
  failed: 'undelivered',
  undelivered: 'undelivered',
  expired: 'undelivered',
});

/**
 * Turns what Msg91's callback brought (a parsed JSON body, form fields as `URLSearchParams`, or the
 * form as a string) into a `DeliveryReport`. A payload without a message id and a status is
 * `INVALID_INPUT`.
 */
export const parseMsg91DeliveryReport: (payload: unknown) => DeliveryReport = defineDeliveryReportParser(
  PROVIDER_ID,
  (payload: unknown): DeliveryReport => {
    const fields = webhookFields(payload, PROVIDER_ID, 'a delivery report object or form');
    const messageId = fields.get('message_id');
    const status = fields.get('status');
    if (messageId === undefined || status === undefined) {
      throw new OtpError('INVALID_INPUT', 'msg91: expected a delivery report with message_id and status', {
        provider: PROVIDER_ID,
      });
    }
    const key = status.toLowerCase();
    const timestamp = fields.get('timestamp');
    const at = timestamp === undefined ? undefined : new Date(timestamp);
    const report: DeliveryReport = {
      provider: PROVIDER_ID,
      messageId,
      status: Object.hasOwn(MSG91_DELIVERY_STATUSES, key) ? MSG91_DELIVERY_STATUSES[key]! : 'unknown',
      providerStatus: status,
      at: at && !Number.isNaN(at.getTime()) ? at : new Date(),
    };
    const to = fields.get('to');
    if (to !== undefined) report.to = to;
    const errorCode = fields.get('error_code');
    if (errorCode !== undefined) report.errorCode = errorCode;
    return report;
  },
);
