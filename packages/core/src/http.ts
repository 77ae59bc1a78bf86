import { isOtpError, OtpError, type OtpErrorCode } from './errors.js';

/**
 * Shared plumbing for providers that talk HTTP: posting a form with the attempt's signal, reading a
 * reply defensively, and turning statuses, `Retry-After` and vendor error codes into `OtpError`s in the
 * order the error model sets. Import from `@otpkit/core/http`.
 */

/**
 * The part of an HTTP client the helpers use. A `ky` instance fits (create it with `retry: 0,
 * throwHttpErrors: false`). Another client must honour `fetch` when given: the request goes out through
 * it, since that is how `postForm` passes the attempt's signal under a deadline.
 */
export interface HttpClient {
  post(
    url: string,
    options: {
      body?: URLSearchParams | string;
      headers?: Record<string, string>;
      signal?: AbortSignal;
      timeout?: number | false;
      fetch?: FetchFunction;
    },
  ): Promise<Response>;
}

/** A `fetch`: the global one, or a provider's `fetch` option (e.g. `createUndiciFetch()`). */
export type FetchFunction = (input: Request | URL | string, init?: RequestInit) => Promise<Response>;

/** A vendor's reply, read once. */
export interface HttpReply {
  status: number;
  headers: Headers;
  /** The parsed JSON body; `undefined` when the body was empty or not JSON (see `isJson`). */
  json: unknown;
  /** False when the body was not JSON. */
  isJson: boolean;
}

export interface RequestContext {
  /** Provider id, set on every error. */
  provider: string;
  /** The attempt's signal: its abort reason (`TIMEOUT` / `ABORTED` from the dispatcher) wins over any other failure. */
  signal: AbortSignal;
  /**
   * The attempt's `SendContext.deadline`. When set, the caller's signal already limits the request, so
   * the client's own timeout is turned off for it (`timeout: false`): one timer per attempt, not two.
   */
  deadline?: number | undefined;
  /**
   * The provider's `fetch` option, when the user set one: pass it whenever the client was created with
   * it. Under a deadline the request goes out through it with the attempt's signal (see `postForm`).
   */
  fetch?: FetchFunction | undefined;
}

/**
 * Posts a form and reads the reply. Rejects only with `OtpError`: the caller's abort → `ABORTED` (or the
 * signal's own `OtpError` reason, e.g. the dispatcher's `TIMEOUT`), the client's own timeout → `TIMEOUT`,
 * no response → `NETWORK`. Any HTTP status resolves; classify it with `httpError`.
 */
export async function postForm(
  client: HttpClient,
  url: string,
  form: URLSearchParams,
  context: RequestContext,
  headers?: Record<string, string>,
): Promise<HttpReply> {
  try {
    // The form itself is the body: fetch sets its content type, so no headers are merged per request
    // unless the provider passes some.
    const options = headers === undefined ? { body: form } : { body: form, headers };
    const { signal, fetch } = context;
    const response =
      context.deadline === undefined
        ? await client.post(url, { ...options, signal })
        : // Under a deadline the signal alone limits the request. It is handed to fetch itself rather
          // than to the client, which would merge it with a signal of its own (ky: `AbortSignal.any`,
          // garbage on every send); the client's timeout is off, so its own signal never fires.
          await client.post(url, {
            ...options,
            timeout: false,
            fetch: (request) => (fetch ?? globalThis.fetch)(request, { signal }),
          });
    const text = await response.text();
    let json: unknown;
    let isJson = true;
    if (text.trim() === '') {
      isJson = false;
    } else {
      try {
        json = JSON.parse(text);
      } catch {
        isJson = false;
      }
    }
    return { status: response.status, headers: response.headers, json, isJson };
  } catch (error) {
    throw transportError(error, context);
  }
}

/** Classifies a failure that produced no HTTP reply: abort, timeout, then network. */
export function transportError(error: unknown, { provider, signal }: RequestContext): OtpError {
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    if (isOtpError(reason)) return reason;
    if (reason instanceof Error && reason.name === 'TimeoutError') {
      return new OtpError('TIMEOUT', `${provider}: the request timed out`, { provider, cause: reason });
    }
    return new OtpError('ABORTED', `${provider}: the send was aborted by the caller`, {
      provider,
      cause: reason,
    });
  }
  if (isOtpError(error)) return error;
  if (error instanceof Error && error.name === 'TimeoutError') {
    // Not kept as the cause: a client's TimeoutError holds the request (ky's does), api key header included.
    return new OtpError('TIMEOUT', `${provider}: the request timed out`, { provider });
  }
  const detail = networkDetail(error);
  return new OtpError('NETWORK', `${provider}: no response from the vendor${detail ? ` (${detail})` : ''}`, {
    provider,
    cause: error,
  });
}

