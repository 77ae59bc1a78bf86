import type { SendContext } from '../types.js';
import type { FetchFunction } from './post-form.js';

// What one request needs to know of its attempt and its provider's options.

/** The most of a vendor's reply `postForm` reads, in bytes, unless told otherwise (vendors' replies are < 4 KiB). */
export const DEFAULT_MAX_RESPONSE_BYTES = 65_536;

/** The time limit of a request made without a deadline, unless the provider gives its own. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

export interface RequestContext {
  /** Provider id, set on every error. */
  provider: string;
  /** The attempt's signal: its abort reason (`TIMEOUT` / `ABORTED` from the dispatcher) wins over any other failure. */
  signal: AbortSignal;
  /**
   * The attempt's `SendContext.deadline`. When set, the caller's signal already limits the request
   * (headers and body): no timer of the request's own.
   */
  deadline?: number | undefined;
  /**
   * Without a deadline (a provider used directly), the time limit of the whole exchange, headers and
   * body, in ms: one timer, which ends the request with `TIMEOUT`.
   * @default 10000
   */
  timeoutMs?: number | undefined;
  /**
   * The most of the reply read, in bytes; a longer reply (by its `Content-Length` or as it streams) is
   * cancelled and ends in `INVALID_RESPONSE`.
   * @default 65536
   */
  maxResponseBytes?: number | undefined;
  /**
   * The provider's `fetch` option, when the user set one: pass it whenever the client was created with
   * it. The request goes out through it with the request's signal (see `postForm`).
   */
  fetch?: FetchFunction | undefined;
}

/**
 * The `RequestContext` of one attempt: the provider's `timeoutMs`, `maxResponseBytes` and `fetch`
 * options, and the attempt's signal and deadline.
 */
export function requestContext(
  provider: string,
  options: Pick<RequestContext, 'timeoutMs' | 'maxResponseBytes' | 'fetch'>,
  { signal, deadline }: SendContext,
): RequestContext {
  const { timeoutMs, maxResponseBytes, fetch } = options;
  return { provider, signal, deadline, timeoutMs, maxResponseBytes, fetch };
}
