import { timingSafeEqual } from 'node:crypto';
import { OtpError } from '../errors.js';

// What every webhook-signature check needs, whatever the vendor's scheme: a constant-time comparison,
// a signing key that must be there, form fields in a canonical order, a timestamp inside its window,
// and a check that answers false rather than throw on what a caller sent.

/** Constant-time comparison of two strings (UTF-8, by `crypto.timingSafeEqual`); false when their lengths differ. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Throws `OtpError` `INVALID_CONFIG` "`field`: expected `what`, a non-empty string" unless `key` is a
 * non-empty string: a check made with no key would refuse every callback in silence, or let anyone
 * forge one. Returns the key.
 */
export function requireSigningKey(provider: string, field: string, key: unknown, what: string): string {
  if (typeof key === 'string' && key !== '') return key;
  throw new OtpError('INVALID_CONFIG', `${field}: expected ${what}, a non-empty string`, { provider });
}

/**
 * Runs a signature check on caller input: whatever it throws (a Proxy, a getter that throws, a value
 * of the wrong kind) means "not a callback we can check", so `false`.
 */
export function checkSafely(check: () => boolean): boolean {
  try {
    return check() === true;
  } catch {
    return false;
  }
}

/** Form fields as a signature covers them: a `URLSearchParams`, or an object of values (a repeated field as an array). */
export type SignedFormFields =
  | URLSearchParams
  | Readonly<Record<string, string | number | readonly string[] | undefined>>;

/**
 * The fields' names sorted (by code unit), each with its distinct values sorted: the canonical order
 * of schemes that sign "URL + sorted fields". `undefined` when a value is not what a form carries (a
 * string, a finite number, or an array of them): a nested `a[b]=1` parsed into an object, a `null`.
 */
export function sortedFormFields(params: SignedFormFields | undefined): [string, string[]][] | undefined {
  const byName = new Map<string, Set<string>>();
  const add = (name: string, value: unknown): boolean => {
    if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) return false;
    const values = byName.get(name) ?? new Set<string>();
    values.add(String(value));
    byName.set(name, values);
    return true;
  };
  if (params instanceof URLSearchParams) {
    for (const [name, value] of params) add(name, value);
  } else if (typeof params === 'object' && params !== null) {
    for (const name of Object.keys(params)) {
      const value: unknown = (params as Record<string, unknown>)[name];
      if (value === undefined) continue;
      if (Array.isArray(value)) {
        for (const item of value) if (!add(name, item)) return undefined;
      } else if (!add(name, value)) {
        return undefined;
      }
    }
  } else if (params !== undefined) {
    return undefined;
  }
  return [...byName.keys()].sort().map((name) => [name, [...byName.get(name)!].sort()]);
}

const DEFAULT_PORTS: Readonly<Record<string, string>> = { http: '80', https: '443' };

/**
 * The URL as given, then with its scheme's default port added (if it has none) or removed (if it has
 * it): vendors that sign the URL they called are not consistent about the port.
 */
export function defaultPortVariants(url: string): string[] {
  const parts = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([\s\S]*)$/.exec(url);
  const defaultPort = parts ? DEFAULT_PORTS[parts[1]!.toLowerCase()] : undefined;
  if (!parts || defaultPort === undefined) return [url];
  const [, scheme, authority, rest] = parts;
  // Userinfo, then a host (an IPv6 literal in brackets, or a name), then the port.
  const host = /^((?:[^@]*@)?(?:\[[^\]]*\]|[^:]*))(?::(\d*))?$/.exec(authority!);
  if (!host) return [url];
  const [, name, port] = host;
  if (port === undefined || port === '') return [url, `${scheme}://${name}:${defaultPort}${rest}`];
  if (port === defaultPort) return [url, `${scheme}://${name}${rest}`];
  return [url];
}

/**
 * True when `timestamp` (Unix seconds, digits only, as a string or number) lies within `maxAgeMs` of
 * `now`, either side: the replay window of a signed callback. `Infinity` accepts any time, a missing
 * one included.
 */
export function isFreshTimestamp(
  timestamp: string | number | undefined,
  maxAgeMs: number,
  now: number = Date.now(),
): boolean {
  if (maxAgeMs === Number.POSITIVE_INFINITY) return true;
  const text = typeof timestamp === 'number' ? String(timestamp) : timestamp?.trim();
  if (text === undefined || !/^\d{1,12}$/.test(text)) return false;
  return Math.abs(now - Number(text) * 1000) <= maxAgeMs;
}
