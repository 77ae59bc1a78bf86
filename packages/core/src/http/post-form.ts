import { OtpError } from '../errors.js';
import { discard, readText } from './read-body.js';
import type { RequestContext } from './request-context.js';
import { TimeLimit } from './time-limit.js';
import { transportError } from './transport-error.js';

// Posting a form or a JSON body with the attempt's signal and reading the reply defensively.

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

/**
 * Posts a form (`application/x-www-form-urlencoded`) and reads the reply. Rejects only with `OtpError`: the caller's abort → `ABORTED` (or the
 * signal's own `OtpError` reason, e.g. the dispatcher's `TIMEOUT`), the request's own time limit →
 * `TIMEOUT`, no response → `NETWORK`; a redirect (never followed: it would carry the credentials and
 * the code to another origin), a reply over `maxResponseBytes`, or a body that cannot be read (cut
 * off, badly compressed) → `INVALID_RESPONSE`. Any other HTTP status resolves; classify it with
 * `httpError`.
 */
export function postForm(
  client: HttpClient,
  url: string,
  form: URLSearchParams,
  context: RequestContext,
  headers?: Record<string, string>,
): Promise<HttpReply> {
  return post(client, url, form, context, headers);
}

/**
 * Posts `value` as a JSON body (`Content-Type: application/json`, `Accept: application/json`) and reads
 * the reply, exactly as `postForm` does: the same time limit, redirect refusal, size cap and errors.
 * For vendors whose API takes JSON (and usually a `Authorization: Bearer` header, passed in `headers`).
 */
export function postJson(
  client: HttpClient,
  url: string,
  value: unknown,
  context: RequestContext,
  headers?: Record<string, string>,
): Promise<HttpReply> {
  const body = JSON.stringify(value);
  return post(client, url, body, context, {
    'content-type': 'application/json',
    accept: 'application/json',
    ...headers,
  });
}

async function post(
  client: HttpClient,
  url: string,
  body: URLSearchParams | string,
  context: RequestContext,
  headers: Record<string, string> | undefined,
): Promise<HttpReply> {
  // Under a deadline the caller's signal limits headers and body alike. Without one, a timer of the
  // request's own does (a client's timeout, ky's included, stops at the headers).
  const limit = context.deadline === undefined ? new TimeLimit(context) : undefined;
  const signal = limit === undefined ? context.signal : limit.signal;
  const fetch = context.fetch ?? globalThis.fetch;
  try {
    let response: Response;
    try {
      // A form as the body: fetch sets its content type. The signal goes to fetch itself, not
      // to the client, which would merge it with a signal of its own (ky: `AbortSignal.any`, garbage on
      // every send, and a signal Node 20 may collect while the request still needs it); the client's
      // own timeout is off. Redirects are never followed, by the client nor by fetch.
      response = await client.post(url, {
        body,
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
