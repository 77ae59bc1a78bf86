import { randomBytes } from 'node:crypto';
import {
  type CommonEmulatorFault,
  commonFaultResponse,
  type EmulatorServer,
  jsonResponse as json,
  serveFetchHandler,
} from '@otpkit/core/testing';
import { type HttpHandler, http } from 'msw';
import { VONAGE_ERROR_CODES } from './vonage-errors.js';
import { GSM7_CHARSET } from './vonage-gsm7.js';
import { VONAGE_DEFAULT_BASE_URL, VONAGE_TTL_RANGE_MS } from './vonage-options.js';

/** What the emulator should do with the next request(s) instead of answering normally. */
export type VonageEmulatorFault =
  /** HTTP 429, with `Retry-After` when given (seconds, or an HTTP date), and a status `1` body. */
  | { kind: 'rate-limit'; retryAfter?: string | number }
  /** A 5xx with a status `5` body. Default status 503. */
  | { kind: 'unavailable'; status?: number }
  /**
   * Vonage's own way to fail: HTTP 200, and a Vonage `status` (e.g. `'4'`, `'1'`) on part `part`
   * (default 1) of the message; the other parts are accepted. `errorText` defaults to the status's
   * name in `VONAGE_ERROR_CODES` (`'Bad Credentials'` for `'4'`).
   */
  | { kind: 'status'; status: string; errorText?: string; part?: number }
  /**
   * A one-entry Vonage failure body, `{ status: code, "error-text": message }`, with HTTP `status`
   * (default 200, as Vonage answers).
   */
  | { kind: 'error'; code: string; message?: string; status?: number }
  | CommonEmulatorFault;

/** One request the emulator received, with the API secret redacted. */
export interface VonageEmulatorRequest {
  method: string;
  /** Path and query, e.g. `/sms/json` (an `api_secret` in the query as `[redacted]`). */
  path: string;
  /** Headers, lower-cased, with `authorization` replaced by `[redacted]`. */
  headers: Record<string, string>;
  /** The form fields of the body, with `api_secret` replaced by `[redacted]`. */
  form: Record<string, string>;
  /** True when `api_key` and `api_secret` matched. */
  authorized: boolean;
}

export interface VonageEmulatorOptions {
  /** API key the emulator accepts in `api_key`. Default `"test-api-key"`. */
  apiKey?: string;
  /** API secret the emulator accepts in `api_secret`. Default `"test-api-secret"`. */
  apiSecret?: string;
  /** Host the msw handlers intercept; match the provider's `baseUrl`. Default `https://rest.nexmo.com`. */
  baseUrl?: string;
}

export interface VonageEmulator {
  /** msw request handlers: `setupServer(...emulator.handlers)`. */
  readonly handlers: readonly HttpHandler[];
  /** Every request received, oldest first. */
  readonly requests: readonly VonageEmulatorRequest[];
  /** Messages accepted (one per send, whatever its parts), by recipient, with or without `+`; or in all. */
  accepted(to?: string): number;
  /** Answers one request as Vonage would; the msw handlers call it, and so can any HTTP server. */
  handle(request: Request): Promise<Response>;
  /** The next `times` requests get this fault. */
  failNext(fault: VonageEmulatorFault, times?: number): this;
  /** Forgets requests, accepted messages, pending faults, and restores the balance. */
  reset(): void;
  /**
   * Serves the emulator on a real HTTP server (default `127.0.0.1`, a free port), for demos and tests
   * that need real sockets. Point the provider's `baseUrl` at the returned `url`. A `network` fault
   * resets the connection.
   */
  listen(options?: { host?: string; port?: number }): Promise<VonageEmulatorServer>;
}

/** A running emulator server. */
export type VonageEmulatorServer = EmulatorServer;

const TYPES = new Set(['text', 'unicode', 'binary', 'wappush', 'vcal', 'vcard']);
const PRICE = 0.0333;
const BALANCE = 100;
const NETWORK = '23410';
const EXTENSION = new Set(GSM7_CHARSET.extension);

/**
 * An emulator of Vonage's SMS API, `POST /sms/json`, for apps' tests: msw handlers that read the form,
 * check `api_key` and `api_secret` (status `4` "Bad Credentials" in an HTTP 200 otherwise, as Vonage
 * answers), check the fields, and answer a good request with a body of Vonage's shape: one
 * `messages[]` entry per part of the text (160 GSM-7 characters in one part, 153 per part beyond; 70
 * and 67 with `type=unicode`), each with a fresh 16-hex-digit `message-id`. It can be told to fail the
 * next requests.
 */
