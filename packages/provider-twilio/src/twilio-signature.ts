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
  const given = signature.trim();

  let params: TwilioSignedParams | undefined = input.params;
  let bodyMatches = true;
  if (input.body !== undefined) {
    params = undefined;
    const expected = createHash('sha256').update(input.body).digest('hex');
    const claimed = bodySha256Of(url);
    bodyMatches = claimed !== undefined && safeEqual(claimed.toLowerCase(), expected);
  }
  let signatureMatches = false;
  for (const candidate of urlVariants(url)) {
    // Every variant is computed and compared: no early exit.
    if (safeEqual(given, computeTwilioSignature(authToken, candidate, params))) signatureMatches = true;
  }
  return signatureMatches && bodyMatches;
}

/**
 * The signature Twilio would send for this URL and these fields (no port handling: the URL is taken as
 * is). For tests that play Twilio; apps check callbacks with `verifyTwilioSignature`.
 */
export function computeTwilioSignature(authToken: string, url: string, params?: TwilioSignedParams): string {
  let data = url;
  for (const [name, values] of sortedFields(params)) for (const value of values) data += name + value;
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/** Names sorted; each name's distinct values sorted. */
function sortedFields(params: TwilioSignedParams | undefined): [string, string[]][] {
  const byName = new Map<string, Set<string>>();
  const add = (name: string, value: string) => {
    const values = byName.get(name) ?? new Set<string>();
    values.add(value);
    byName.set(name, values);
  };
  if (params instanceof URLSearchParams) {
    for (const [name, value] of params) add(name, value);
  } else if (params) {
    for (const name of Object.keys(params)) {
      const value = params[name];
      if (value === undefined) continue;
      if (typeof value === 'string' || typeof value === 'number') add(name, String(value));
      else for (const item of value) add(name, String(item));
    }
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
