import http from 'node:http';

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
