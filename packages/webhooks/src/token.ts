import { createHash, timingSafeEqual } from 'node:crypto';
import { OtpError } from '@otpkit/core';

/** The query parameter that carries the callback token. */
export const TOKEN_PARAM = 'otpkit_token';

const TOKEN = /^[A-Za-z0-9_-]{24,256}$/;

/** Checks a callback token option: 24 to 256 URL-safe characters (`openssl rand -hex 24`). */
export function checkToken(token: unknown, path: string): string {
  if (typeof token !== 'string' || !TOKEN.test(token)) {
    const message =
      'expected 24 to 256 letters, digits, "-" or "_" (e.g. openssl rand -hex 24), kept secret like a password';
    throw new OtpError('INVALID_CONFIG', `${path}: ${message}`, { issues: [{ path, message }] });
  }
  return token;
}

/** Checks a public URL option: an absolute http(s) URL, no credentials, no fragment. */
export function checkPublicUrl(url: unknown, path: string): URL {
  const message = 'expected the absolute http or https URL the vendor calls, without user:password@ or #';
  if (typeof url !== 'string' || !URL.canParse(url)) {
    throw new OtpError('INVALID_CONFIG', `${path}: ${message}`, { issues: [{ path, message }] });
  }
  const parsed = new URL(url);
  if (
    (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') ||
    parsed.username !== '' ||
    parsed.password !== '' ||
    url.includes('#')
  ) {
    throw new OtpError('INVALID_CONFIG', `${path}: ${message}`, { issues: [{ path, message }] });
  }
  return parsed;
}

/** `publicUrl` with the token added as `otpkit_token`: the URL to give the vendor. */
export function callbackUrlWithToken(publicUrl: URL, token: string): string {
  const url = new URL(publicUrl);
  url.searchParams.set(TOKEN_PARAM, token);
  return url.toString();
}

/**
 * Whether the request's `otpkit_token` is `token`, in constant time: both sides are hashed first, so
 * neither the length nor any prefix of the token shows in the time taken. A repeated parameter fails.
 */
export function tokenMatches(url: URL, token: string): boolean {
  const given = url.searchParams.getAll(TOKEN_PARAM);
  if (given.length !== 1) return false;
  const a = createHash('sha256').update(given[0]!, 'utf8').digest();
  const b = createHash('sha256').update(token, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** Checks a vendor's signing secret option: a non-empty string (`what` says which secret it is). */
export function checkSecret(secret: unknown, path: string, what: string): string {
  if (typeof secret !== 'string' || secret.trim() === '') {
    const message = `expected ${what}, a non-empty string`;
    throw new OtpError('INVALID_CONFIG', `${path}: ${message}`, { issues: [{ path, message }] });
  }
  return secret;
}

/** Checks a replay window option: a positive, finite number of milliseconds, or `fallback` when absent. */
export function checkMaxAge(maxAgeMs: unknown, path: string, fallback: number): number {
  if (maxAgeMs === undefined) return fallback;
  if (typeof maxAgeMs !== 'number' || !Number.isFinite(maxAgeMs) || maxAgeMs <= 0) {
    const message = 'expected a positive number of milliseconds (the replay window)';
    throw new OtpError('INVALID_CONFIG', `${path}: ${message}`, { issues: [{ path, message }] });
  }
  return maxAgeMs;
}
