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
