import { describeIssues, httpBaseUrl, MaxResponseBytesSchema, OtpError, toOtpIssues } from '@otpkit/core';
import * as v from 'valibot';

/** __Name__'s API host. TODO: the vendor's real host (and its regions, if it has several). */
export const __ID___DEFAULT_BASE_URL = 'https://api.__id__.example';

/** Options of `create__Name__Provider`. */
export interface __Name__ProviderOptions {
  /** API key from the __Name__ console; sent as a bearer token, never logged. Required. */
  apiKey: string;
  /** Default sender id; a message's own `sender` wins. Default: none sent, so __Name__ uses the account's. */
  sender?: string;
  /** API host, for proxies and tests (no `user:password@`, `?query` or `#fragment`). Default `https://api.__id__.example`. */
  baseUrl?: string;
  /**
   * Time limit of one request in ms, for use without a dispatcher. Under a dispatcher, its per-attempt
   * signal applies as well; whichever is shorter ends the attempt. Default `10000`.
   */
  timeoutMs?: number;
  /**
   * The most of a reply read, in bytes (1 KiB to 16 MiB); a longer one ends in `INVALID_RESPONSE`.
   * @default 65536
   */
  maxResponseBytes?: number;
  /** The `fetch` used for requests (passed to ky). Default: the global `fetch` (which msw intercepts in tests). */
  fetch?: (input: Request | URL | string, init?: RequestInit) => Promise<Response>;
}

const API_KEY = 'apiKey: expected a non-empty string without spaces (your __Name__ API key)';
const SENDER = 'sender: expected a sender id of 1 to 15 letters or digits';
const TIMEOUT = 'timeoutMs: expected an integer from 1 to 2147483647';

/**
 * The valibot schema of the options. Messages name the option and never echo its value, so a
 * misplaced key never lands in a log.
 */
export const __Name__OptionsSchema = v.object(
  {
    apiKey: v.pipe(v.string(API_KEY), v.regex(/^[\x21-\x7e]+$/, API_KEY)),
    sender: v.optional(v.pipe(v.string(SENDER), v.regex(/^[A-Za-z0-9+]{1,15}$/, SENDER))),
    baseUrl: v.optional(
      httpBaseUrl('baseUrl: expected an http or https URL without user:password@, ?query or #fragment'),
    ),
    timeoutMs: v.optional(
      v.pipe(
        v.number(TIMEOUT),
        v.integer(TIMEOUT),
        v.minValue(1, TIMEOUT),
        v.maxValue(2_147_483_647, TIMEOUT),
      ),
    ),
    maxResponseBytes: MaxResponseBytesSchema,
    fetch: v.optional(v.function('fetch: expected a fetch function')),
  },
  'options: expected an object with apiKey',
);

/** Options after validation, with defaults filled in. */
export interface Resolved__Name__Options {
  apiKey: string;
  sender: string | undefined;
  baseUrl: string;
  timeoutMs: number;
  maxResponseBytes: number | undefined;
  fetch: __Name__ProviderOptions['fetch'];
}

/** Validates options once; throws `OtpError` `INVALID_CONFIG` naming every wrong option. */
export function resolve__Name__Options(input: __Name__ProviderOptions): Resolved__Name__Options {
  const result = v.safeParse(__Name__OptionsSchema, input);
  if (!result.success) {
    const issues = toOtpIssues(result.issues);
    throw new OtpError('INVALID_CONFIG', `Invalid __Name__ options: ${describeIssues(issues)}`, {
      provider: '__id__',
      issues,
    });
  }
  const options = result.output;
  return {
    apiKey: options.apiKey,
    sender: options.sender,
    baseUrl: (options.baseUrl ?? __ID___DEFAULT_BASE_URL).replace(/\/+$/, ''),
    timeoutMs: options.timeoutMs ?? 10_000,
    maxResponseBytes: options.maxResponseBytes,
    fetch: input.fetch,
  };
}
