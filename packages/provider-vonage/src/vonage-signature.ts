import { createHash, createHmac } from 'node:crypto';
import { OtpError } from '@otpkit/core';
import {
  checkSafely,
  isFreshTimestamp,
  requireSigningKey,
  safeEqual,
  webhookFields,
} from '@otpkit/core/http';

/**
 * How Vonage signs, as set in its dashboard next to the signature secret: `md5hash` (Vonage's default:
 * MD5 of the string and the secret), or HMAC with MD5, SHA-1, SHA-256 or SHA-512 keyed by the secret.
 */
export type VonageSignatureAlgorithm = 'md5hash' | 'md5' | 'sha1' | 'sha256' | 'sha512';

const ALGORITHMS: readonly VonageSignatureAlgorithm[] = ['md5hash', 'md5', 'sha1', 'sha256', 'sha512'];

/**
 * How old (or how far in the future) a signed DLR's `timestamp` may be. Vonage documents no window:
 * 5 minutes is our choice.
 */
export const VONAGE_SIGNATURE_MAX_AGE_MS = 5 * 60_000;

/** How to sign or check Vonage parameters. */
export interface VonageSignatureOptions {
  /** The signature secret from the Vonage dashboard (not the API secret). Required, non-empty. */
  secret: string;
  /** The dashboard's signature method. Default `'md5hash'`. */
  algorithm?: VonageSignatureAlgorithm;
}

/** Options of `verifyVonageSignature`. */
export interface VerifyVonageSignatureOptions extends VonageSignatureOptions {
  /**
   * Refuse a `timestamp` further than this from `now`, in ms; `Infinity` skips the check (and then a
   * payload without `timestamp` can pass). Default `VONAGE_SIGNATURE_MAX_AGE_MS` (5 minutes).
   */
  maxAgeMs?: number;
  /** The current time, in ms since the epoch. Default `Date.now()`. */
  now?: number;
}

/**
 * Computes Vonage's `sig` for a set of parameters (a DLR's fields, or a request's), as upper-case hex.
 * `sig` itself is left out; to sign a request, add `timestamp` (Unix seconds) first. The string signed
 * is `&k1=v1&k2=v2...`: keys sorted by code point, `&` and `=` in values replaced by `_`, nothing
 * URL-encoded.
 */
export function signVonageParams(params: unknown, options: VonageSignatureOptions): string {
  const { secret, algorithm } = checked(options);
  const text = stringToSign(fieldsOf(params) ?? new Map());
  const digest =
    algorithm === 'md5hash'
      ? createHash('md5')
          .update(text + secret, 'utf8')
          .digest('hex')
      : createHmac(algorithm, secret).update(text, 'utf8').digest('hex');
  return digest.toUpperCase();
}

/**
 * Checks the `sig` of a signed Vonage webhook (a delivery receipt, by GET query, form or JSON: the same
 * payloads `parseVonageDeliveryReport` takes) against your signature secret, in constant time. False
 * when `sig` is missing or wrong, or when `timestamp` is missing or further than `maxAgeMs` from now.
 * Throws `OtpError` `INVALID_CONFIG` for an empty secret or an unknown algorithm, since anyone can
 * forge a signature made with no secret.
 */
export function verifyVonageSignature(payload: unknown, options: VerifyVonageSignatureOptions): boolean {
  checked(options);
  const maxAgeMs = options.maxAgeMs ?? VONAGE_SIGNATURE_MAX_AGE_MS;
  if (typeof maxAgeMs !== 'number' || Number.isNaN(maxAgeMs) || maxAgeMs < 0) {
    throw new OtpError('INVALID_CONFIG', 'maxAgeMs: expected a number >= 0 (or Infinity)', {
      provider: 'vonage',
    });
  }
  return checkSafely(() => matches(payload, options, maxAgeMs));
}

function matches(payload: unknown, options: VerifyVonageSignatureOptions, maxAgeMs: number): boolean {
  const fields = fieldsOf(payload);
  const given = fields?.get('sig')?.trim();
  if (!fields || !given || !/^[0-9a-fA-F]+$/.test(given)) return false;
  if (!isFreshTimestamp(fields.get('timestamp'), maxAgeMs, options.now ?? Date.now())) return false;
  return safeEqual(signVonageParams(fields, options), given.toUpperCase());
}

function checked(options: VonageSignatureOptions): Required<VonageSignatureOptions> {
  const { secret, algorithm = 'md5hash' } = options ?? ({} as VonageSignatureOptions);
  requireSigningKey('vonage', 'secret', secret, 'your Vonage signature secret');
  if (!ALGORITHMS.includes(algorithm)) {
    throw new OtpError('INVALID_CONFIG', `algorithm: expected one of ${ALGORITHMS.join(', ')}`, {
      provider: 'vonage',
    });
  }
  return { secret, algorithm };
}

/**
 * Every field verbatim (empty ones too): the first value of a repeated field, numbers and booleans as
 * text; a value of any other kind is left out (it cannot have been signed as sent). `undefined` for a
 * payload that has no fields (not an object, form or query; unreadable JSON).
 */
function fieldsOf(payload: unknown): Map<string, string> | undefined {
  try {
    return webhookFields(payload, 'vonage', 'a signed payload', { json: true, verbatim: true });
  } catch {
    return undefined;
  }
}

function stringToSign(fields: Map<string, string>): string {
  const keys = [...fields.keys()].filter((key) => key !== 'sig');
  // Plain character-code order, as Vonage sorts: "message-timestamp" before "messageId".
  keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return keys.map((key) => `&${key}=${fields.get(key)!.replace(/[&=]/g, '_')}`).join('');
}
