import { describeIssues, httpBaseUrl, MaxResponseBytesSchema, OtpError, toOtpIssues } from '@otpkit/core';
import * as v from 'valibot';

/** Host of Vonage's SMS API (the legacy `rest.nexmo.com/sms`, not the Messages API). */
export const VONAGE_DEFAULT_BASE_URL = 'https://rest.nexmo.com';

/**
 * The range Vonage accepts for `ttl`, in ms: 20 s to 7 days (Vonage's default, when `ttl` is not sent,
 * is 72 h). Vonage advises at least 30 minutes.
 */
export const VONAGE_TTL_RANGE_MS = Object.freeze({ min: 20_000, max: 604_800_000 });

/** Options of `createVonageProvider`. */
export interface VonageProviderOptions {
  /** API key from the Vonage dashboard, sent as the `api_key` form field. Required. */
  apiKey: string;
  /**
   * API secret from the Vonage dashboard, sent as the `api_secret` form field; never logged, never in
   * an error. Required.
   */
  apiSecret: string;
  /**
   * Default sender (Vonage `from`): a Vonage number (digits) or an alphanumeric sender id, 1 to 15
   * letters, digits, spaces or `+`. A message's own `sender` wins. In North America it must be a Vonage
   * number or short code. Required.
   */
  from: string;
  /** API host, for proxies and tests. Trailing slashes are dropped. Default `https://rest.nexmo.com`. */
  baseUrl?: string;
  /**
   * How long Vonage keeps trying to deliver, in ms (Vonage `ttl`): an integer from 20000 to 604800000.
   * Set it near your code's lifetime so a late SMS is not delivered after the code expired. Default:
   * not sent, so Vonage's own default applies (72 h).
   */
  ttlMs?: number;
  /**
   * Time limit of one request in ms, for use without a dispatcher. Under a dispatcher, its per-attempt
   * signal rules instead (`SendContext.deadline` turns this timer off). Default `10000`.
   */
  timeoutMs?: number;
  /**
   * The most of a reply read, in bytes (1 KiB to 16 MiB): a longer one is cancelled and the send ends
   * in `INVALID_RESPONSE`. Vonage's replies are well under 4 KiB.
   * @default 65536
   */
  maxResponseBytes?: number;
  /**
   * The `fetch` used for requests (passed to ky): a proxy agent, a faster transport, a test double.
   * Default: the global `fetch` (which msw intercepts in tests).
   */
  fetch?: (input: Request | URL | string, init?: RequestInit) => Promise<Response>;
}

const API_KEY = 'apiKey: expected a non-empty string without spaces (your Vonage API key)';
const API_SECRET = 'apiSecret: expected a non-empty string without spaces (your Vonage API secret)';
const FROM =
  'from: expected a Vonage number or an alphanumeric sender id, 1 to 15 letters, digits, spaces or "+"';
const TTL = `ttlMs: expected an integer from ${VONAGE_TTL_RANGE_MS.min} to ${VONAGE_TTL_RANGE_MS.max} (20 s to 7 days)`;
const TIMEOUT = 'timeoutMs: expected an integer from 1 to 2147483647';

const token = (message: string) =>
  v.pipe(v.string(message), v.minLength(1, message), v.regex(/^[\x21-\x7e]+$/, message));

/**
 * The valibot schema of the options. Messages name the option and never echo its value, so a
 * misplaced secret never lands in a log.
 */
export const VonageOptionsSchema = v.object(
  {
    apiKey: token(API_KEY),
    apiSecret: token(API_SECRET),
    from: v.pipe(v.string(FROM), v.regex(/^(?=.*[A-Za-z0-9])[A-Za-z0-9 +]{1,15}$/, FROM)),
    baseUrl: v.optional(
      httpBaseUrl('baseUrl: expected an http or https URL without user:password@, ?query or #fragment'),
    ),
    ttlMs: v.optional(
      v.pipe(
        v.number(TTL),
        v.integer(TTL),
        v.minValue(VONAGE_TTL_RANGE_MS.min, TTL),
        v.maxValue(VONAGE_TTL_RANGE_MS.max, TTL),
      ),
    ),
    timeoutMs: v.optional(
      v.pipe(
        v.number(TIMEOUT),
        v.integer(TIMEOUT),
        v.minValue(1, TIMEOUT),
        // Timers overflow past 2^31 - 1 ms, and ky then refuses every request.
        v.maxValue(2_147_483_647, TIMEOUT),
      ),
    ),
    maxResponseBytes: MaxResponseBytesSchema,
    fetch: v.optional(v.function('fetch: expected a fetch function')),
  },
  'options: expected an object with apiKey, apiSecret and from',
);

/** Options after validation, with defaults filled in. */
export interface ResolvedVonageOptions {
  apiKey: string;
  apiSecret: string;
  from: string;
  baseUrl: string;
  ttlMs: number | undefined;
  timeoutMs: number;
  maxResponseBytes: number | undefined;
  fetch: VonageProviderOptions['fetch'];
}

/** Validates options once; throws `OtpError` `INVALID_CONFIG` naming every wrong option. */
export function resolveVonageOptions(input: VonageProviderOptions): ResolvedVonageOptions {
  const result = v.safeParse(VonageOptionsSchema, input);
  if (!result.success) {
    const issues = toOtpIssues(result.issues);
    throw new OtpError('INVALID_CONFIG', `Invalid Vonage options: ${describeIssues(issues)}`, {
      provider: 'vonage',
      issues,
    });
  }
  const options = result.output;
  return {
    apiKey: options.apiKey,
    apiSecret: options.apiSecret,
    from: options.from,
    baseUrl: (options.baseUrl ?? VONAGE_DEFAULT_BASE_URL).replace(/\/+$/, ''),
    ttlMs: options.ttlMs,
    timeoutMs: options.timeoutMs ?? 10_000,
    maxResponseBytes: options.maxResponseBytes,
    fetch: input.fetch,
  };
}
