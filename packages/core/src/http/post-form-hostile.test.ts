import http from 'node:http';
import type { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { OtpError } from '../errors.js';
import { type HttpClient, postForm, type RequestContext } from '../http.js';

// The shared HTTP path against loopback servers that play a hostile or broken vendor: a compromised DNS
// entry, a captive proxy, a misconfigured load balancer, a vendor bug.

/** An HTTP client shaped like ky's, on the global fetch: what `postForm` needs and nothing more. */
const clientFor = (base: string): HttpClient => ({
  post: (url, { body, headers, fetch, redirect, signal }) =>
    (fetch ?? globalThis.fetch)(
      new Request(`${base}/${url}`, {
        method: 'POST',
        ...(body === undefined ? {} : { body }),
        ...(headers === undefined ? {} : { headers }),
        ...(redirect === undefined ? {} : { redirect }),
        ...(signal === undefined ? {} : { signal }),
      }),
    ),
});

interface Server {
  url: string;
  hits: number;
  closedConnections: number;
  close(): Promise<void>;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(handle: (request: http.IncomingMessage, response: http.ServerResponse) => void) {
  const server = http.createServer((request, response) => {
    state.hits++;
    request.on('close', () => {
      if (!response.writableFinished) state.closedConnections++;
    });
    request.resume();
    handle(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const state: Server = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits: 0,
    closedConnections: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(state);
  return state;
}

const form = () => new URLSearchParams({ to: '+14155550123', body: 'Your code is 482913' });
const contexts = (signal = new AbortController().signal): [string, RequestContext][] => [
  ['without a deadline', { provider: 'acme', signal, timeoutMs: 2000 }],
  ['under a deadline', { provider: 'acme', signal, deadline: Date.now() + 2000 }],
];
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error as OtpError,
  );

describe('redirects are never followed', () => {
  for (const status of [301, 302, 303, 307, 308]) {
    it(`a ${status} ends in INVALID_RESPONSE and nothing reaches the Location`, async () => {
      const attacker = await serve((_request, response) => response.end('{"id":"x"}'));
      const vendor = await serve((_request, response) => {
        response.writeHead(status, { location: `${attacker.url}/steal?api_key=Ak-secret-0001` });
        response.end();
      });
      for (const [how, context] of contexts()) {
        const error = await failure(
          postForm(clientFor(vendor.url), 'v1/messages', form(), context, { 'api-key': 'Ak-secret-0001' }),
        );
        expect(error.code, how).toBe('INVALID_RESPONSE');
        expect(error.status).toBe(status);
        expect(error.message).toContain(`HTTP ${status}`);
        expect(error.message).not.toMatch(/steal|api_key|Ak-secret|127\.0\.0\.1/);
      }
      expect(attacker.hits).toBe(0);
    });
  }

  it('a transport that followed one anyway (response.redirected) is refused too', async () => {
    const vendor = await serve((_request, response) => response.end('{"id":"x"}'));
    const following = (input: Request | URL | string) => {
      const response = new Response('{"id":"x"}');
      Object.defineProperty(response, 'redirected', { value: true });
      void input;
      return Promise.resolve(response);
    };
    const error = await failure(
      postForm(clientFor(vendor.url), 'x', form(), {
        provider: 'acme',
        signal: new AbortController().signal,
        fetch: following,
      }),
    );
    expect(error.code).toBe('INVALID_RESPONSE');
  });
});

describe('the size of a reply is capped (maxResponseBytes)', () => {
  it('refuses a declared 50 MB reply without reading it', async () => {
    const vendor = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(50 * 2 ** 20) });
      response.write('{"id":"');
    });
    for (const [how, context] of contexts()) {
      const error = await failure(postForm(clientFor(vendor.url), 'x', form(), context));
      expect(error.code, how).toBe('INVALID_RESPONSE');
      expect(error.message).toContain('longer than 65536 bytes');
    }
  });

  it('cuts an endless reply at the cap, closes its connection, and keeps the heap flat', async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const vendor = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const pump = () => {
        while (!response.destroyed && response.write(chunk)) {
          // keep writing until the socket pushes back
        }
        if (!response.destroyed) response.once('drain', pump);
      };
      pump();
    });
    const before = process.memoryUsage().heapUsed;
    for (let round = 0; round < 20; round++) {
      const error = await failure(
        postForm(clientFor(vendor.url), 'x', form(), {
          provider: 'acme',
          signal: new AbortController().signal,
          maxResponseBytes: 4096,
        }),
      );
      expect(error.code).toBe('INVALID_RESPONSE');
      expect(error.message).toContain('longer than 4096 bytes');
    }
    await expect.poll(() => vendor.closedConnections).toBe(20);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(32 * 2 ** 20);
  });
});

