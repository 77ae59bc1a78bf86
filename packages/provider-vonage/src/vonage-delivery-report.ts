import { type DeliveryReport, type DeliveryStatus, defineDeliveryReportParser, OtpError } from '@otpkit/core';
import { webhookFields } from '@otpkit/core/http';

const PROVIDER_ID = 'vonage';

/**
 * Vonage's DLR `status` values, lower-cased, and what they mean: the spec's `delivered`, `expired`,
 * `failed`, `rejected`, `accepted`, `buffered`, `unknown`, and the delivery-receipts guide's
 * `undelivered` (listed there in place of `failed`). Any other status is `unknown` (the raw status is
 * kept in `providerStatus`).
 */
export const VONAGE_DELIVERY_STATUSES: Readonly<Record<string, DeliveryStatus>> = Object.freeze({
  delivered: 'delivered',
  expired: 'undelivered',
  failed: 'undelivered',
  undelivered: 'undelivered',
  rejected: 'undelivered',
  accepted: 'pending',
  buffered: 'pending',
  unknown: 'unknown',
});

/**
 * The time zone of a DLR's `message-timestamp` (`YYYY-MM-DD HH:MM:SS`), which Vonage does not state:
 * probably UTC. `scts` (the carrier's time, `YYMMDDHHMM`) has no stated zone either and is only kept
 * verbatim.
 */
export const VONAGE_MESSAGE_TIMESTAMP_ZONE = 'Z';

/** A Vonage delivery receipt, normalised, with Vonage's own extra fields. */
export interface VonageDeliveryReport extends DeliveryReport {
  provider: 'vonage';
  /** Vonage's fields that have no place in `DeliveryReport`, verbatim, when present. */
  vonage: {
    /** `client-ref`: the message's `reference` as sent (cut to 40 characters). */
    clientRef?: string;
    /** `network-code`: the recipient's network (MCCMNC), e.g. `"23410"`. */
    networkCode?: string;
    /** `price`: what this part cost, e.g. `"0.03330000"`. */
    price?: string;
    /** The DLR's `to`, which is your sender (`from`), despite the name. */
    sender?: string;
    /** `scts`: when the carrier produced the receipt, `YYMMDDHHMM`, time zone not stated. */
    scts?: string;
    /** `message-timestamp`: when Vonage started to send this webhook, `YYYY-MM-DD HH:MM:SS`. */
    messageTimestamp?: string;
  };
}

/**
 * Turns a Vonage SMS delivery receipt (DLR) into a `DeliveryReport`. It takes what the webhook brought
 * in any of Vonage's three formats: the query of a GET (`URLSearchParams`, a query string, or a parsed
 * query object), a POST form (`URLSearchParams` or the body as a string), or a POST-JSON body (parsed).
 * `messageId` is the part's message id (the `message-id` of the send reply); a payload without one is
 * `INVALID_INPUT`. The status is matched without regard to case, and kept verbatim; `to` is `+` and the
 * `msisdn`; `errorCode` is `err-code` unless it is `"0"` (no error). Signed DLRs: check them first
 * with `verifyVonageSignature`.
 */
export const parseVonageDeliveryReport: (payload: unknown) => VonageDeliveryReport =
  defineDeliveryReportParser(PROVIDER_ID, (payload: unknown): VonageDeliveryReport => {
    const fields = webhookFields(payload, PROVIDER_ID, 'a delivery receipt object, form or query', {
      json: true,
    });
    const messageId = fields.get('messageId') ?? fields.get('message-id');
    if (messageId === undefined) {
      throw new OtpError('INVALID_INPUT', 'vonage: expected a delivery receipt with a messageId', {
        provider: 'vonage',
      });
    }
    const providerStatus = fields.get('status') ?? '';
    const key = providerStatus.toLowerCase();
    const report: VonageDeliveryReport = {
      provider: 'vonage',
      messageId,
      status: Object.hasOwn(VONAGE_DELIVERY_STATUSES, key) ? VONAGE_DELIVERY_STATUSES[key]! : 'unknown',
      providerStatus,
      at: timeOf(fields) ?? new Date(),
      vonage: {},
    };
    const msisdn = fields.get('msisdn');
    if (msisdn !== undefined) report.to = /^\d+$/.test(msisdn) ? `+${msisdn}` : msisdn;
    const errorCode = fields.get('err-code');
    if (errorCode !== undefined && errorCode !== '0') report.errorCode = errorCode;
    const extras: [keyof VonageDeliveryReport['vonage'], string][] = [
      ['clientRef', 'client-ref'],
      ['networkCode', 'network-code'],
      ['price', 'price'],
      ['sender', 'to'],
      ['scts', 'scts'],
      ['messageTimestamp', 'message-timestamp'],
    ];
    for (const [name, field] of extras) {
      const value = fields.get(field);
      if (value !== undefined) report.vonage[name] = value;
    }
    return report;
  });

/** `message-timestamp` (in `VONAGE_MESSAGE_TIMESTAMP_ZONE`), else a signed DLR's `timestamp`. */
function timeOf(fields: Map<string, string>): Date | undefined {
  const stamp = fields.get('message-timestamp');
  const match = stamp && /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})$/.exec(stamp);
  if (match) {
    const at = new Date(`${match[1]}T${match[2]}${VONAGE_MESSAGE_TIMESTAMP_ZONE}`);
    if (!Number.isNaN(at.getTime())) return at;
  }
  const unix = fields.get('timestamp');
  if (unix !== undefined && /^\d{1,12}$/.test(unix)) return new Date(Number(unix) * 1000);
  return undefined;
}
