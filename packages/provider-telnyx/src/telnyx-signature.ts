import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { OtpError } from '@otpkit/core';
import { checkSafely, isFreshTimestamp, type WebhookHeaders, webhookHeader } from '@otpkit/core/http';

/**
 * How far a webhook's `telnyx-timestamp` may be from now, in ms, either side: 5 minutes, as Telnyx's
 * Node SDK checks (`TelnyxWebhook.verify`).
 */
export const TELNYX_SIGNATURE_MAX_AGE_MS = 300_000;

/**
 * A webhook's headers: a `Headers`, or an object of them (Node's `IncomingHttpHeaders`, any case). A
 * repeated header (an array) is refused.
 */
export type TelnyxWebhookHeaders = WebhookHeaders;

/** What `verifyTelnyxSignature` checks. */
export interface VerifyTelnyxSignatureInput {
  /** The account's public key, base64 (32 bytes), from Mission Control. Required. */
  publicKey: string;
  /** The raw request body, exactly as received (not parsed and serialised again). */
  body: string | Uint8Array;
  /** The request's headers, holding `telnyx-signature-ed25519` and `telnyx-timestamp`. */
  headers: TelnyxWebhookHeaders;
  /** Refuse a timestamp further than this from now, in ms. @default `TELNYX_SIGNATURE_MAX_AGE_MS` (300 000) */
  maxAgeMs?: number;
  /** The current time, in ms since the epoch. @default `Date.now()` */
  now?: number;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the 32 raw key bytes follow it. */
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** The key object of a base64 Ed25519 public key; `INVALID_CONFIG` for anything else. */
function publicKeyOf(publicKey: unknown): KeyObject {
  const text = typeof publicKey === 'string' ? publicKey.trim() : '';
  const raw = BASE64.test(text) ? Buffer.from(text, 'base64') : undefined;
  if (raw?.length === 32)
    return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  throw new OtpError('INVALID_CONFIG', 'publicKey: expected the Telnyx public key, 32 bytes in base64', {
    provider: 'telnyx',
  });
}

/**
 * Checks the Ed25519 signature Telnyx puts on every webhook (`telnyx-signature-ed25519`, base64 of 64
 * bytes) over `telnyx-timestamp`, `|` and the raw body, with the account's public key, as Telnyx's
 * Node SDK does, and refuses a timestamp more than `maxAgeMs` from now (a replay). False for a missing,
 * malformed or wrong signature or timestamp; answer such a webhook 403. Throws `OtpError`
 * `INVALID_CONFIG` when `publicKey` is missing or is not a base64 Ed25519 key.
 */
export function verifyTelnyxSignature(input: VerifyTelnyxSignatureInput): boolean {
  const key = publicKeyOf(input.publicKey);
  const maxAgeMs = input.maxAgeMs ?? TELNYX_SIGNATURE_MAX_AGE_MS;
  // Whole seconds, as the SDK compares: |floor(now / 1000) - timestamp| <= 300.
  const now = Math.floor((input.now ?? Date.now()) / 1000) * 1000;
  return checkSafely(() => {
    const signature = webhookHeader(input.headers, 'telnyx-signature-ed25519');
    const timestamp = webhookHeader(input.headers, 'telnyx-timestamp');
    if (signature === undefined || timestamp === undefined || !/^\d+$/.test(timestamp)) return false;
    // Leading zeros are digits to the SDK too ("0017…" is 17…); the signed text keeps them.
    const seconds = timestamp.replace(/^0+(?=\d)/, '');
    if (!isFreshTimestamp(seconds, maxAgeMs, now) || !BASE64.test(signature)) return false;
    const bytes = Buffer.from(signature, 'base64');
    if (bytes.length !== 64) return false;
    const body = typeof input.body === 'string' ? Buffer.from(input.body, 'utf8') : Buffer.from(input.body);
    return verify(null, Buffer.concat([Buffer.from(`${timestamp}|`, 'utf8'), body]), key, bytes);
  });
}
