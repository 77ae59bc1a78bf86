import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { OtpError, RETRYABLE_BY_DEFAULT } from './errors.js';
import {
  type HttpClient,
  type HttpErrorInput,
  httpError,
  parseRetryAfter,
  postForm,
  redact,
  transportError,
  type VendorErrorRule,
} from './http.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const live = () => new AbortController().signal;
const aborted = (reason?: unknown) => {
  const controller = new AbortController();
  controller.abort(reason);
  return controller.signal;
};
const timeoutError = () => Object.assign(new Error('Request timed out'), { name: 'TimeoutError' });

describe('parseRetryAfter', () => {
  it('reads delay-seconds, decimals included', () => {
    expect(parseRetryAfter('7', NOW)).toBe(7000);
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
    expect(parseRetryAfter('0', NOW)).toBe(0);
    expect(parseRetryAfter('0.05', NOW)).toBe(50);
    expect(parseRetryAfter('1.5', NOW)).toBe(1500);
    expect(parseRetryAfter('  7 ', NOW)).toBe(7000);
  });

  it('reads an HTTP date relative to now', () => {
    expect(parseRetryAfter('Wed, 01 May 2024 12:00:30 GMT', NOW)).toBe(30_000);
    expect(parseRetryAfter(new Date(NOW + 90_000).toUTCString(), NOW)).toBe(90_000);
  });

  it('uses the clock when no now is given', () => {
    const ms = parseRetryAfter(new Date(Date.now() + 60_000).toUTCString());
    expect(ms).toBeGreaterThan(58_000);
    expect(ms).toBeLessThanOrEqual(60_000);
  });

  it('never returns a negative wait for a date in the past', () => {
    expect(parseRetryAfter('Wed, 01 May 2024 11:59:00 GMT', NOW)).toBe(0);
  });

  it('is undefined when absent or unreadable', () => {
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
    expect(parseRetryAfter('', NOW)).toBeUndefined();
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter('5 seconds', NOW)).toBeUndefined();
    expect(parseRetryAfter('1e3', NOW)).toBeUndefined();
  });
});

describe('transportError: abort, then timeout, then network', () => {
  const provider = 'acme';

  it("returns the signal's own OtpError reason (the dispatcher's TIMEOUT), whatever the failure", () => {
    const reason = new OtpError('TIMEOUT', 'acme: attempt 1 took longer than 50 ms', { provider });
    expect(transportError(new TypeError('fetch failed'), { provider, signal: aborted(reason) })).toBe(reason);
    expect(transportError(timeoutError(), { provider, signal: aborted(reason) })).toBe(reason);
    const abortedReason = new OtpError('ABORTED', 'the caller gave up', { provider });
    expect(transportError(timeoutError(), { provider, signal: aborted(abortedReason) })).toBe(abortedReason);
  });

  it('an aborted signal with a TimeoutError reason (AbortSignal.timeout) → TIMEOUT', () => {
    const reason = new DOMException('The operation timed out.', 'TimeoutError');
    const error = transportError(new DOMException('aborted', 'AbortError'), {
      provider,
      signal: aborted(reason),
    });
    expect(error.code).toBe('TIMEOUT');
    expect(error.retryable).toBe(true);
    expect(error.provider).toBe(provider);
    expect(error.cause).toBe(reason);
  });

  it('any other abort → ABORTED, even if the request also failed or timed out', () => {
    for (const failure of [new TypeError('fetch failed'), timeoutError()]) {
      const signal = aborted();
      const error = transportError(failure, { provider, signal });
      expect(error.code).toBe('ABORTED');
      expect(error.retryable).toBe(false);
      expect(error.provider).toBe(provider);
      expect(error.cause).toBe(signal.reason);
    }
    expect(transportError(new Error('x'), { provider, signal: aborted('user left') }).cause).toBe(
      'user left',
    );
  });

  it('without an abort: an OtpError passes through', () => {
    const original = new OtpError('INVALID_RESPONSE', 'x', { provider });
    expect(transportError(original, { provider, signal: live() })).toBe(original);
  });

  it("without an abort: the client's TimeoutError → TIMEOUT, without the error that holds the request", () => {
    // ky's TimeoutError carries the Request, whose headers hold the API key: it must not become the cause.
    const request = new Request('https://api.example.com/v1/x', { headers: { 'api-key': 'sk-123456' } });
    const cause = Object.assign(timeoutError(), { request });
    const error = transportError(cause, { provider, signal: live() });
    expect(error.cause).toBeUndefined();
    expect(inspect(error, { depth: 10 })).not.toContain('sk-123456');
    expect(error.code).toBe('TIMEOUT');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe('acme: the request timed out');
    expect(error.provider).toBe(provider);
  });

  it('anything else → NETWORK, naming the system error code when there is one', () => {
    const refused = new TypeError('fetch failed', {
      cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }),
    });
    const error = transportError(refused, { provider, signal: live() });
    expect(error.code).toBe('NETWORK');
    expect(error.retryable).toBe(true);
    expect(error.provider).toBe(provider);
    expect(error.message).toBe('acme: no response from the vendor (ECONNREFUSED)');
    expect(error.cause).toBe(refused);

    const dns = Object.assign(new Error('getaddrinfo'), { code: 'ENOTFOUND' });
    expect(transportError(dns, { provider, signal: live() }).message).toBe(
      'acme: no response from the vendor (ENOTFOUND)',
    );
    expect(transportError(new TypeError('Failed to fetch'), { provider, signal: live() }).message).toBe(
      'acme: no response from the vendor',
    );
    expect(transportError('a string', { provider, signal: live() }).code).toBe('NETWORK');
    expect(transportError(undefined, { provider, signal: live() }).code).toBe('NETWORK');
  });
});