export function createVonageEmulator(options: VonageEmulatorOptions = {}): VonageEmulator {
  const apiKey = options.apiKey ?? 'test-api-key';
  const apiSecret = options.apiSecret ?? 'test-api-secret';
  const baseUrl = (options.baseUrl ?? VONAGE_DEFAULT_BASE_URL).replace(/\/+$/, '');
  const endpoint = `${new URL(baseUrl).pathname.replace(/\/+$/, '')}/sms/json`;
  const requests: VonageEmulatorRequest[] = [];
  const faults: VonageEmulatorFault[] = [];
  const acceptedBy = new Map<string, number>();
  let balance = BALANCE;

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, key) => {
      headers[key] = key === 'authorization' ? '[redacted]' : value;
    });
    const form = Object.fromEntries(new URLSearchParams(await request.text()));
    const authorized = form.api_key === apiKey && form.api_secret === apiSecret;
    const query = new URLSearchParams(url.search);
    if (query.has('api_secret')) query.set('api_secret', '[redacted]');
    requests.push({
      method: request.method,
      path: url.pathname + (query.has('api_secret') ? `?${query}` : url.search),
      headers,
      form: form.api_secret === undefined ? { ...form } : { ...form, api_secret: '[redacted]' },
      authorized,
    });

    const fault = faults.shift();
    if (fault) {
      const answer = await applyFault(fault, request, form);
      if (answer) return answer;
    }
    if (request.method !== 'POST' || url.pathname !== endpoint) {
      return json(404, { type: 'NOT_FOUND', title: 'Not Found' });
    }
    const refusal = check(form, authorized);
    if (refusal) return json(200, failure(refusal.status, refusal.text));

    const to = form.to!;
    acceptedBy.set(to, (acceptedBy.get(to) ?? 0) + 1);
    const count = partsOf(form.text!, form.type === 'unicode');
    return json(200, {
      'message-count': String(count),
      messages: Array.from({ length: count }, () => accept(to)),
    });
  }

  /** A part Vonage accepted, charged to the balance. */
  function accept(to: string): Record<string, string> {
    balance -= PRICE;
    return {
      to,
      'message-id': randomBytes(8).toString('hex').toUpperCase(),
      status: '0',
      'remaining-balance': balance.toFixed(8),
      'message-price': PRICE.toFixed(8),
      network: NETWORK,
    };
  }

  async function applyFault(
    fault: VonageEmulatorFault,
    request: Request,
    form: Record<string, string>,
  ): Promise<Response | undefined> {
    switch (fault.kind) {
      case 'rate-limit':
        return json(429, failure('1', 'Throttled'), { retryAfter: fault.retryAfter });
      case 'unavailable':
        return json(fault.status ?? 503, failure('5', 'Internal Error'));
      case 'status': {
        if (fault.status === '0') return undefined;
        const part = Math.max(1, Math.trunc(fault.part ?? 1));
        const count = Math.max(part, partsOf(form.text ?? '', form.type === 'unicode'));
        const to = form.to ?? '';
        const messages = Array.from({ length: count }, (_, index) =>
          index === part - 1
            ? { status: fault.status, 'error-text': fault.errorText ?? errorTextOf(fault.status) }
            : accept(to),
        );
        return json(200, { 'message-count': String(count), messages });
      }
      case 'error':
        return json(fault.status ?? 200, failure(fault.code, fault.message ?? errorTextOf(fault.code)));
      default:
        return commonFaultResponse(fault, request.signal, request);
    }
  }

  const emulator: VonageEmulator = {
    handlers: [http.all(`${baseUrl}/sms/*`, ({ request }) => handle(request))],
    get requests() {
      return requests;
    },
    accepted(to) {
      if (to !== undefined) return acceptedBy.get(to.replace(/^\+/, '')) ?? 0;
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
      balance = BALANCE;
    },
    listen: (listenOptions) => serveFetchHandler(handle, listenOptions),
  };
  return emulator;
}

/** Vonage's checks of a send, in its order: credentials, missing fields, invalid fields. */
function check(
  form: Record<string, string>,
  authorized: boolean,
): { status: string; text: string } | undefined {
  if (form.sig !== undefined && form.api_secret !== undefined) {
    return { status: '32', text: 'Signature and API secret disallowed' };
  }
  if (!form.api_key) return { status: '2', text: 'Missing api_key' };
  // The emulator takes no signed requests: a sig without a secret does not verify.
  if (form.sig !== undefined) return { status: '14', text: 'Invalid Signature' };
  if (!form.api_secret) return { status: '2', text: 'Missing api_secret' };
  if (!authorized) return { status: '4', text: 'Bad Credentials' };
  for (const field of ['from', 'to', 'text'] as const) {
    if (!form[field]) return { status: '2', text: `Missing ${field} param` };
  }
  if (!/^\d{7,15}$/.test(form.to!)) return { status: '3', text: 'Invalid to param' };
  if (form.type !== undefined && !TYPES.has(form.type)) return { status: '3', text: 'Invalid type param' };
  if (form.ttl !== undefined) {
    const ttl = Number(form.ttl);
    if (!Number.isInteger(ttl) || ttl < VONAGE_TTL_RANGE_MS.min || ttl > VONAGE_TTL_RANGE_MS.max) {
      return { status: '3', text: 'Invalid ttl param' };
    }
  }
  if (form.callback !== undefined && !/^https?:\/\//.test(form.callback)) {
    return { status: '23', text: 'Invalid Callback Url' };
  }
  return undefined;
}

function errorTextOf(status: string): string {
  if (status === '4') return 'Bad Credentials';
  return Object.hasOwn(VONAGE_ERROR_CODES, status) ? VONAGE_ERROR_CODES[status]!.name : 'Error';
}

/** Vonage's failure body: one entry with the status and its text, no message-id. */
function failure(status: string, text: string) {
  return { 'message-count': '1', messages: [{ status, 'error-text': text }] };
}

/** How many SMS parts the text takes: GSM-7 septets (extension characters count two), or UCS-2 units. */
function partsOf(text: string, unicode: boolean): number {
  let size = 0;
  if (unicode) size = text.length;
  else for (const character of text) size += EXTENSION.has(character) ? 2 : 1;
  const [single, each] = unicode ? [70, 67] : [160, 153];
  return size <= single ? 1 : Math.ceil(size / each);
}
