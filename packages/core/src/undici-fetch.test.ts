import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUndiciFetch } from './undici-fetch.js';

interface Seen {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let base: string;
const seen: Seen[] = [];
/** Requests the server saw closed by the client before it answered. */
let cancelled = 0;

function answer(request: IncomingMessage, response: ServerResponse, body: string): void {
  seen.push({ method: request.method, url: request.url, headers: request.headers, body });
  if (request.url === '/hang') {
    response.on('close', () => {
      if (!response.writableEnded) cancelled++;
    });
    return;
  }
  if (request.url === '/empty') {
    response.writeHead(204).end();
    return;
  }
  response.setHeader('set-cookie', ['a=1', 'b=2']);
  response.writeHead(202, { 'content-type': 'application/json', 'x-request-id': 'r-1' });
  response.end(JSON.stringify({ id: 'm-1', echo: body }));
}

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => answer(request, response, body));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
});

const form = () => new URLSearchParams({ to: '+14155550123', body: 'Your code is 482913' });

describe('createUndiciFetch', () => {
  it('sends a Request as fetch would: method, path, headers, form body; and returns the reply', async () => {
    const fetch = createUndiciFetch();
    try {
      const response = await fetch(
        new Request(`${base}/v1/messages`, { method: 'POST', headers: { 'api-key': 'k-1' }, body: form() }),
      );
      expect(response.status).toBe(202);
      expect(response.headers.get('x-request-id')).toBe('r-1');
      expect(response.headers.get('set-cookie')).toBe('a=1, b=2');
      expect(await response.json()).toEqual({ id: 'm-1', echo: form().toString() });
      expect(seen.at(-1)).toMatchObject({
        method: 'POST',
        url: '/v1/messages',
        body: form().toString(),
        headers: {
          'api-key': 'k-1',
          'content-type': 'application/x-www-form-urlencoded;charset=UTF-8',
        },
      });
    } finally {
      await fetch.close();
    }
  });

  it('takes a URL with an init, and gives a 204 no body', async () => {
    const fetch = createUndiciFetch({ connections: 2, keepAliveTimeoutMs: 1000 });
    try {
      const response = await fetch(`${base}/empty`, { method: 'POST', body: 'a=1', headers: { 'x-a': '1' } });
      expect(response.status).toBe(204);
      expect(response.body).toBeNull();
      expect(seen.at(-1)).toMatchObject({
        method: 'POST',
        url: '/empty',
        body: 'a=1',
        headers: { 'x-a': '1' },
      });
    } finally {
      await fetch.close();
    }
  });

  it('merges an init with more than a signal into the request', async () => {
    const fetch = createUndiciFetch();
    try {
      await fetch(new Request(`${base}/v1/messages`, { method: 'POST', body: 'a=1' }), {
        headers: { 'x-b': '2' },
        signal: new AbortController().signal,
      });
      expect(seen.at(-1)).toMatchObject({ body: 'a=1', headers: { 'x-b': '2' } });
    } finally {
      await fetch.close();
    }
  });

  it("a signal beside the request (as providers pass the attempt's) cancels it on the wire", async () => {
    const fetch = createUndiciFetch();
    const before = cancelled;
    try {
      const controller = new AbortController();
      const reason = new Error('attempt timed out');
      const pending = fetch(new Request(`${base}/hang`, { method: 'POST', body: 'a=1' }), {
        signal: controller.signal,
      });
      await expect.poll(() => seen.at(-1)?.url).toBe('/hang');
      controller.abort(reason);
      await expect(pending).rejects.toBe(reason);
      await expect.poll(() => cancelled).toBe(before + 1);
    } finally {
      await fetch.close();
    }
  });

  it("the request's own signal cancels it too", async () => {
    const fetch = createUndiciFetch();
    try {
      const controller = new AbortController();
      const pending = fetch(
        new Request(`${base}/hang`, { method: 'POST', body: 'a=1', signal: controller.signal }),
      );
      await expect.poll(() => seen.at(-1)?.url).toBe('/hang');
      controller.abort();
      await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    } finally {
      await fetch.close();
    }
  });

  it("close() closes the agent it made, and leaves the caller's own agent open", async () => {
    const made = createUndiciFetch();
    await made(`${base}/empty`, { method: 'POST', body: '' });
    await made.close();
    await expect(made(`${base}/empty`, { method: 'POST', body: '' })).rejects.toThrow();

    const agent = new Agent();
    const given = createUndiciFetch({ agent });
    await given.close();
    expect((await given(`${base}/empty`, { method: 'POST', body: '' })).status).toBe(204);
    await agent.close();
  });
});
