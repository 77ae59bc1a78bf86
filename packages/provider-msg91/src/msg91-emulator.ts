import { randomBytes } from 'node:crypto';
import {
  type CommonEmulatorFault,
  createVendorEmulator,
  type EmulatorServer,
  fieldCallback,
  jsonResponse as json,
  serveFetchHandler,
  type VendorDeliveries,
  type VendorEmulator,
  type VendorEmulatorRequest,
} from '@otpkit/core/testing';
import { type HttpHandler, http } from 'msw';
import { MSG91_DEFAULT_BASE_URL } from './msg91-options.js';

/** What the emulator should do with the next request(s) instead of answering normally. */
export type Msg91EmulatorFault =
  /** HTTP 429 and an error body, with `Retry-After` when given (seconds, or an HTTP date). */
  | { kind: 'rate-limit'; retryAfter?: string | number }
  /** A 5xx with an error body. Default status 503. */
  | { kind: 'unavailable'; status?: number }
  /**
   * MSG91's own way to fail: `{ type: "error", message, code? }`, with HTTP `status` (default 200, as
   * MSG91 answers most failures). `code` is left out unless given.
   */
  | { kind: 'error'; message?: string; code?: string; status?: number }
  | CommonEmulatorFault;

/** One request the emulator received: the `authkey` header as `[redacted]`, and the JSON body as sent. */
export interface Msg91EmulatorRequest extends VendorEmulatorRequest {
  /** The parsed JSON body (it holds the code: the emulator is for tests). */
  body: unknown;
}

export interface Msg91EmulatorOptions {
  /** Auth key the emulator accepts in the `authkey` header. Default `"test-auth-key"`. */
  authKey?: string;
  /** Host the msw handlers intercept; match the provider's `baseUrl`. Default `https://control.msg91.com`. */
  baseUrl?: string;
  /**
   * The webhook URL set in the MSG91 panel (MSG91 takes none per message), for `deliver()`; a token in
   * its query is kept. Default: none, so `deliver()` refuses every message.
   */
  webhookUrl?: string;
  /**
   * The panel's webhook format: `form`, the legacy one (a `data` field holding a JSON array), or
   * `json`, v3's flat JSON. Default `form`.
   */
  webhookFormat?: 'form' | 'json';
}

/** What `deliver()` puts in the report beside the request id and status. */
export interface Msg91DeliverOptions {
  /** `failedReason`. @default none */
  errorCode?: string;
}

/**
 * An emulator of MSG91's Flow API: see `createMsg91Emulator`. `accepted(to)` takes the number with or
 * without `+`. With a `webhookUrl`, `deliver(requestId, status, options)` plays MSG91's delivery report
 * for an accepted request (`status` as MSG91 writes it: `"1"` delivered, `"2"` failed, `"16"`
 * rejected...) in the panel's format, unsigned, as MSG91 sends it.
 */
export interface Msg91Emulator
  extends VendorEmulator<Msg91EmulatorFault, Msg91EmulatorRequest, HttpHandler>,
    VendorDeliveries<Msg91DeliverOptions> {}

type Sent = { callbackUrl: string | undefined; number: string; sender: string };
/** MSG91's `desc` for its numeric delivery statuses. */
const DESCRIPTIONS: Record<string, string> = {
  ...{ '1': 'DELIVERED', '2': 'FAILED', '8': 'SUBMITTED', '9': 'NDNC' },
  ...{ '16': 'REJECTED', '17': 'BLOCKED', '25': 'REJECTED' },
};

/** A running emulator server (`listen()`). */
export type Msg91EmulatorServer = EmulatorServer;

const error = (message: string, status = 200, code?: string) =>
  json(status, { message, type: 'error', ...(code === undefined ? {} : { code }) });

/**
 * An emulator of MSG91's Flow API, `POST /api/v5/flow`, for apps' tests: msw handlers (and `listen()`
 * for a real socket) that check the `authkey` header (HTTP 401 otherwise), read the JSON body, check
 * `template_id` and each recipient's `mobiles` (an HTTP 200 `type: "error"` otherwise, as MSG91
 * answers), and answer a good request with `{ type: "success", message }`, a fresh 24-hex request id.
 * It can be told to fail the next requests.
 */
