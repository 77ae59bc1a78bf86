import { type DeliveryReport, type DeliveryStatus, defineDeliveryReportParser } from '@otpkit/core';
import { parseVendorTime, pickFields, reportFromFields, webhookFields } from '@otpkit/core/http';

const PROVIDER_ID = 'vonage' as const;

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
    const common = reportFromFields(
      fields,
      {
        provider: PROVIDER_ID,
        messageId: ['messageId', 'message-id'],
        status: ['status'],
        statuses: VONAGE_DELIVERY_STATUSES,
        to: ['msisdn'],
        errorCode: ['err-code'],
        noError: ['0'],
        expected: 'a delivery receipt with a messageId',
      },
      timeOf(fields),
    );
    const vonage = pickFields(fields, {
      clientRef: 'client-ref',
      networkCode: 'network-code',
      price: 'price',
      sender: 'to',
      scts: 'scts',
      messageTimestamp: 'message-timestamp',
    });
    return { ...common, provider: PROVIDER_ID, vonage };
  });

/** `message-timestamp` (in `VONAGE_MESSAGE_TIMESTAMP_ZONE`), else a signed DLR's `timestamp`. */
function timeOf(fields: Map<string, string>): Date | undefined {
  return (
    parseVendorTime(fields.get('message-timestamp'), VONAGE_MESSAGE_TIMESTAMP_ZONE) ??
    parseVendorTime(fields.get('timestamp'))
  );
}
