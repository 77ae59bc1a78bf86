import { type DeliveryReport, type DeliveryStatus, defineDeliveryReportParser } from '@otpkit/core';
import { reportFromFields, webhookFields } from '@otpkit/core/http';

const PROVIDER_ID = 'twilio';

/**
 * Twilio's `MessageStatus` values and what they mean. `delivered` is the only success; `undelivered`
 * and `failed` are final failures; the statuses before a carrier's answer are `pending` (`sent` can be
 * the last one seen, since some carriers never report). Anything else (`receiving`, `received`, `read`,
 * `partially_delivered`, `canceled`, ...) is `unknown`, with the raw status kept.
 */
export const TWILIO_DELIVERY_STATUSES: Readonly<Record<string, DeliveryStatus>> = Object.freeze({
  delivered: 'delivered',
  undelivered: 'undelivered',
  failed: 'undelivered',
  queued: 'pending',
  sending: 'pending',
  sent: 'pending',
  accepted: 'pending',
  scheduled: 'pending',
});

/**
 * Turns a Twilio status callback (form fields as `URLSearchParams`, the raw form body as a string, or a
 * plain object of fields) into a `DeliveryReport`: `MessageSid` → `messageId`, `MessageStatus` →
 * `status`/`providerStatus`, `ErrorCode` → `errorCode`, `To` → `to`. Other fields are ignored (Twilio adds
 * fields without notice). A payload without `MessageSid` is `INVALID_INPUT`.
 *
 * The callback is signed, not the report: check `X-Twilio-Signature` with `verifyTwilioSignature`
 * before trusting it.
 */
export const parseTwilioDeliveryReport: (payload: unknown) => DeliveryReport = defineDeliveryReportParser(
  PROVIDER_ID,
  (payload: unknown): DeliveryReport =>
    // Twilio's callback carries no time that is confirmed: the report is dated when it is read.
    reportFromFields(webhookFields(payload, PROVIDER_ID, 'a status callback as form fields or an object'), {
      provider: PROVIDER_ID,
      messageId: ['MessageSid'],
      status: ['MessageStatus'],
      statuses: TWILIO_DELIVERY_STATUSES,
      to: ['To'],
      errorCode: ['ErrorCode'],
      expected: 'a status callback with a MessageSid',
    }),
);
