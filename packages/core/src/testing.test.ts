import { describe, expect, it } from 'vitest';
import { delayUnlessAborted, serveFetchHandler } from './testing.js';

describe('serveFetchHandler', () => {
  it('serves a fetch-style handler on a real port: method, path, headers and body in; status, headers, body out', async () => {
    const seen: { method: string; url: string; key: string | null; body: string }[] = [];
    const server = await serveFetchHandler(async (request) => {
      seen.push({
        method: request.method,
        url: request.url,
        key: request.headers.get('api-key'),
        body: await request.text(),
      });
      return Response.json({ id: 'm-1' }, { status: 202, headers: { 'x-a': '1' } });
    });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const response = await fetch(`${server.url}/v1/messages?x=1`, {
        method: 'POST',
        headers: { 'api-key': 'k-1' },
        body: new URLSearchParams({ to: '+14155550123' }),
      });
      expect(response.status).toBe(202);
      expect(response.headers.get('x-a')).toBe('1');
      expect(await response.json()).toEqual({ id: 'm-1' });
      expect(seen).toEqual([
        { method: 'POST', url: `${server.url}/v1/messages?x=1`, key: 'k-1', body: 'to=%2B14155550123' },
      ]);
    } finally {
      await server.close();
    }
  });

  it('Response.error() resets the connection, and a throwing handler answers 500', async () => {
    const server = await serveFetchHandler(async (request) => {
      if (request.url.endsWith('/reset')) return Response.error();
      throw new Error('bug in a test handler');
    });
    try {
      await expect(fetch(`${server.url}/reset`, { method: 'POST', body: 'a' })).rejects.toThrow();
      expect((await fetch(`${server.url}/throw`)).status).toBe(500);
    } finally {
      await server.close();
    }
  });

  it("a client that goes away aborts the handler's request signal", async () => {
    let aborted = false;
    const server = await serveFetchHandler(async (request) => {
      await delayUnlessAborted(Number.POSITIVE_INFINITY, request.signal);
      aborted = request.signal.aborted;
      return new Response('late');
    });
    try {
      const controller = new AbortController();
      const pending = fetch(server.url, { method: 'POST', body: 'a', signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
      await expect.poll(() => aborted).toBe(true);
    } finally {
      await server.close();
    }
  });
});

describe('delayUnlessAborted', () => {
  it('resolves after the delay, at once when the signal is already aborted, and as soon as it aborts', async () => {
    const started = Date.now();
    await delayUnlessAborted(30, new AbortController().signal);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);

    await delayUnlessAborted(Number.POSITIVE_INFINITY, AbortSignal.abort());

    const controller = new AbortController();
    const waiting = delayUnlessAborted(Number.POSITIVE_INFINITY, controller.signal);
    controller.abort();
    await expect(waiting).resolves.toBeUndefined();
  });
});
