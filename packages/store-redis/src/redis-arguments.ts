import { OtpError } from '@otpkit/core';

/** The checks and conversions of what goes to and comes from the store's scripts. */

export const DELIVERIES: Record<string, string> = { delivered: '1', undelivered: '2', overdue: '3' };
export const DELIVERY_STATES: Record<number, 'unknown' | 'delivered' | 'undelivered'> = {
  0: 'unknown',
  1: 'delivered',
  2: 'undelivered',
};

/** A message id, dispatch id, locale or provider: 1 to 256 characters without control characters. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
const SHORT_TEXT = /^[^\u0000-\u001f\u007f]{1,256}$/;

export function requiredText(value: unknown, path: string): string {
  if (typeof value !== 'string' || !SHORT_TEXT.test(value)) {
    throw invalid('INVALID_INPUT', path, 'expected 1 to 256 characters without control characters');
  }
  return value;
}

export const optionalText = (value: unknown, path: string): string =>
  value === undefined ? '' : requiredText(value, path);

/** HMACs as the verifier makes them (base64url), and a little room for other stores' tests. */
const CODE_HASH = /^[A-Za-z0-9_-]{16,128}$/;

export const invalid = (kind: 'INVALID_INPUT' | 'INVALID_CONFIG', path: string, message: string) =>
  new OtpError(kind, `${path}: ${message}`, { issues: [{ path, message }] });

export function finite(value: unknown, path: string): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalid('INVALID_INPUT', path, 'expected a finite number');
  }
  return String(value);
}

export function codeHash(value: unknown, path = 'codeHash'): string {
  if (typeof value !== 'string' || !CODE_HASH.test(value)) {
    throw invalid('INVALID_INPUT', path, 'expected a base64url HMAC of 16 to 128 characters');
  }
  return value;
}

/** Takes out of a Redis error message anything that could be a hash or a token; keeps it short. */
export function redact(message: string): string {
  return message.replace(/[A-Za-z0-9_+/=-]{32,}/g, '[redacted]').slice(0, 200);
}

export const toNumber = (value: unknown): number =>
  typeof value === 'number' ? value : Number(value instanceof Uint8Array ? Buffer.from(value) : value);
export const toText = (value: unknown): string =>
  value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : String(value);
