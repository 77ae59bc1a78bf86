import { describe, expect, it } from 'vitest';
import { commonFaultResponse, delayUnlessAborted, jsonResponse, serveFetchHandler } from './testing.js';

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

describe('commonFaultResponse', () => {
  const live = () => new AbortController().signal;

  it('network → an error response (the server resets the connection); malformed → an HTML page', async () => {
    expect((await commonFaultResponse({ kind: 'network' }, live()))?.type).toBe('error');
    const page = (await commonFaultResponse({ kind: 'malformed', status: 502 }, live()))!;
    expect(page.status).toBe(502);
    expect(page.headers.get('content-type')).toBe('text/html');
    expect(await page.text()).toContain('<html>');
    expect((await commonFaultResponse({ kind: 'malformed' }, live()))!.status).toBe(200);
  });

  it('reply → exactly the status, body and headers given (a string body as it is)', async () => {
    const reply = (await commonFaultResponse(
      { kind: 'reply', status: 418, body: { odd: true }, headers: { 'x-a': '1' } },
      live(),
    ))!;
    expect(reply.status).toBe(418);
    expect(reply.headers.get('x-a')).toBe('1');
    expect(await reply.json()).toEqual({ odd: true });
    const raw = (await commonFaultResponse({ kind: 'reply', status: 200, body: '{"id":' }, live()))!;
    expect(await raw.text()).toBe('{"id":');
  });

  it('delay → answers normally (undefined) after the wait, or as soon as the request is aborted', async () => {
    const controller = new AbortController();
    const waiting = commonFaultResponse({ kind: 'delay', ms: Number.POSITIVE_INFINITY }, controller.signal);
    controller.abort();
    await expect(waiting).resolves.toBeUndefined();
  });
});

describe('jsonResponse', () => {
  it('is JSON with its status, and Retry-After only when given', async () => {
    const plain = jsonResponse(400, { code: 'E1' });
    expect(plain.status).toBe(400);
    expect(plain.headers.get('content-type')).toBe('application/json');
    expect(plain.headers.has('retry-after')).toBe(false);
    expect(await plain.json()).toEqual({ code: 'E1' });
    expect(jsonResponse(429, {}, { retryAfter: 7 }).headers.get('retry-after')).toBe('7');
    expect(
      jsonResponse(429, {}, { retryAfter: 'Wed, 01 May 2024 12:00:30 GMT' }).headers.get('retry-after'),
    ).toBe('Wed, 01 May 2024 12:00:30 GMT');
  });
});
