import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';

/** Longest code that is hashed as given; a longer one is cut (it can never match a code of 4–10 digits). */
const MAX_CODE_LENGTH = 64;

/** The verifier's HMAC key, held as a `KeyObject` so the secret is never a plain string on an object. */
export function createCodeKey(secret: string | Uint8Array): KeyObject {
  return createSecretKey(typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret));
}

/** Bytes of a secret: its UTF-8 length for a string. */
export function secretLength(secret: string | Uint8Array): number {
  return typeof secret === 'string' ? Buffer.byteLength(secret, 'utf8') : secret.byteLength;
}

/**
 * HMAC-SHA256 under the verifier's key of the number, a NUL byte and the code, base64url. The number is
 * part of the message, so a code of one number is worthless for another; the NUL keeps every (number,
 * code) pair distinct (a number never holds one).
 */
export function hashCode(key: KeyObject, to: string, code: string): string {
  return createHmac('sha256', key)
    .update(`${to}\u0000${code.length > MAX_CODE_LENGTH ? code.slice(0, MAX_CODE_LENGTH) : code}`)
    .digest('base64url');
}