describe('httpError: status first, then JSON, then the vendor table, then REJECTED', () => {
  const table: Record<string, VendorErrorRule> = {
    E404: { code: 'REJECTED' },
    E103: { code: 'PROVIDER_UNAVAILABLE' },
    E102: { code: 'INVALID_CONFIG' },
    E900: { code: 'PROVIDER_UNAVAILABLE', retryable: false },
    E901: { code: 'REJECTED', retryable: true },
  };
  const input = (over: Partial<HttpErrorInput> & { status: number }): HttpErrorInput => ({
    provider: 'acme',
    isJson: true,
    table,
    ...over,
  });

  it.each([401, 403])('%i → AUTHENTICATION, whatever the body', (status) => {
    for (const over of [{ vendorCode: 'E404' }, { vendorCode: 'E103' }, { isJson: false }, {}]) {
      const error = httpError(input({ status, ...over }));
      expect(error.code).toBe('AUTHENTICATION');
      expect(error.retryable).toBe(false);
      expect(error.status).toBe(status);
      expect(error.provider).toBe('acme');
    }
    expect(httpError(input({ status, vendorCode: 'E404' })).providerCode).toBe('E404');
  });

  it('429 → RATE_LIMITED with retryAfterMs from Retry-After, whatever the body', () => {
    const error = httpError(
      input({ status: 429, vendorCode: 'E404', headers: new Headers({ 'retry-after': '7' }) }),
    );
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(7000);
    expect(error.providerCode).toBe('E404');
    expect(httpError(input({ status: 429, isJson: false })).code).toBe('RATE_LIMITED');
    expect(httpError(input({ status: 429 })).retryAfterMs).toBeUndefined();
    expect(
      httpError(input({ status: 429, headers: new Headers({ 'retry-after': 'later' }) })).retryAfterMs,
    ).toBeUndefined();
  });

  it.each([500, 502, 503, 504, 599])('%i → PROVIDER_UNAVAILABLE, whatever the body', (status) => {
    for (const over of [{ vendorCode: 'E404' }, { vendorCode: 'E102' }, { isJson: false }, {}]) {
      const error = httpError(input({ status, ...over }));
      expect(error.code).toBe('PROVIDER_UNAVAILABLE');
      expect(error.retryable).toBe(true);
      expect(error.status).toBe(status);
    }
    const withWait = httpError(input({ status, headers: new Headers({ 'retry-after': '2' }) }));
    expect(withWait.retryAfterMs).toBe(2000);
  });

  it('a body that is not JSON → INVALID_RESPONSE, with the status', () => {
    const error = httpError(input({ status: 400, isJson: false }));
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.retryable).toBe(false);
    expect(error.status).toBe(400);
    expect(error.message).toBe('acme: the vendor replied with a body that is not JSON (HTTP 400)');
  });

  it("then the vendor's code table, with its retryable override", () => {
    expect(httpError(input({ status: 400, vendorCode: 'E404' }))).toMatchObject({
      code: 'REJECTED',
      retryable: false,
      providerCode: 'E404',
      status: 400,
    });
    expect(httpError(input({ status: 400, vendorCode: 'E103' }))).toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      retryable: true,
    });
    expect(httpError(input({ status: 422, vendorCode: 'E102' }))).toMatchObject({
      code: 'INVALID_CONFIG',
      retryable: RETRYABLE_BY_DEFAULT.INVALID_CONFIG,
    });
    expect(httpError(input({ status: 400, vendorCode: 'E900' }))).toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      retryable: false,
    });
    expect(httpError(input({ status: 400, vendorCode: 'E901' }))).toMatchObject({
      code: 'REJECTED',
      retryable: true,
    });
    // A 2xx that carries an error code is classified by its code too.
    expect(httpError(input({ status: 200, vendorCode: 'E404' }))).toMatchObject({
      code: 'REJECTED',
      status: 200,
    });
  });

  it('words a table row by its code: credentials, throttling and outages read as the status would', () => {
    // Vendors that answer 200 with a failure code in the body (credentials, throttling, an outage).
    const inBody: Record<string, VendorErrorRule> = {
      '4': { code: 'AUTHENTICATION' },
      '1': { code: 'RATE_LIMITED' },
      '5': { code: 'PROVIDER_UNAVAILABLE' },
      '2': { code: 'INVALID_CONFIG' },
    };
    const classify = (vendorCode: string, vendorMessage: string) =>
      httpError({ provider: 'acme', status: 200, isJson: true, table: inBody, vendorCode, vendorMessage });
    expect(classify('4', 'Bad Credentials')).toMatchObject({
      code: 'AUTHENTICATION',
      retryable: false,
      status: 200,
      providerCode: '4',
      message: 'acme: the vendor refused the credentials: Bad Credentials (4, HTTP 200)',
    });
    expect(classify('1', 'Throttled')).toMatchObject({
      code: 'RATE_LIMITED',
      retryable: true,
      message: 'acme: the vendor asked to slow down: Throttled (1, HTTP 200)',
    });
    expect(classify('1', 'Throttled').retryAfterMs).toBeUndefined();
    expect(classify('5', 'Internal Error')).toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      retryable: true,
      message: 'acme: the vendor failed: Internal Error (5, HTTP 200)',
    });
    expect(classify('2', 'Missing from param').message).toBe(
      'acme: the vendor refused the message: Missing from param (2, HTTP 200)',
    );
    expect(classify('99', 'Something new')).toMatchObject({
      code: 'REJECTED',
      providerCode: '99',
      status: 200,
    });
  });

  it('then any other status → REJECTED', () => {
    expect(httpError(input({ status: 400, vendorCode: 'E999' }))).toMatchObject({
      code: 'REJECTED',
      providerCode: 'E999',
    });
    expect(httpError(input({ status: 404 }))).toMatchObject({ code: 'REJECTED', status: 404 });
    expect(httpError(input({ status: 404 })).providerCode).toBeUndefined();
    // The code comes from the vendor's body: names of Object.prototype are no rows of the table.
    for (const vendorCode of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      const error = httpError(input({ status: 400, vendorCode }));
      expect(error.code).toBe('REJECTED');
      expect(error.retryable).toBe(false);
    }
    expect(httpError({ provider: 'acme', status: 400, isJson: true, vendorCode: 'E404' }).code).toBe(
      'REJECTED',
    );
  });

  it("puts the vendor's text in the message, with its code and the status", () => {
    const error = httpError(
      input({ status: 400, vendorCode: 'E404', vendorMessage: 'If Type is OTP then only one mobile number' }),
    );
    expect(error.message).toBe(
      'acme: the vendor refused the message: If Type is OTP then only one mobile number (E404, HTTP 400)',
    );
    expect(httpError(input({ status: 401 })).message).toBe(
      'acme: the vendor refused the credentials (HTTP 401)',
    );
  });

  it("redacts secrets in the vendor's text, then shortens it to 300 characters", () => {
    const error = httpError(
      input({
        status: 400,
        vendorCode: 'E413',
        vendorMessage: 'bad key sk-123456 for body Your code is 482913',
        secrets: ['sk-123456', 'Your code is 482913', undefined],
      }),
    );
    expect(error.message).toBe(
      'acme: the vendor refused the message: bad key [redacted] for body [redacted] (E413, HTTP 400)',
    );
    const long = httpError(
      input({ status: 400, vendorMessage: `${'x'.repeat(295)}sk-123456`, secrets: ['sk-123456'] }),
    );
    expect(long.message).toBe(`acme: the vendor refused the message: ${'x'.repeat(295)}[reda (HTTP 400)`);
    expect(long.message).not.toContain('sk-1');
  });
});