export function createMsg91Emulator(options: Msg91EmulatorOptions = {}): Msg91Emulator {
  const authKey = options.authKey ?? 'test-auth-key';
  const baseUrl = options.baseUrl ?? MSG91_DEFAULT_BASE_URL;
  const endpoint = `${new URL(baseUrl).pathname.replace(/\/+$/, '')}/api/v5/flow`;
  // The kit reads a JSON body into flat fields; the Flow API's recipients are an array of objects, so
  // each request's body is parsed here, before the kit reads it.
  const bodies = new WeakMap<Request, unknown>();
  const keep = async (request: Request) => {
    bodies.set(
      request,
      await request
        .clone()
        .json()
        .catch(() => undefined),
    );
  };
  const emulator = createVendorEmulator<
    Msg91EmulatorFault,
    Msg91EmulatorRequest,
    HttpHandler,
    Sent,
    Msg91DeliverOptions
  >({
    provider: 'msg91',
    http: {
      all: (path, resolver) =>
        http.all(path, async ({ request }) => {
          await keep(request);
          return resolver({ request });
        }),
    },
    baseUrl,
    routes: ['/api/*'],
    redact: { headers: ['authkey'] },
    authorize: (request) => request.headers.get('authkey') === authKey,
    describe: (request) => ({ body: bodies.get(request) }),
    recipientKey: (to) => to.replace(/^\+/, ''),
    fault(fault) {
      switch (fault.kind) {
        case 'rate-limit':
          return json(429, { message: 'Too many requests', type: 'error' }, { retryAfter: fault.retryAfter });
        case 'unavailable':
          return error('Service temporarily unavailable', fault.status ?? 503);
        case 'error':
          return error(fault.message ?? 'Request failed', fault.status ?? 200, fault.code);
      }
    },
    answer({ request, url, authorized, accept, remember }) {
      if (request.method !== 'POST' || url.pathname.replace(/\/$/, '') !== endpoint) {
        return error('Not found', 404);
      }
      if (!authorized) return error('Authentication failure', 401);
      const body = bodies.get(request) as
        | { template_id?: unknown; sender?: unknown; recipients?: unknown }
        | undefined;
      if (typeof body !== 'object' || body === null) return error('Invalid JSON body');
      if (typeof body.template_id !== 'string' || body.template_id === '') {
        return error('Template ID Missing or Invalid Template');
      }
      const recipients = Array.isArray(body.recipients) ? (body.recipients as unknown[]) : [];
      if (recipients.length === 0) return error('Recipients missing');
      const numbers = recipients.map((recipient) => (recipient as { mobiles?: unknown } | null)?.mobiles);
      if (!numbers.every((mobiles) => typeof mobiles === 'string' && /^[1-9]\d{6,14}$/.test(mobiles))) {
        return error('Mobile number is invalid', 200, '202');
      }
      for (const mobiles of numbers as string[]) accept(mobiles);
      const requestId = randomBytes(12).toString('hex');
      const sender =
        typeof (body as { sender?: unknown }).sender === 'string'
          ? String((body as { sender: string }).sender)
          : 'MSGIND';
      remember(requestId, { callbackUrl: options.webhookUrl, number: numbers[0] as string, sender });
      return json(200, { message: requestId, type: 'success' });
    },
    callback({ id, callbackUrl, number, sender }, status, { errorCode }) {
      const date = new Date(Date.now() + 19_800_000).toISOString().slice(0, 19).replace('T', ' '); // India's time
      const report = {
        date,
        number,
        status,
        desc: DESCRIPTIONS[status] ?? status,
        failedReason: errorCode ?? '',
      };
      const request = { senderId: sender, requestId: id, userId: '270001', campaignName: 'API' };
      if (options.webhookFormat === 'json') {
        return fieldCallback(callbackUrl, { ...request, ...report }, { encoding: 'json' });
      }
      return fieldCallback(callbackUrl, { data: JSON.stringify([{ ...request, report: [report] }]) });
    },
  });
  const answer = emulator.handle;
  const handle = async (request: Request) => {
    await keep(request);
    return answer(request);
  };
  return Object.assign(emulator, {
    handle,
    listen: (listenOptions?: { host?: string; port?: number }) => serveFetchHandler(handle, listenOptions),
  });
}
