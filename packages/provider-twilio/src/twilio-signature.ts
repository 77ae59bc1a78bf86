import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { OtpError } from '@otpkit/core';

/** The fields of a form callback: `URLSearchParams`, or an object of values (a repeated field as an array). */
export type TwilioSignedParams =
  | URLSearchParams
  | Readonly<Record<string, string | number | readonly string[] | undefined>>;

/** What `verifyTwilioSignature` checks. */
export interface VerifyTwilioSignatureInput {
  /**
   * The account's Auth Token. It is the signing key even when your REST calls use an API key.
   * Required: a missing token throws `INVALID_CONFIG` rather than refusing every callback in silence.
   */
  authToken: string;
  /**
   * The full URL Twilio called, exactly as you gave it to Twilio: scheme, host, port if any, path and
   * query string (e.g. `https://app.example.com/twilio/status?tenant=7`). Behind a proxy, rebuild it from
   * your public origin, not from the socket. It is tried with and without the scheme's default port.
   */
  url: string;
  /**
   * The POST fields Twilio sent (a form callback), every one of them, as received. Query-string
   * parameters belong in `url`, not here. Default: none.
   */
  params?: TwilioSignedParams;
  /**
   * For a JSON callback: the raw body. Twilio then puts `bodySHA256` (its SHA-256, in hex) in the URL and
   * signs the URL alone; both are checked, and `params` is not used. Default: none (a form callback).
   */
  body?: string | Uint8Array;
  /** The `X-Twilio-Signature` header. Missing, empty or repeated → `false`. */
  signature: string | readonly string[] | null | undefined;
}

/**
 * Checks Twilio's `X-Twilio-Signature` on a webhook (status callbacks included): HMAC-SHA1, keyed with
 * the Auth Token, over the URL followed by each POST field's name and value, sorted by name (a repeated
 * name contributes each distinct value, sorted), base64-encoded; compared in constant time. The URL is
 * tried as given and with the default port (`:443`, `:80`) added or removed, as Twilio is not consistent
 * about ports. Call it before trusting a callback; answer 403 when it returns `false`.
 *
 * Throws `OtpError` `INVALID_CONFIG` when `authToken` is missing, `INVALID_INPUT` when `url` is.
 */
export function verifyTwilioSignature(input: VerifyTwilioSignatureInput): boolean {
  const { authToken, url, signature } = input;
  if (typeof authToken !== 'string' || authToken === '') {
    throw new OtpError('INVALID_CONFIG', 'authToken: expected your Twilio Auth Token, a non-empty string', {
      provider: 'twilio',
    });
  }
  if (typeof url !== 'string' || url === '') {
    throw new OtpError('INVALID_INPUT', 'url: expected the full URL Twilio called, as a string', {
      provider: 'twilio',
    });
  }
  if (typeof signature !== 'string' || signature.trim() === '') return false;
  try {
    return matches(authToken, url, signature.trim(), input);
  } catch {
    // Whatever a caller managed to send (a Proxy, a getter that throws): not a callback we can check.
    return false;
  }
}

function matches(authToken: string, url: string, given: string, input: VerifyTwilioSignatureInput): boolean {
  let params: TwilioSignedParams | undefined = input.params;
  let bodyMatches = true;
  if (input.body !== undefined) {
    if (typeof input.body !== 'string' && !(input.body instanceof Uint8Array)) return false;
    params = undefined;
    const expected = createHash('sha256').update(input.body).digest('hex');
    const claimed = bodySha256Of(url);
    bodyMatches = claimed !== undefined && safeEqual(claimed.toLowerCase(), expected);
  }
  const fields = sortedFields(params);
  if (fields === undefined) return false;
  let signatureMatches = false;
  for (const candidate of urlVariants(url)) {
    // Every variant is computed and compared: no early exit.
    if (safeEqual(given, signatureOf(authToken, candidate, fields))) signatureMatches = true;
  }
  return signatureMatches && bodyMatches;
}

/**
 * The signature Twilio would send for this URL and these fields (no port handling: the URL is taken as
 * is). For tests that play Twilio; apps check callbacks with `verifyTwilioSignature`.
 */
export function computeTwilioSignature(authToken: string, url: string, params?: TwilioSignedParams): string {
  const fields = sortedFields(params);
  if (fields === undefined) {
    throw new OtpError(
      'INVALID_INPUT',
      'params: expected form fields whose values are strings, numbers or arrays of them',
      { provider: 'twilio' },
    );
  }
  return signatureOf(authToken, url, fields);
}

function signatureOf(authToken: string, url: string, fields: readonly [string, string[]][]): string {
  let data = url;
  for (const [name, values] of fields) for (const value of values) data += name + value;
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/**
 * Names sorted; each name's distinct values sorted. `undefined` when a value is not what a form
 * carries (a string, a finite number, or an array of them): a nested `a[b]=1` parsed into an object,
 * a `null`, anything else.
 */
function sortedFields(params: TwilioSignedParams | undefined): [string, string[]][] | undefined {
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

/** The URL as given, then with the scheme's default port added (if it has none) or removed (if it has it). */
function urlVariants(url: string): string[] {
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

function bodySha256Of(url: string): string | undefined {
  if (!URL.canParse(url)) return undefined;
  return new URL(url).searchParams.get('bodySHA256') ?? undefined;
}

/** Constant-time comparison; `timingSafeEqual` needs buffers of equal length. */
function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
