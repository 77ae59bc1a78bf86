import http from 'node:http';

/**
 * Plumbing every vendor emulator shares, for provider packages' `/testing` entries: serving a fetch-style
 * handler on a real port, and waiting a scripted delay that the request's abort cuts short. Import from
 * `@otpkit/core/testing`; nothing else loads it.
 */

/** A running emulator server. */
export interface EmulatorServer {
  /** Base URL to give the provider, e.g. `http://127.0.0.1:43121`. */
  url: string;
  /** Stops the server and drops open connections. */
  close(): Promise<void>;
}

/**
 * Serves `handle` (a `Request` in, a `Response` out, as msw handlers are written) on a real HTTP server,
 * default `127.0.0.1` on a free port. A `Response.error()` resets the connection; a client that goes
 * away aborts the request's signal; a handler that throws answers 500.
 */
export function serveFetchHandler(
  handle: (request: Request) => Promise<Response>,
  { host = '127.0.0.1', port = 0 }: { host?: string; port?: number } = {},
): Promise<EmulatorServer> {
  const server = http.createServer(async (incoming, outgoing) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const controller = new AbortController();
    outgoing.on('close', () => {
      if (!outgoing.writableFinished) controller.abort();
    });
    const headers = new Headers();
    for (const [key, value] of Object.entries(incoming.headers)) {
      if (typeof value === 'string') headers.set(key, value);
    }
    const request = new Request(`http://${incoming.headers.host ?? host}${incoming.url ?? '/'}`, {
      method: incoming.method ?? 'GET',
      headers,
      signal: controller.signal,
      ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
    });
    let response: Response;
    try {
      response = await handle(request);
    } catch {
      // A handler that throws is the test's bug, not the vendor's answer: a 500, not a crashed process.
      response = new Response('emulator handler failed', { status: 500 });
    }
    if (response.type === 'error') {
      incoming.socket.destroy();
      return;
    }
    if (controller.signal.aborted) return;
    outgoing.writeHead(response.status, Object.fromEntries(response.headers));
    if (response.body === null) {
      outgoing.end();
      return;
    }
    // Streamed as the handler writes it, so a slow or endless body stays slow or endless on the wire;
    // a client that goes away cancels it.
    const reader = response.body.getReader();
    controller.signal.addEventListener('abort', () => reader.cancel().catch(() => {}), { once: true });
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (!outgoing.write(value)) await new Promise((resolve) => outgoing.once('drain', resolve));
      }
      outgoing.end();
    } catch {
      // A body that errors mid-way is a reply cut off: the connection ends without the rest.
      incoming.socket.destroy();
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      const actualPort = typeof address === 'object' && address ? address.port : port;
      resolve({
        url: `http://${host}:${actualPort}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/**
 * Resolves after `ms` (`Infinity`: never), or as soon as `signal` aborts. Its timer never keeps a
 * process alive.
 */
export function delayUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = Number.isFinite(ms) ? setTimeout(done, ms) : undefined;
    timer?.unref?.();
    signal.addEventListener('abort', done, { once: true });
  });
}

/** The faults every vendor emulator offers whatever the vendor; each adds its own (rate limits, errors). */
export type CommonEmulatorFault =
  /** Waits `ms` before answering normally (`Infinity`: never answers until the client gives up). */
  | { kind: 'delay'; ms: number }
  /** The connection fails without a reply. */
  | { kind: 'network' }
  /** A reply whose body is not JSON (an HTML error page). Default status 200. */
  | { kind: 'malformed'; status?: number }
  /** Any reply at all. */
  | { kind: 'reply'; status: number; body: unknown; headers?: Record<string, string> }
  /**
   * Exactly the `Response` this function makes: a redirect, an endless or dribbling body, a reply too
   * large to read. The hostile-vendor cases of the conformance kit are written with it.
   */
  | { kind: 'response'; response: (request: Request) => Response };

/**
 * Carries out a vendor-neutral fault: the `Response` to answer with, or `undefined` to answer normally
 * (after a `delay`, which the request's abort cuts short).
 */
export async function commonFaultResponse(
  fault: CommonEmulatorFault,
  signal: AbortSignal,
  /** The request being answered, which a `response` fault is given (e.g. to redirect it to itself). */
  request?: Request,
): Promise<Response | undefined> {
  switch (fault.kind) {
    case 'delay':
      await delayUnlessAborted(fault.ms, signal);
      return undefined;
    case 'network':
      return Response.error();
    case 'malformed':
      return new Response('<html><body>Bad Gateway</body></html>', {
        status: fault.status ?? 200,
        headers: { 'content-type': 'text/html' },
      });
    case 'response':
      if (request === undefined) throw new TypeError('a response fault needs the request it answers');
      return fault.response(request);
    case 'reply':
      return new Response(typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body), {
        status: fault.status,
        headers: { 'content-type': 'application/json', ...fault.headers },
      });
  }
}

/** A JSON reply; `retryAfter` (seconds, or an HTTP date) becomes a `Retry-After` header. */
export function jsonResponse(
  status: number,
  body: unknown,
  {
    retryAfter,
    headers,
  }: { retryAfter?: string | number | undefined; headers?: Record<string, string> } = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'content-type': 'application/json',
      ...(retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) }),
      ...headers,
    },
  });
}

/** What every vendor emulator records of a request, with the credentials redacted. */
export interface VendorEmulatorRequest {
  method: string;
  /** Path and query, e.g. `/v1/HXAP123/messages`; redacted fields in the query read `[redacted]`. */
  path: string;
  /** Headers, lower-cased, the redacted ones as `[redacted]`. */
  headers: Record<string, string>;
  /** The form (or JSON) fields of the body, the redacted ones as `[redacted]`. */
  form: Record<string, string>;
  /** True when the vendor's credentials matched. */
  authorized: boolean;
}

/** An emulator built by `createVendorEmulator`: what each vendor package's `/testing` entry returns. */
export interface VendorEmulator<Fault, Recorded, Handler> {
  /** msw request handlers: `setupServer(...emulator.handlers)`. */
  readonly handlers: readonly Handler[];
  /** Every request received, oldest first. */
  readonly requests: readonly Recorded[];
  /** Messages accepted, by recipient; or in all. */
  accepted(to?: string): number;
  /** Answers one request as the vendor would; the msw handlers call it, and so can any HTTP server. */
  handle(request: Request): Promise<Response>;
  /** The next `times` requests get this fault. */
  failNext(fault: Fault, times?: number): this;
  /** Forgets requests, accepted messages and pending faults. */
  reset(): void;
  /**
   * Serves the emulator on a real HTTP server (default `127.0.0.1`, a free port), for demos and tests
   * that need real sockets. Point the provider's `baseUrl` at the returned `url`. A `network` fault
   * resets the connection.
   */
  listen(options?: { host?: string; port?: number }): Promise<EmulatorServer>;
}

/** What a vendor's handler is given for one request. */
export interface VendorRequestContext {
  request: Request;
  url: URL;
  /** The fields of the body, unredacted. */
  form: Record<string, string>;
  authorized: boolean;
  /** Counts one message accepted for this recipient. */
  accept(to: string): void;
}

const COMMON_FAULTS = new Set<string>(['delay', 'network', 'malformed', 'reply', 'response']);

/** What a vendor's emulator declares: where it listens, how it checks credentials, how it answers. */
export interface VendorEmulatorDefinition<Fault extends { kind: string }, Recorded, Handler> {
  /** msw's `http` (`import { http } from 'msw'`): core does not depend on msw. */
  http: { all(path: string, resolver: (info: { request: Request }) => Promise<Response>): Handler };
  /** The host the msw handlers intercept; trailing slashes are dropped. */
  baseUrl: string;
  /** Path patterns under `baseUrl` the handlers take, e.g. `['/v1/*']`. */
  routes: readonly string[];
  /** Headers, and form or query fields, recorded as `[redacted]`. @default none */
  redact?: { headers?: readonly string[]; fields?: readonly string[] };
  /** Whether the request's credentials are the vendor's. */
  authorize(request: Request, form: Record<string, string>): boolean;
  /** More of a request to record, beside `VendorEmulatorRequest`. @default nothing */
  describe?(request: Request, form: Record<string, string>): Omit<Recorded, keyof VendorEmulatorRequest>;
  /** Answers a request that no fault took. */
  answer(context: VendorRequestContext): Response | Promise<Response>;
  /** Carries out a fault of the vendor's own (not a `CommonEmulatorFault`); `undefined` answers normally. */
  fault?(
    fault: Exclude<Fault, CommonEmulatorFault>,
    context: VendorRequestContext,
  ): Response | undefined | Promise<Response | undefined>;
  /** The key `accepted(to)` looks a recipient up by (e.g. without its `+`). @default as given */
  recipientKey?(to: string): string;
  /** Called by `reset()`, for the vendor's own state. */
  onReset?(): void;
}

/**
 * Builds a vendor emulator from its declaration: msw handlers for its routes, the recording of every
 * request (credentials redacted), `failNext` with the common faults (`commonFaultResponse`) and the
 * vendor's own, `accepted`, `reset` and `listen()` on a real socket.
 */
export function createVendorEmulator<
  Fault extends { kind: string },
  Recorded extends VendorEmulatorRequest,
  Handler,
>(definition: VendorEmulatorDefinition<Fault, Recorded, Handler>): VendorEmulator<Fault, Recorded, Handler> {
  const baseUrl = definition.baseUrl.replace(/\/+$/, '');
  const redactedHeaders = new Set(definition.redact?.headers ?? []);
  const redactedFields = definition.redact?.fields ?? [];
  const requests: Recorded[] = [];
  const faults: Fault[] = [];
  const acceptedBy = new Map<string, number>();

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, key) => {
      headers[key] = redactedHeaders.has(key) ? '[redacted]' : value;
    });
    const form = await readForm(request);
    const authorized = definition.authorize(request, form);
    const recordedForm = { ...form };
    const query = new URLSearchParams(url.search);
    let queryRedacted = false;
    for (const field of redactedFields) {
      if (recordedForm[field] !== undefined) recordedForm[field] = '[redacted]';
      if (query.has(field)) {
        query.set(field, '[redacted]');
        queryRedacted = true;
      }
    }
    requests.push({
      method: request.method,
      path: url.pathname + (queryRedacted ? `?${query}` : url.search),
      headers,
      form: recordedForm,
      authorized,
      ...definition.describe?.(request, form),
    } as Recorded);
    const context: VendorRequestContext = {
      request,
      url,
      form,
      authorized,
      accept: (to) => void acceptedBy.set(to, (acceptedBy.get(to) ?? 0) + 1),
    };
    const fault = faults.shift();
    if (fault) {
      const answer = COMMON_FAULTS.has(fault.kind)
        ? await commonFaultResponse(fault as CommonEmulatorFault, request.signal, request)
        : await definition.fault?.(fault as Exclude<Fault, CommonEmulatorFault>, context);
      if (answer) return answer;
    }
    return definition.answer(context);
  }

  const emulator: VendorEmulator<Fault, Recorded, Handler> = {
    handlers: definition.routes.map((route) =>
      definition.http.all(`${baseUrl}${route}`, ({ request }) => handle(request)),
    ),
    get requests() {
      return requests;
    },
    accepted(to) {
      if (to !== undefined) return acceptedBy.get(definition.recipientKey?.(to) ?? to) ?? 0;
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
      definition.onReset?.();
    },
    listen: (options) => serveFetchHandler(handle, options),
  };
  return emulator;
}

/** The fields of a request's body: a form, or a JSON object (by its content type); `{}` when unreadable. */
async function readForm(request: Request): Promise<Record<string, string>> {
  const text = await request.text();
  if (!(request.headers.get('content-type') ?? '').includes('application/json')) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, String(value)]));
  } catch {
    return {};
  }
}

/** A vendor's callback, as an emulator sends it to the app. */
export interface VendorCallback {
  method: 'GET' | 'POST';
  /** The URL to call (a GET's fields already in its query). */
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** Gives up after this long, in ms. @default 10000 */
  timeoutMs?: number;
}

/**
 * Sends a vendor's callback to the app over a real socket, as the vendor would (for emulators'
 * `deliver()`), and resolves with the status the app answered. Rejects when the app does not answer.
 */
export async function sendVendorCallback(callback: VendorCallback): Promise<{ status: number }> {
  const response = await fetch(callback.url, {
    method: callback.method,
    headers: { 'user-agent': 'otpkit-emulator', ...callback.headers },
    ...(callback.body === undefined ? {} : { body: callback.body }),
    redirect: 'manual',
    signal: AbortSignal.timeout(callback.timeoutMs ?? 10_000),
  });
  await response.arrayBuffer().catch(() => undefined);
  return { status: response.status };
}
