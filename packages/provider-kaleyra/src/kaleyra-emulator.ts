import { randomUUID } from 'node:crypto';
import {
  type CommonEmulatorFault,
  commonFaultResponse,
  type EmulatorServer,
  jsonResponse as json,
  serveFetchHandler,
} from '@otpkit/core/testing';
import { type HttpHandler, http } from 'msw';
import { KALEYRA_DEFAULT_BASE_URL, KALEYRA_REGIONS, type KaleyraRegion } from './kaleyra-options.js';

/** What the emulator should do with the next request(s) instead of answering normally. */
export type KaleyraEmulatorFault =
  /** 429, with `Retry-After` when given (seconds, or an HTTP date). */
  | { kind: 'rate-limit'; retryAfter?: string | number }
  /** A 5xx with a JSON error body. Default status 503. */
  | { kind: 'unavailable'; status?: number }
  /** A Kaleyra error body (`{ code, message, error }`), e.g. `{ code: 'E413' }`. Default status 400. */
  | { kind: 'error'; code: string; message?: string; status?: number }
  | CommonEmulatorFault;

/** One request the emulator received, with the API key redacted. */
export interface KaleyraEmulatorRequest {
  method: string;
  /** Path and query, e.g. `/v1/HXAP123/messages`. */
  path: string;
  /** Headers, lower-cased, with `api-key` replaced by `[redacted]`. */
  headers: Record<string, string>;
  /** The form (or JSON) fields of the body. */
  form: Record<string, string>;
  /** True when the `api-key` header matched. */
  authorized: boolean;
}

export interface KaleyraEmulatorOptions {
  /** SID the emulator accepts. Default `"HXTEST00000IN"`. */
  sid?: string;
  /** API key the emulator accepts in the `api-key` header. Default `"test-api-key"`. */
  apiKey?: string;
  /** Host the msw handlers intercept; match the provider's `baseUrl`. Default `https://api.kaleyra.io`. */
  baseUrl?: string;
  /** Or the pod, like the provider's `region` option. */
  region?: KaleyraRegion;
}

export interface KaleyraEmulator {
  /** msw request handlers: `setupServer(...emulator.handlers)`. */
  readonly handlers: readonly HttpHandler[];
  /** Every request received, oldest first. */
  readonly requests: readonly KaleyraEmulatorRequest[];
  /** Messages accepted, by recipient as sent (`+91...`). */
  accepted(to?: string): number;
  /** Answers one request as Kaleyra would; the msw handlers call it, and so can any HTTP server. */
  handle(request: Request): Promise<Response>;
  /** The next `times` requests get this fault. */
  failNext(fault: KaleyraEmulatorFault, times?: number): this;
  /** Forgets requests, accepted messages and pending faults. */
  reset(): void;
  /**
   * Serves the emulator on a real HTTP server (default `127.0.0.1`, a free port), for demos and tests
   * that need real sockets. Point the provider's `baseUrl` at the returned `url`. A `network` fault
   * resets the connection.
   */
  listen(options?: { host?: string; port?: number }): Promise<KaleyraEmulatorServer>;
}

/** A running emulator server. */
export type KaleyraEmulatorServer = EmulatorServer;

const MULTIPLE_NUMBERS = {
  code: 'E404',
  message: 'If Type is OTP then only one mobile number is allowed.',
  error: { time: 'If Type is OTP then only one mobile number is allowed.' },
};

/**
 * An emulator of Kaleyra's `POST /v1/{sid}/messages` for apps' tests: msw handlers that check the
 * `api-key` header (401 otherwise), read the form, refuse several numbers with the seed's `E404`
 * reply, answer a good request with a success body of the seed's shape (fresh ids), and can be told to
 * fail the next requests.
 */
export function createKaleyraEmulator(options: KaleyraEmulatorOptions = {}): KaleyraEmulator {
  const sid = options.sid ?? 'HXTEST00000IN';
  const apiKey = options.apiKey ?? 'test-api-key';
  const baseUrl = (
    options.region ? KALEYRA_REGIONS[options.region] : (options.baseUrl ?? KALEYRA_DEFAULT_BASE_URL)
  ).replace(/\/+$/, '');
  const requests: KaleyraEmulatorRequest[] = [];
  const faults: KaleyraEmulatorFault[] = [];
  const acceptedBy = new Map<string, number>();

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, key) => {
      headers[key] = key === 'api-key' ? '[redacted]' : value;
    });
    const form = await readForm(request);
    const authorized = request.headers.get('api-key') === apiKey;
    requests.push({ method: request.method, path: url.pathname + url.search, headers, form, authorized });

    const fault = faults.shift();
    if (fault) {
      const answer = await applyFault(fault, request);
      if (answer) return answer;
    }
    if (request.method !== 'POST' || !/^\/v1\/[^/]+\/messages$/.test(url.pathname)) {
      return json(404, { message: 'Not found', error: {} });
    }
    // A key works only with the SID of its own account.
    if (!authorized || url.pathname !== `/v1/${sid}/messages`) {
      return json(401, { message: 'Unauthorized: invalid api-key for this SID', error: {} });
    }

    const to = form.to;
    if (!to) return json(400, { code: 'E600', message: 'to is missing', error: { to: 'to is missing' } });
    if (/[,;\s]/.test(to.trim())) return json(400, MULTIPLE_NUMBERS);
    if (!form.body)
      return json(400, { code: 'E601', message: 'body is missing', error: { body: 'body is missing' } });
    if (form.type !== 'OTP') {
      return json(400, { code: 'E615', message: 'Type must be TXN, MKT or OTP', error: { type: 'invalid' } });
    }

    acceptedBy.set(to, (acceptedBy.get(to) ?? 0) + 1);
    const id = randomUUID();
    const reply: Record<string, unknown> = {
      id,
      sender: form.sender ?? 'KLRHXA',
      type: 'OTP',
      body: form.body,
      createdDateTime: kaleyraTime(new Date()),
      totalCount: 1,
      data: [{ message_id: `${id}:1`, recipient: to.replace(/^\+/, '') }],
      dlrurl: form.callback ?? null,
      error: {},
    };
    if (form.template_id !== undefined) reply.template_id = form.template_id;
    return json(200, reply);
  }

  const emulator: KaleyraEmulator = {
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
    listen: (listenOptions) => serveFetchHandler(handle, listenOptions),
  };
  return emulator;
}

async function applyFault(fault: KaleyraEmulatorFault, request: Request): Promise<Response | undefined> {
  switch (fault.kind) {
    case 'rate-limit':
      return json(
        429,
        { code: 'E429', message: 'Too many requests', error: {} },
        { retryAfter: fault.retryAfter },
      );
    case 'unavailable':
      return json(fault.status ?? 503, {
        code: 'E103',
        message: 'Internal error, try again later',
        error: {},
      });
    case 'error':
      return json(fault.status ?? 400, {
        code: fault.code,
        message: fault.message ?? `Kaleyra error ${fault.code}`,
        error: {},
      });
    default:
      return commonFaultResponse(fault, request.signal, request);
  }
}

async function readForm(request: Request): Promise<Record<string, string>> {
  const text = await request.text();
  const type = request.headers.get('content-type') ?? '';
  if (type.includes('application/json')) {
    try {
      const parsed = JSON.parse(text) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, String(value)]));
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(text));
}

/** `"2019-11-04 10:42:23+00:00"`: Kaleyra's format, with a space. */
function kaleyraTime(at: Date): string {
  return `${at.toISOString().slice(0, 19).replace('T', ' ')}+00:00`;
}