describe('redact', () => {
  it('replaces every occurrence of every secret', () => {
    expect(redact('key=abcd1234; again abcd1234; code 482913', ['abcd1234', '482913'])).toBe(
      'key=[redacted]; again [redacted]; code [redacted]',
    );
    expect(redact('abcdabcd', ['abcd'])).toBe('[redacted][redacted]');
  });

  it('ignores undefined, empty and short secrets (under 4 characters)', () => {
    expect(redact('a 123 b', [undefined, '', '123'])).toBe('a 123 b');
    expect(redact('a 1234 b', ['1234'])).toBe('a [redacted] b');
  });

  it('also redacts a secret as it travels in a form body or a URL', () => {
    const secret = 'p@ss+w/rd =1&2';
    const echoed = [
      `api_secret=${new URLSearchParams({ s: secret }).toString().slice(2)}`,
      `api_secret=${encodeURIComponent(secret)}`,
      `raw ${secret}`,
    ].join('; ');
    const out = redact(echoed, [secret]);
    expect(out).toBe('api_secret=[redacted]; api_secret=[redacted]; raw [redacted]');
    expect(redact('text=Your+code+is+482913&to=1415', ['Your code is 482913'])).toBe(
      'text=[redacted]&to=1415',
    );
    // A lone surrogate has no percent-encoding: no throw, the other spellings still go.
    expect(redact('x \uD800abc x', ['\uD800abc'])).toBe('x [redacted] x');
    // Short secrets stay ignored in every spelling.
    expect(redact('a+b a%20b a b', ['a b'])).toBe('a+b a%20b a b');
  });

  it('leaves text without secrets alone, and treats secrets literally', () => {
    expect(redact('nothing here', ['abcd'])).toBe('nothing here');
    expect(redact('a.b* and a.b*', ['a.b*'])).toBe('[redacted] and [redacted]');
    expect(redact('$&$& x', ['$&$&'])).toBe('[redacted] x');
  });
});

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
