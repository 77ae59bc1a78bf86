import * as v from 'valibot';
import { OtpError } from '../errors.js';
import { describeIssues, httpBaseUrl, MaxResponseBytesSchema, toOtpIssues } from '../validation.js';
import type { FetchFunction } from './post-form.js';
import { DEFAULT_REQUEST_TIMEOUT_MS } from './request-context.js';
import { trimBaseUrl } from './vendor-client.js';

/** The options every HTTP provider takes, beside its credentials. Vendors document their own `baseUrl`. */
export interface ProviderHttpOptions {
  /**
   * The vendor's API host, for other regions, proxies and tests: http or https, with no
   * `user:password@`, `?query` or `#fragment`. Trailing slashes are dropped.
   * @default the vendor's public API host
   */
  baseUrl?: string;
  /**
   * Time limit of one request in ms, for use without a dispatcher. Under a dispatcher, its per-attempt
   * signal rules instead (`SendContext.deadline` turns this timer off).
   * @default 10000
   */
  timeoutMs?: number;
  /**
   * The most of a reply read, in bytes (1 KiB to 16 MiB): a longer one is cancelled and the send ends
   * in `INVALID_RESPONSE`. Vendors' replies are well under 4 KiB.
   * @default 65536
   */
  maxResponseBytes?: number;
  /**
   * The `fetch` used for requests (passed to ky): a proxy agent, a faster transport, a test double.
   * @default the global `fetch` (which msw intercepts in tests)
   */
  fetch?: FetchFunction;
}

/** `ProviderHttpOptions` after validation, with defaults filled in. */
export interface ResolvedProviderHttpOptions {
  baseUrl: string;
  timeoutMs: number;
  maxResponseBytes: number | undefined;
  fetch: FetchFunction | undefined;
}

/** The largest delay a timer takes: past it timers overflow, and ky refuses every request. */
const MAX_TIMER_MS = 2_147_483_647;
const TIMEOUT = `timeoutMs: expected an integer from 1 to ${MAX_TIMER_MS}`;

/**
 * The valibot entries of `ProviderHttpOptions`, to spread into a vendor's options object schema. Their
 * messages name the option and never echo its value.
 */
export const ProviderHttpOptionEntries = {
  baseUrl: v.optional(
    httpBaseUrl('baseUrl: expected an http or https URL without user:password@, ?query or #fragment'),
  ),
  timeoutMs: v.optional(
    v.pipe(v.number(TIMEOUT), v.integer(TIMEOUT), v.minValue(1, TIMEOUT), v.maxValue(MAX_TIMER_MS, TIMEOUT)),
  ),
  maxResponseBytes: MaxResponseBytesSchema,
  fetch: v.optional(
    v.custom<FetchFunction>((value) => typeof value === 'function', 'fetch: expected a fetch function'),
  ),
};

/** Who a provider is: its id (`"kaleyra"`, on every error) and its name in messages (`"Kaleyra"`). */
export interface ProviderName {
  id: string;
  name: string;
}

/**
 * Validates a provider's options once, against its valibot schema: the output, or `OtpError`
 * `INVALID_CONFIG` ("Invalid Kaleyra options: ...") with every wrong option's path in `issues`.
 */
export function resolveProviderOptions<S extends v.GenericSchema>(
  provider: ProviderName,
  schema: S,
  input: unknown,
): v.InferOutput<S> {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  const issues = toOtpIssues(result.issues);
  throw new OtpError('INVALID_CONFIG', `Invalid ${provider.name} options: ${describeIssues(issues)}`, {
    provider: provider.id,
    issues,
  });
}

/** The validated `ProviderHttpOptions` with their defaults: `defaultBaseUrl`, a 10 s time limit. */
export function resolveHttpOptions(
  options: ProviderHttpOptions,
  defaultBaseUrl: string,
): ResolvedProviderHttpOptions {
  return {
    baseUrl: trimBaseUrl(options.baseUrl ?? defaultBaseUrl),
    timeoutMs: options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    maxResponseBytes: options.maxResponseBytes,
    fetch: options.fetch,
  };
}