describe('one timer covers headers and body', () => {
  const dribbling = () =>
    serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"padding":"');
      const timer = setInterval(() => response.write('x'), 50);
      response.on('close', () => clearInterval(timer));
    });

  it('a provider used directly ends a dribbling body in TIMEOUT after its timeoutMs', async () => {
    const vendor = await dribbling();
    const started = Date.now();
    const error = await failure(
      postForm(clientFor(vendor.url), 'x', form(), {
        provider: 'acme',
        signal: new AbortController().signal,
        timeoutMs: 300,
      }),
    );
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toBe('acme: the request took longer than 300 ms');
    expect(Date.now() - started).toBeLessThan(1500);
    await expect.poll(() => vendor.closedConnections).toBe(1);
  });

  it("keeps the caller's abort working across garbage collections", async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const vendor = await dribbling();
    const caller = new AbortController();
    const pending = failure(
      postForm(clientFor(vendor.url), 'x', form(), {
        provider: 'acme',
        signal: caller.signal,
        timeoutMs: 60_000,
      }),
    );
    for (let round = 0; round < 5; round++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      gc();
    }
    const started = Date.now();
    caller.abort();
    const error = await pending;
    expect(error.code).toBe('ABORTED');
    expect(Date.now() - started).toBeLessThan(500);
  });
});

describe('an unreadable answer after the status is INVALID_RESPONSE, not NETWORK', () => {
  it('a bad gzip body', async () => {
    const vendor = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      response.end(Buffer.from('this is not gzip at all'));
    });
    const error = await failure(
      postForm(clientFor(vendor.url), 'x', form(), {
        provider: 'acme',
        signal: new AbortController().signal,
      }),
    );
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE', status: 200, retryable: false });
  });

  it('a body cut off before its Content-Length', async () => {
    const vendor = await serve((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      response.write('{"id":"');
      setTimeout(() => request.socket.destroy(), 20);
    });
    const error = await failure(
      postForm(clientFor(vendor.url), 'x', form(), {
        provider: 'acme',
        signal: new AbortController().signal,
      }),
    );
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE', status: 200 });
  });

  it('still reads a good gzip body, and a connection reset before the status is still NETWORK', async () => {
    const good = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      response.end(gzipSync('{"id":"abc"}'));
    });
    const reply = await postForm(clientFor(good.url), 'x', form(), {
      provider: 'acme',
      signal: new AbortController().signal,
    });
    expect(reply.json).toEqual({ id: 'abc' });
    const reset = await serve((request) => request.socket.destroy());
    const error = await failure(
      postForm(clientFor(reset.url), 'x', form(), { provider: 'acme', signal: new AbortController().signal }),
    );
    expect(error.code).toBe('NETWORK');
  });
});

// The thrown error of a transport never carries the request: a sanity check that these tests did not
// leak the key through `cause` either.
it('no error above keeps the api-key header in its cause', async () => {
  const vendor = await serve((request) => request.socket.destroy());
  const error = await failure(
    postForm(
      clientFor(vendor.url),
      'x',
      form(),
      { provider: 'acme', signal: new AbortController().signal },
      { 'api-key': 'Ak-secret-0001' },
    ),
  );
  expect(error).toBeInstanceOf(OtpError);
  const seen: string[] = [];
  for (let current: unknown = error; current; current = (current as { cause?: unknown }).cause) {
    seen.push(String((current as Error).message), JSON.stringify(current) ?? '');
  }
  expect(seen.join('\n')).not.toContain('Ak-secret-0001');
});
