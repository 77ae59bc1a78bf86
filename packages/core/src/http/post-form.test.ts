import { describe, expect, it } from 'vitest';
import { type HttpClient, postForm, postJson } from '../http.js';

const live = () => new AbortController().signal;
const aborted = (reason?: unknown) => {
  const controller = new AbortController();
  controller.abort(reason);
  return controller.signal;
};
const timeoutError = () => Object.assign(new Error('Request timed out'), { name: 'TimeoutError' });

describe('postForm', () => {
  const context = { provider: 'acme', signal: live() };
  const client = (answer: () => Promise<Response>): HttpClient & { calls: unknown[] } => {
    const calls: unknown[] = [];
    return {
      calls,
      post: (url, options) => {
        calls.push({ url, options });
        return answer();
      },
    };
  };

  it('posts the form, never following a redirect, and reads a JSON reply', async () => {
    const form = new URLSearchParams({ to: '+14155550123' });
    const http = client(async () => Response.json({ ok: true }, { status: 202, headers: { 'x-a': '1' } }));
    const reply = await postForm(http, 'v1/messages', form, context, { 'x-extra': 'y' });
    expect(reply).toMatchObject({ status: 202, json: { ok: true }, isJson: true });
    expect(reply.headers.get('x-a')).toBe('1');
    expect(http.calls).toEqual([
      {
        url: 'v1/messages',
        options: {
          body: form,
          headers: { 'x-extra': 'y' },
          timeout: false,
          redirect: 'manual',
          fetch: expect.any(Function),
        },
      },
    ]);
  });

  it('postJson: the value as a JSON body with JSON content type, caller headers kept, read like a form reply', async () => {
    const http = client(async () => Response.json({ id: 'm-1' }, { status: 201 }));
    const reply = await postJson(http, 'v1/sms', { to: '+14155550123', text: 'a "quoted" body' }, context, {
      authorization: 'Bearer t',
    });
    expect(reply).toMatchObject({ status: 201, json: { id: 'm-1' }, isJson: true });
    const { options } = http.calls[0] as { options: { body: string; headers: Record<string, string> } };
    expect(JSON.parse(options.body)).toEqual({ to: '+14155550123', text: 'a "quoted" body' });
    expect(options.headers).toEqual({
      'content-type': 'application/json',
      accept: 'application/json',
      authorization: 'Bearer t',
    });
    expect(options).toMatchObject({ timeout: false, redirect: 'manual' });
  });

  it('postJson refuses a redirect like postForm', async () => {
    const http = client(
      async () => new Response(null, { status: 307, headers: { location: 'https://evil.example/' } }),
    );
    const error = await postJson(http, 'v1/sms', {}, context).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE' });
    expect(String((error as Error).message)).not.toContain('evil.example');
  });

  it('sends the form as the body, so that fetch gives it the form content type', async () => {
    const http = client(async () => Response.json({ ok: true }));
    const form = new URLSearchParams({ to: '+14155550123', body: 'Your code: 1 2' });
    await postForm(http, 'v1/messages', form, context);
    const { options } = http.calls[0] as { options: { body: URLSearchParams; headers?: unknown } };
    expect(options).not.toHaveProperty('headers');
    const request = new Request('https://vendor.example/v1/messages', { method: 'POST', body: options.body });
    expect(request.headers.get('content-type')).toBe('application/x-www-form-urlencoded;charset=UTF-8');
    expect(await request.text()).toBe('to=%2B14155550123&body=Your+code%3A+1+2');
  });

  it("turns the client's own timeout off, with a deadline or without (one timer covers headers and body)", async () => {
    const http = client(async () => Response.json({ ok: true }));
    await postForm(http, 'v1/messages', new URLSearchParams(), { ...context, deadline: Date.now() + 1000 });
    const calls = http.calls as { options: Record<string, unknown> }[];
    expect(calls[0]?.options).toMatchObject({ timeout: false });
    await postForm(http, 'v1/messages', new URLSearchParams(), context);
    expect(calls[1]?.options).toMatchObject({ timeout: false });
  });

  it("hands the request's signal to fetch itself (the provider's fetch, else the global one)", async () => {
    const http = client(async () => Response.json({ ok: true }));
    const own = async (_input: Request | URL | string, _init?: RequestInit) => new Response('own');
    const seen: { input: unknown; init?: RequestInit }[] = [];
    const spy = async (input: Request | URL | string, init?: RequestInit) => {
      seen.push({ input, ...(init === undefined ? {} : { init }) });
      return own(input, init);
    };
    await postForm(http, 'v1/messages', new URLSearchParams(), {
      ...context,
      deadline: Date.now() + 1000,
      fetch: spy,
    });
    const options = (http.calls[0] as { options: { signal?: unknown; fetch: typeof fetch } }).options;
    // Not given to the client, which would merge it with a signal of its own.
    expect(options).not.toHaveProperty('signal');
    const request = new Request('https://vendor.example/v1/messages', { method: 'POST', body: 'a=1' });
    expect(await (await options.fetch(request)).text()).toBe('own');
    // Under a deadline, the caller's signal itself: no signal or timer of the request's own.
    expect(seen).toEqual([{ input: request, init: { signal: context.signal, redirect: 'manual' } }]);

    const original = globalThis.fetch;
    globalThis.fetch = spy;
    try {
      await postForm(http, 'v1/messages', new URLSearchParams(), { ...context, deadline: Date.now() + 1000 });
      await (http.calls[1] as { options: { fetch: typeof fetch } }).options.fetch(request);
    } finally {
      globalThis.fetch = original;
    }
    expect(seen).toHaveLength(2);
    expect(seen[1]).toEqual({ input: request, init: { signal: context.signal, redirect: 'manual' } });

    // Without a deadline, a signal of the request's own, which the caller's signal aborts.
    const caller = new AbortController();
    const direct = client(async () => Response.json({ ok: true }));
    await postForm(direct, 'v1/messages', new URLSearchParams(), {
      provider: 'acme',
      signal: caller.signal,
      fetch: spy,
    });
    await (direct.calls[0] as { options: { fetch: typeof fetch } }).options.fetch(request);
    const ownSignal = seen[2]?.init?.signal;
    expect(ownSignal).toBeInstanceOf(AbortSignal);
    expect(ownSignal).not.toBe(caller.signal);
  });

  it('marks an empty or non-JSON body, whatever the status', async () => {
    for (const [body, status] of [
      ['', 200],
      ['   ', 400],
      ['<html>Bad Gateway</html>', 502],
      ['{"id":', 200],
    ] as const) {
      const reply = await postForm(
        client(async () => new Response(body, { status })),
        'x',
        new URLSearchParams(),
        context,
      );
      expect(reply).toMatchObject({ status, json: undefined, isJson: false });
    }
  });

  it('rejects only with OtpError: network failure, timeout, abort', async () => {
    const failing = (error: unknown) => client(() => Promise.reject(error));
    await expect(
      postForm(failing(new TypeError('fetch failed')), 'x', new URLSearchParams(), context),
    ).rejects.toMatchObject({
      code: 'NETWORK',
      provider: 'acme',
    });
    await expect(
      postForm(failing(timeoutError()), 'x', new URLSearchParams(), context),
    ).rejects.toMatchObject({
      code: 'TIMEOUT',
    });
    await expect(
      postForm(failing(new DOMException('aborted', 'AbortError')), 'x', new URLSearchParams(), {
        provider: 'acme',
        signal: aborted(),
      }),
    ).rejects.toMatchObject({ code: 'ABORTED' });
  });
});
