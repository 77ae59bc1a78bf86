import { createHash, createHmac } from 'node:crypto';
import { OtpError } from '@otpkit/core';
import {
  checkSafely,
  defaultPortVariants,
  requireSigningKey,
  type SignedFormFields,
  safeEqual,
  sortedFormFields,
} from '@otpkit/core/http';

/** The fields of a form callback: `URLSearchParams`, or an object of values (a repeated field as an array). */
export type TwilioSignedParams = SignedFormFields;

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
  const { url, signature } = input;
  const authToken = requireSigningKey('twilio', 'authToken', input.authToken, 'your Twilio Auth Token');
  if (typeof url !== 'string' || url === '') {
    throw new OtpError('INVALID_INPUT', 'url: expected the full URL Twilio called, as a string', {
      provider: 'twilio',
    });
  }
  if (typeof signature !== 'string' || signature.trim() === '') return false;
  return checkSafely(() => matches(authToken, url, signature.trim(), input));
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
  const fields = sortedFormFields(params);
  if (fields === undefined) return false;
  let signatureMatches = false;
  for (const candidate of defaultPortVariants(url)) {
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
  const fields = sortedFormFields(params);
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

function bodySha256Of(url: string): string | undefined {
  if (!URL.canParse(url)) return undefined;
  return new URL(url).searchParams.get('bodySHA256') ?? undefined;
}
