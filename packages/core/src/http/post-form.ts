import { isOtpError, OtpError } from '../errors.js';
import type { SendContext } from '../types.js';

// Posting a form with the attempt's signal and reading the reply defensively; a failure with no reply
// classified (abort, timeout, network).

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
      redirect?: 'follow' | 'error' | 'manual';
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
 * Posts a form and reads the reply. Rejects only with `OtpError`: the caller's abort → `ABORTED` (or the
 * signal's own `OtpError` reason, e.g. the dispatcher's `TIMEOUT`), the request's own time limit →
 * `TIMEOUT`, no response → `NETWORK`; a redirect (never followed: it would carry the credentials and
 * the code to another origin), a reply over `maxResponseBytes`, or a body that cannot be read (cut
 * off, badly compressed) → `INVALID_RESPONSE`. Any other HTTP status resolves; classify it with
 * `httpError`.
 */
export async function postForm(
  client: HttpClient,
  url: string,
  form: URLSearchParams,
  context: RequestContext,
  headers?: Record<string, string>,
): Promise<HttpReply> {
  // Under a deadline the caller's signal limits headers and body alike. Without one, a timer of the
  // request's own does (a client's timeout, ky's included, stops at the headers).
  const limit = context.deadline === undefined ? new TimeLimit(context) : undefined;
  const signal = limit === undefined ? context.signal : limit.signal;
  const fetch = context.fetch ?? globalThis.fetch;
  try {
    let response: Response;
    try {
      // The form itself is the body: fetch sets its content type. The signal goes to fetch itself, not
      // to the client, which would merge it with a signal of its own (ky: `AbortSignal.any`, garbage on
      // every send, and a signal Node 20 may collect while the request still needs it); the client's
      // own timeout is off. Redirects are never followed, by the client nor by fetch.
      response = await client.post(url, {
        body: form,
        ...(headers === undefined ? {} : { headers }),
        timeout: false,
        redirect: 'manual',
        fetch: (request) => fetch(request, { signal, redirect: 'manual' }),
      });
    } catch (error) {
      throw transportError(error, context, signal);
    }
    if ((response.status >= 300 && response.status < 400) || response.redirected || response.status === 0) {
      discard(response);
      throw new OtpError(
        'INVALID_RESPONSE',
        `${context.provider}: the vendor answered with a redirect (HTTP ${response.status}), which otpkit never follows: it would carry the credentials and the message to another address; check the provider's baseUrl`,
        { provider: context.provider, status: response.status },
      );
    }
    const text = await readText(response, context, signal);
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
  } finally {
    limit?.release();
  }
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

/** True for a 2xx reply. */
export function isSuccess(reply: HttpReply): boolean {
  return reply.status >= 200 && reply.status < 300;
}

/** A form of these fields, in their order; the `undefined` ones left out. */
export function formOf(fields: Readonly<Record<string, string | undefined>>): URLSearchParams {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) form.set(name, value);
  return form;
}

/**
 * The time limit of one request made without a deadline: a controller that the caller's signal and one
 * timer abort. Both are held here, strongly, for as long as the request runs.
 */
class TimeLimit {
  readonly #controller = new AbortController();
  readonly #caller: AbortSignal;
  readonly #timer: ReturnType<typeof setTimeout>;
  readonly #onAbort = () => this.#controller.abort(this.#caller.reason);

  constructor({ provider, signal, timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS }: RequestContext) {
    this.#caller = signal;
    if (signal.aborted) this.#controller.abort(signal.reason);
    else signal.addEventListener('abort', this.#onAbort, { once: true });
    this.#timer = setTimeout(() => {
      this.#controller.abort(
        new OtpError('TIMEOUT', `${provider}: the request took longer than ${timeoutMs} ms`, { provider }),
      );
    }, timeoutMs);
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  release(): void {
    clearTimeout(this.#timer);
    this.#caller.removeEventListener('abort', this.#onAbort);
  }
}

const decoder = new TextDecoder();

/** Reads the body as text, at most `maxResponseBytes` of it; cancels the rest. */
async function readText(response: Response, context: RequestContext, signal: AbortSignal): Promise<string> {
  const max = context.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const { provider } = context;
  const tooLarge = () =>
    new OtpError(
      'INVALID_RESPONSE',
      `${provider}: the vendor's reply is longer than ${max} bytes (maxResponseBytes); it was not read`,
      { provider, status: response.status },
    );
  const declared = response.headers.get('content-length');
  if (declared !== null && Number(declared) > max) {
    discard(response);
    throw tooLarge();
  }
  const body = response.body;
  if (body === null) return '';
  const reader = body.getReader();
  // A fetch whose body ignores the signal (msw's, some custom transports) still stops reading on abort.
  const stop = () => reader.cancel().catch(() => {});
  signal.addEventListener('abort', stop, { once: true });
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) break;
      chunks.push(value);
    }
    if (signal.aborted) throw transportError(signal.reason, context, signal);
  } catch (error) {
    if (context.signal.aborted || signal.aborted) throw transportError(error, context, signal);
    // The status came, so the vendor may have taken the message: not a network failure to retry or
    // fail over as if nothing had been sent, but an answer that cannot be read.
    const detail = networkDetail(error);
    throw new OtpError(
      'INVALID_RESPONSE',
      `${provider}: the vendor's reply (HTTP ${response.status}) could not be read: cut off or badly encoded${detail ? ` (${detail})` : ''}`,
      { provider, status: response.status },
    );
  } finally {
    signal.removeEventListener('abort', stop);
  }
  if (size > max) {
    reader.cancel().catch(() => {});
    throw tooLarge();
  }
  if (chunks.length === 1) return decoder.decode(chunks[0]);
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return decoder.decode(all);
}

/** Drops a reply's body unread, so its connection is released. */
function discard(response: Response): void {
  response.body?.cancel().catch(() => {});
}

/** Classifies a failure that produced no HTTP reply: abort, timeout, then network. */
export function transportError(
  error: unknown,
  { provider, signal }: RequestContext,
  /** The request's own signal, when it has one beside the caller's (its time limit). */
  requestSignal?: AbortSignal,
): OtpError {
  if (!signal.aborted && requestSignal?.aborted && isOtpError(requestSignal.reason)) {
    return requestSignal.reason;
  }
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
