import { createHmac } from 'node:crypto';
import {
  checkSafely,
  isFreshTimestamp,
  requireSigningKey,
  safeEqual,
  type WebhookHeaders,
  webhookHeader,
} from '@otpkit/core/http';

/**
 * How old (or how far in the future) a signed callback's timestamp may be. Sinch documents no window
 * and its SDK checks none: 5 minutes is our choice.
 */
export const SINCH_SIGNATURE_MAX_AGE_MS = 5 * 60_000;

/** The signature's header; `-algorithm`, `-nonce` and `-timestamp` after it name the others. */
const HEADER = 'x-sinch-webhook-signature';

/** A callback's headers: a `Headers`, or Node's `IncomingHttpHeaders` (any case; a repeated header's first value). */
export type SinchCallbackHeaders = WebhookHeaders;

/** What a signature covers besides the body, as the headers carry it. */
export interface SinchSignatureInput {
  /** The webhook secret set on the service plan's callback. Required, non-empty. */
  secret: string;
  /** `x-sinch-webhook-signature-nonce`. */
  nonce: string;
  /** `x-sinch-webhook-signature-timestamp`, Unix seconds. */
  timestamp: string | number;
}

/** Options of `verifySinchSignature`. */
export interface VerifySinchSignatureOptions {
  /** The webhook secret set on the service plan's callback. Required, non-empty. */
  secret: string;
  /**
   * Refuse a timestamp further than this from `now`, in ms; `Infinity` skips the check.
   * @default SINCH_SIGNATURE_MAX_AGE_MS (5 minutes)
   */
  maxAgeMs?: number;
  /** The current time, in ms since the epoch. @default Date.now() */
  now?: number;
}

/**
 * Sinch's signature of a callback: `base64(HMAC-SHA256(secret, body + "." + nonce + "." + timestamp))`,
 * over the raw body as sent.
 */
export function signSinchCallback(body: string | Uint8Array, input: SinchSignatureInput): string {
  const secret = requireSigningKey('sinch', 'secret', input.secret, 'your Sinch webhook secret');
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  return createHmac('sha256', secret)
    .update(`${text}.${input.nonce}.${input.timestamp}`, 'utf8')
    .digest('base64');
}

/**
 * Checks a Sinch SMS callback's `x-sinch-webhook-signature` against your webhook secret, in constant
 * time. Give the raw body (a string or bytes, as received: a re-serialised object may differ). False
 * when a signature header is missing or wrong, when `x-sinch-webhook-signature-algorithm` is given and
 * is not `HmacSHA256`, or when the timestamp is further than `maxAgeMs` from now (a negative or
 * `NaN` `maxAgeMs` refuses every callback). Throws `OtpError`
 * `INVALID_CONFIG` for an empty secret, since a check made with no secret lets anyone forge one.
 */
export function verifySinchSignature(
  body: string | Uint8Array,
  headers: SinchCallbackHeaders,
  options: VerifySinchSignatureOptions,
): boolean {
  const secret = requireSigningKey('sinch', 'secret', options?.secret, 'your Sinch webhook secret');
  // A negative or NaN maxAgeMs refuses every callback: isFreshTimestamp fails closed.
  const maxAgeMs = options.maxAgeMs ?? SINCH_SIGNATURE_MAX_AGE_MS;
  return checkSafely(() => {
    if (typeof body !== 'string' && !(body instanceof Uint8Array)) return false;
    // A repeated header counts by its first value.
    const single: WebhookHeaders =
      headers instanceof Headers
        ? headers
        : Object.fromEntries(Object.entries(headers).map(([k, value]) => [k, [value].flat()[0]]));
    const read = (name: string) => webhookHeader(single, name);
    const given = read(HEADER);
    const nonce = read(`${HEADER}-nonce`);
    const timestamp = read(`${HEADER}-timestamp`);
    const algorithm = read(`${HEADER}-algorithm`);
    if (!given || nonce === undefined || timestamp === undefined) return false;
    if (algorithm !== undefined && algorithm.toLowerCase() !== 'hmacsha256') return false;
    if (!isFreshTimestamp(timestamp, maxAgeMs, options.now)) return false;
    return safeEqual(signSinchCallback(body, { secret, nonce, timestamp }), given.trim());
  });
}