function networkDetail(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Milliseconds to wait from a `Retry-After` header: delay-seconds (`"120"`) or an HTTP date. `undefined`
 * when absent or unreadable; never negative.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** One row of a vendor's error-code table. */
export interface VendorErrorRule {
  code: OtpErrorCode;
  /** Overrides the code's default retryable flag. */
  retryable?: boolean;
}

/** How `httpError` words a failure that a row of the vendor's table classifies, by the row's code. */
const RULE_SUMMARIES: Partial<Record<OtpErrorCode, string>> = {
  AUTHENTICATION: 'the vendor refused the credentials',
  RATE_LIMITED: 'the vendor asked to slow down',
  PROVIDER_UNAVAILABLE: 'the vendor failed',
};

export interface HttpErrorInput {
  provider: string;
  status: number;
  headers?: Headers;
  /** Whether the reply body was JSON at all. */
  isJson: boolean;
  /** The vendor's own error code, when the body had one. */
  vendorCode?: string;
  /** The vendor's own error text, when the body had one. It is redacted and shortened. */
  vendorMessage?: string;
  /** The vendor's code table. */
  table?: Readonly<Record<string, VendorErrorRule>>;
  /** Values that must never appear in the message (keys, tokens, the body). */
  secrets?: readonly (string | undefined)[];
}

/**
 * Classifies a vendor's failed reply, in the order of the error model: 401/403 → `AUTHENTICATION`,
 * 429 → `RATE_LIMITED` (with `Retry-After`), 5xx → `PROVIDER_UNAVAILABLE`, whatever the body; then a
 * body that is not JSON → `INVALID_RESPONSE`; then the vendor's code table; then any other status →
 * `REJECTED`. The vendor code is kept in `providerCode`, the vendor's text in the message (redacted).
 */
export function httpError(input: HttpErrorInput): OtpError {
  const { provider, status, vendorCode } = input;
  const retryAfterMs = parseRetryAfter(input.headers?.get('retry-after'));
  const base = {
    provider,
    status,
    ...(vendorCode === undefined ? {} : { providerCode: vendorCode }),
  };
  const say = (summary: string) => {
    const text = input.vendorMessage ? redact(input.vendorMessage, input.secrets ?? []).slice(0, 300) : '';
    const detail = [vendorCode, `HTTP ${status}`].filter(Boolean).join(', ');
    return `${provider}: ${summary}${text ? `: ${text}` : ''} (${detail})`;
  };

  if (status === 401 || status === 403) {
    return new OtpError('AUTHENTICATION', say('the vendor refused the credentials'), base);
  }
  if (status === 429) {
    return new OtpError('RATE_LIMITED', say('the vendor asked to slow down'), {
      ...base,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  if (status >= 500) {
    return new OtpError('PROVIDER_UNAVAILABLE', say('the vendor failed'), {
      ...base,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  if (!input.isJson) {
    return new OtpError('INVALID_RESPONSE', say('the vendor replied with a body that is not JSON'), base);
  }
  // Own rows only: the code comes from the vendor's body, and "constructor" or "__proto__" is no row.
  const rule =
    vendorCode !== undefined && input.table && Object.hasOwn(input.table, vendorCode)
      ? input.table[vendorCode]
      : undefined;
  if (rule) {
    // A vendor that reports credentials or throttling in its body (some do so inside a 2xx) gets the
    // same wording as the status would.
    return new OtpError(rule.code, say(RULE_SUMMARIES[rule.code] ?? 'the vendor refused the message'), {
      ...base,
      ...(rule.retryable === undefined ? {} : { retryable: rule.retryable }),
    });
  }
  return new OtpError('REJECTED', say('the vendor refused the message'), base);
}

/**
 * Replaces every occurrence of each secret (4 characters or more) with `[redacted]`, also spelt as it
 * travels in a form body or a URL (`a+b c` as `a%2Bb+c` or `a%2Bb%20c`), since a vendor that echoes
 * the request echoes it encoded.
 */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  const spellings = new Set<string>();
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    spellings.add(secret);
    spellings.add(new URLSearchParams({ s: secret }).toString().slice(2));
    try {
      spellings.add(encodeURIComponent(secret));
    } catch {
      // a lone surrogate has no percent-encoding; the form spelling above covers it
    }
  }
  // Longest first, so a secret that contains another is not left half visible.
  for (const spelling of [...spellings].sort((a, b) => b.length - a.length)) {
    out = out.split(spelling).join('[redacted]');
  }
  return out;
}
