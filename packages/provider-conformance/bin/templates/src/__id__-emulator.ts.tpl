import { randomUUID } from 'node:crypto';
import { type CommonEmulatorFault, commonFaultResponse, jsonResponse as json } from '@otpkit/core/testing';
import { type HttpHandler, http } from 'msw';
import { __ID___DEFAULT_BASE_URL } from './__id__-options.js';

/**
 * An emulator of __Name__'s API for tests (the provider package's own, and apps'), exported from
 * `@otpkit/provider-__id__/testing`. TODO: make it answer the way __Name__ documents: its paths,
 * its authentication, its success and error bodies (copy them from the docs into `src/__fixtures__/`).
 */

/** What the emulator should do with the next request(s) instead of answering normally. */
export type __Name__EmulatorFault =
  /** 429, with `Retry-After` when given (seconds, or an HTTP date). */
  | { kind: 'rate-limit'; retryAfter?: string | number }
  /** A 5xx with a JSON error body. Default status 503. */
  | { kind: 'unavailable'; status?: number }
  /** A __Name__ error body (`{ code, message }`), e.g. `{ code: 'INVALID_NUMBER' }`. Default status 400. */
  | { kind: 'error'; code: string; message?: string; status?: number }
  | CommonEmulatorFault;

/** One request the emulator received, with the API key redacted. */
export interface __Name__EmulatorRequest {
  method: string;
  /** Path and query, e.g. `/v1/messages`. */
  path: string;
  /** Headers, lower-cased, with `authorization` replaced by `[redacted]`. */
  headers: Record<string, string>;
  /** The form fields of the body. */
  form: Record<string, string>;
  /** True when the API key matched. */
  authorized: boolean;
}

export interface __Name__EmulatorOptions {
  /** API key the emulator accepts as a bearer token. Default `"test-api-key"`. */
  apiKey?: string;
  /** Host the msw handlers intercept; match the provider's `baseUrl`. Default `https://api.__id__.example`. */
  baseUrl?: string;
}

export interface __Name__Emulator {
  /** msw request handlers: `setupServer(...emulator.handlers)`. */
  readonly handlers: readonly HttpHandler[];
  /** Every request received, oldest first. */
  readonly requests: readonly __Name__EmulatorRequest[];
  /** Messages accepted, by recipient as sent. */
  accepted(to?: string): number;
  /** Answers one request as __Name__ would; the msw handlers call it. */
  handle(request: Request): Promise<Response>;
  /** The next `times` requests get this fault. */
  failNext(fault: __Name__EmulatorFault, times?: number): this;
  /** Forgets requests, accepted messages and pending faults. */
  reset(): void;
}

/**
 * msw handlers that check the API key (401 otherwise), read the form, answer a good request with a
 * success body (fresh ids), and can be told to fail the next requests.
 */
export function create__Name__Emulator(options: __Name__EmulatorOptions = {}): __Name__Emulator {
  const apiKey = options.apiKey ?? 'test-api-key';
  const baseUrl = (options.baseUrl ?? __ID___DEFAULT_BASE_URL).replace(/\/+$/, '');
  const requests: __Name__EmulatorRequest[] = [];
  const faults: __Name__EmulatorFault[] = [];
  const acceptedBy = new Map<string, number>();

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    // Credentials are recorded redacted wherever they travel: a header here; a form field or the query
    // too if __Name__ takes them there (TODO).
    const headers: Record<string, string> = {};
    request.headers.forEach((value, key) => {
      headers[key] = key === 'authorization' ? '[redacted]' : value;
    });
    const form = Object.fromEntries(new URLSearchParams(await request.text()));
    const authorized = request.headers.get('authorization') === `Bearer ${apiKey}`;
    requests.push({ method: request.method, path: url.pathname + url.search, headers, form, authorized });

    const fault = faults.shift();
    if (fault) {
      const answer = await applyFault(fault, request);
      if (answer) return answer;
    }
    if (request.method !== 'POST' || url.pathname !== '/v1/messages') {
      return json(404, { code: 'NOT_FOUND', message: 'Not found' });
    }
    if (!authorized) return json(401, { code: 'UNAUTHORIZED', message: 'Invalid API key' });
    if (!form.to || !/^\+\d{7,15}$/.test(form.to)) {
      return json(400, { code: 'INVALID_NUMBER', message: 'to must be one number in E.164 form' });
    }
    if (!form.body) return json(400, { code: 'MISSING_BODY', message: 'body is missing' });

    acceptedBy.set(form.to, (acceptedBy.get(form.to) ?? 0) + 1);
    return json(200, { message_id: randomUUID(), status: 'queued', created_at: new Date().toISOString() });
  }

  const emulator: __Name__Emulator = {
    handlers: [http.all(`${baseUrl}/v1/*`, ({ request }) => handle(request))],
    get requests() {
      return requests;
    },
    accepted(to) {
      if (to !== undefined) return acceptedBy.get(to) ?? 0;
      let total = 0;
      for (const count of acceptedBy.values()) total += count;
      return total;
    },
    handle,
    failNext(fault, times = 1) {
      for (let index = 0; index < times; index++) faults.push(fault);
      return emulator;
    },
    reset() {
      requests.length = 0;
      faults.length = 0;
      acceptedBy.clear();
    },
  };
  return emulator;
}

async function applyFault(fault: __Name__EmulatorFault, request: Request): Promise<Response | undefined> {
  switch (fault.kind) {
    case 'rate-limit':
      return json(429, { code: 'RATE_LIMITED', message: 'Too many requests' }, { retryAfter: fault.retryAfter });
    case 'unavailable':
      return json(fault.status ?? 503, { code: 'INTERNAL_ERROR', message: 'Try again later' });
    case 'error':
      return json(fault.status ?? 400, { code: fault.code, message: fault.message ?? `Error ${fault.code}` });
    default:
      return commonFaultResponse(fault, request.signal, request);
  }
}


