import { type DeliveryReport, type DeliveryStatus, defineDeliveryReportParser, OtpError } from '@otpkit/core';

const PROVIDER_ID = '__id__';

/**
 * __Name__'s callback statuses, lower-cased, and what they mean. Anything else is `unknown` (the raw
 * status is kept). TODO: the vendor's documented statuses.
 */
export const __ID___DELIVERY_STATUSES: Readonly<Record<string, DeliveryStatus>> = Object.freeze({
  queued: 'pending',
  sent: 'pending',
  delivered: 'delivered',
  failed: 'undelivered',
  undelivered: 'undelivered',
  expired: 'undelivered',
});

/**
 * Turns what __Name__'s callback brought (a parsed JSON body, or form fields as `URLSearchParams`) into
 * a `DeliveryReport`. A payload without a message id and a status is `INVALID_INPUT`.
 */
export const parse__Name__DeliveryReport: (payload: unknown) => DeliveryReport = defineDeliveryReportParser(
  PROVIDER_ID,
  (payload: unknown): DeliveryReport => {
    const fields = payload instanceof URLSearchParams ? Object.fromEntries(payload) : payload;
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
      throw new OtpError('INVALID_INPUT', '__id__: expected a delivery report object or form', {
        provider: '__id__',
      });
    }
    const {
      message_id: messageId,
      status,
      to,
      error_code: errorCode,
      timestamp,
    } = fields as Record<string, unknown>;
    if (typeof messageId !== 'string' || messageId === '' || typeof status !== 'string' || status === '') {
      throw new OtpError('INVALID_INPUT', '__id__: expected a delivery report with message_id and status', {
        provider: '__id__',
      });
    }
    const key = status.trim().toLowerCase();
    const at = typeof timestamp === 'string' ? new Date(timestamp) : undefined;
    const report: DeliveryReport = {
      provider: '__id__',
      messageId,
      status: Object.hasOwn(__ID___DELIVERY_STATUSES, key) ? __ID___DELIVERY_STATUSES[key]! : 'unknown',
      providerStatus: status,
      at: at && !Number.isNaN(at.getTime()) ? at : new Date(),
    };
    if (typeof to === 'string' && to !== '') report.to = to;
    if (typeof errorCode === 'string' && errorCode !== '') report.errorCode = errorCode;
    return report;
  },
);
