import { isOtpError } from '@otpkit/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createVonageEmulator, type VonageEmulatorFault } from './testing.js';
import { createVonageProvider } from './vonage-provider.js';

/** The emulator on its own: `handle()` directly, and `listen()` on a real socket (no msw here). */

const API_KEY = 'abcd1234';
const API_SECRET = 'Vn7SecretXy91Qz0';
const ENDPOINT = 'https://rest.nexmo.com/sms/json';
const emulator = createVonageEmulator({ apiKey: API_KEY, apiSecret: API_SECRET });
afterEach(() => emulator.reset());

const good = {
  api_key: API_KEY,
  api_secret: API_SECRET,
  from: 'OTPKIT',
  to: '447700900000',
  text: 'Code 482913',
};

interface Reply {
  status: number;
  headers: Headers;
  body: { 'message-count'?: string; messages?: Record<string, string>[] } | string;
}

async function post(form: Record<string, string>, url = ENDPOINT, method = 'POST'): Promise<Reply> {
  const response = await emulator.handle(
    new Request(url, { method, ...(method === 'GET' ? {} : { body: new URLSearchParams(form) }) }),
  );
  if (response.type === 'error') return { status: 0, headers: response.headers, body: 'network error' };
  const text = await response.text();
  let body: Reply['body'] = text;
  try {
    body = JSON.parse(text) as Reply['body'];
  } catch {
    // not JSON
  }
  return { status: response.status, headers: response.headers, body };
}

const messages = (reply: Reply) => (typeof reply.body === 'string' ? [] : (reply.body.messages ?? []));

describe('a good request', () => {
  it("answers 200 with the docs' shape: message-count, one part, a fresh 16-hex-digit id", async () => {
    const first = await post(good);
    const second = await post(good);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/json');
    expect(first.body).toEqual({
      'message-count': '1',
      messages: [
        {
          to: '447700900000',
          'message-id': expect.stringMatching(/^[0-9A-F]{16}$/),
          status: '0',
          'remaining-balance': '99.96670000',
          'message-price': '0.03330000',
          network: '23410',
        },
      ],
    });
    expect(messages(second)[0]!['message-id']).not.toBe(messages(first)[0]!['message-id']);
    expect(messages(second)[0]!['remaining-balance']).toBe('99.93340000');
  });

  it.each([
    ['160 GSM-7 characters', 'x'.repeat(160), undefined, 1],
    ['161 GSM-7 characters', 'x'.repeat(161), undefined, 2],
    ['306 GSM-7 characters', 'x'.repeat(306), undefined, 2],
    ['307 GSM-7 characters', 'x'.repeat(307), undefined, 3],
    ['80 extension characters (two septets each)', '€'.repeat(80), undefined, 1],
    ['81 extension characters', '€'.repeat(81), undefined, 2],
    ['70 UCS-2 units', 'ж'.repeat(70), 'unicode', 1],
    ['71 UCS-2 units', 'ж'.repeat(71), 'unicode', 2],
    ['134 UCS-2 units', 'ж'.repeat(134), 'unicode', 2],
    ['135 UCS-2 units', 'ж'.repeat(135), 'unicode', 3],
  ])('splits %s into parts like an SMS (%#)', async (_, text, type, count) => {
    const reply = await post({ ...good, text, ...(type ? { type } : {}) });
    expect((reply.body as { 'message-count': string })['message-count']).toBe(String(count));
    expect(messages(reply)).toHaveLength(count);
    expect(messages(reply).every((part) => part.status === '0')).toBe(true);
    expect(emulator.accepted()).toBe(1);
  });

  it('counts accepted messages by recipient, with or without "+"', async () => {
    await post(good);
    await post(good);
    await post({ ...good, to: '14155550123' });
    expect(emulator.accepted('447700900000')).toBe(2);
    expect(emulator.accepted('+447700900000')).toBe(2);
    expect(emulator.accepted('+14155550123')).toBe(1);
    expect(emulator.accepted('+10000000000')).toBe(0);
    expect(emulator.accepted()).toBe(3);
  });
});

describe("Vonage's refusals, inside an HTTP 200", () => {
  it.each([
    ['a wrong secret', { api_secret: 'nope-nope' }, '4', 'Bad Credentials'],
    ['a wrong key', { api_key: 'zzzz9999' }, '4', 'Bad Credentials'],
    ['no api_key', { api_key: '' }, '2', 'Missing api_key'],
    ['no api_secret', { api_secret: '' }, '2', 'Missing api_secret'],
    ['sig and api_secret', { sig: 'ABCDEF' }, '32', 'Signature and API secret disallowed'],
    ['no from', { from: '' }, '2', 'Missing from param'],
    ['no to', { to: '' }, '2', 'Missing to param'],
    ['no text', { text: '' }, '2', 'Missing text param'],
    ['a "+" in to', { to: '+447700900000' }, '3', 'Invalid to param'],
    ['two numbers', { to: '447700900000,447700900001' }, '3', 'Invalid to param'],
    ['an unknown type', { type: 'flash' }, '3', 'Invalid type param'],
    ['a ttl below the range', { ttl: '19999' }, '3', 'Invalid ttl param'],
    ['a ttl above the range', { ttl: '604800001' }, '3', 'Invalid ttl param'],
    ['a callback that is not http(s)', { callback: 'ftp://x' }, '23', 'Invalid Callback Url'],
  ])('%s → status %s', async (_, change, status, text) => {
    const reply = await post({ ...good, ...change });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ 'message-count': '1', messages: [{ status, 'error-text': text }] });
    expect(emulator.accepted()).toBe(0);
  });

  it('a sig without api_secret → 14 (the emulator takes no signed requests)', async () => {
    const { api_secret: _, ...unsigned } = good;
    expect(messages(await post({ ...unsigned, sig: 'ABCDEF' }))[0]).toEqual({
      status: '14',
      'error-text': 'Invalid Signature',
    });
  });

  it('another path or method → 404', async () => {
    expect((await post(good, 'https://rest.nexmo.com/sms/xml')).status).toBe(404);
    expect((await post(good, ENDPOINT, 'GET')).status).toBe(404);
  });
});

describe('requests', () => {
  it('records each request, api_secret and an authorization header redacted', async () => {
    await emulator.handle(
      new Request(`${ENDPOINT}?api_secret=${API_SECRET}`, {
        method: 'POST',
        headers: { authorization: `Basic ${btoa(`${API_KEY}:${API_SECRET}`)}` },
        body: new URLSearchParams(good),
      }),
    );
    expect(emulator.requests).toEqual([
      {
        method: 'POST',
        path: '/sms/json?api_secret=%5Bredacted%5D',
        headers: expect.objectContaining({
          authorization: '[redacted]',
          'content-type': 'application/x-www-form-urlencoded;charset=UTF-8',
        }),
        form: { ...good, api_secret: '[redacted]' },
        authorized: true,
      },
    ]);
    expect(JSON.stringify(emulator.requests)).not.toContain(API_SECRET);
    expect(JSON.stringify(emulator.requests)).not.toContain(btoa(`${API_KEY}:${API_SECRET}`));
  });

  it('records faulted and refused requests too', async () => {
    emulator.failNext({ kind: 'network' });
    await post(good);
    await post({ ...good, api_secret: 'wrong-one' });
    expect(emulator.requests.map((request) => request.authorized)).toEqual([true, false]);
    expect(emulator.requests[1]!.form.api_secret).toBe('[redacted]');
  });
});

describe('failNext', () => {
  it.each<[VonageEmulatorFault, number, unknown]>([
    [
      { kind: 'rate-limit', retryAfter: 7 },
      429,
      { 'message-count': '1', messages: [{ status: '1', 'error-text': 'Throttled' }] },
    ],
    [
      { kind: 'unavailable' },
      503,
      { 'message-count': '1', messages: [{ status: '5', 'error-text': 'Internal Error' }] },
    ],
    [{ kind: 'unavailable', status: 502 }, 502, expect.anything()],
    [
      { kind: 'status', status: '4' },
      200,
      { 'message-count': '1', messages: [{ status: '4', 'error-text': 'Bad Credentials' }] },
    ],
    [
      { kind: 'status', status: '9', errorText: 'No credit' },
      200,
      { 'message-count': '1', messages: [{ status: '9', 'error-text': 'No credit' }] },
    ],
    [
      { kind: 'status', status: '29' },
      200,
      { 'message-count': '1', messages: [{ status: '29', 'error-text': 'Non-Whitelisted Destination' }] },
    ],
    [
      { kind: 'error', code: '6' },
      200,
      { 'message-count': '1', messages: [{ status: '6', 'error-text': 'Invalid Message' }] },
    ],
    [
      { kind: 'error', code: '77', message: 'Odd', status: 400 },
      400,
      { 'message-count': '1', messages: [{ status: '77', 'error-text': 'Odd' }] },
    ],
    [{ kind: 'malformed' }, 200, '<html><body>Bad Gateway</body></html>'],
    [
      { kind: 'reply', status: 202, body: { anything: true }, headers: { 'x-a': '1' } },
      202,
      { anything: true },
    ],
    [{ kind: 'network' }, 0, 'network error'],
  ])('%o → HTTP %i', async (fault, status, body) => {
    emulator.failNext(fault);
    const reply = await post(good);
    expect(reply.status).toBe(status);
    expect(reply.body).toEqual(body);
    if (fault.kind === 'rate-limit') expect(reply.headers.get('retry-after')).toBe('7');
    expect(emulator.accepted()).toBe(0);
    // Then a normal answer again.
    expect(messages(await post(good))[0]!.status).toBe('0');
  });

  it('status on a later part: the parts before and after are accepted', async () => {
    emulator.failNext({ kind: 'status', status: '1', part: 3 });
    const reply = await post(good);
    expect(messages(reply).map((part) => part.status)).toEqual(['0', '0', '1']);
    expect(messages(reply)[2]).toEqual({ status: '1', 'error-text': 'Throttled' });
    emulator.failNext({ kind: 'status', status: '7', part: 2 });
    const long = await post({ ...good, text: 'x'.repeat(400) });
    expect(messages(long).map((part) => part.status)).toEqual(['0', '7', '0']);
  });

  it('delay: answers late, or never until the request is aborted', async () => {
    emulator.failNext({ kind: 'delay', ms: 30 });
    const started = Date.now();
    expect(messages(await post(good))[0]!.status).toBe('0');
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);

    emulator.failNext({ kind: 'delay', ms: Number.POSITIVE_INFINITY });
    const controller = new AbortController();
    const pending = emulator.handle(
      new Request(ENDPOINT, { method: 'POST', body: new URLSearchParams(good), signal: controller.signal }),
    );
    setTimeout(() => controller.abort(), 20);
    expect((await pending).status).toBe(200);
  });

  it('queues faults in order, times counted, and returns the emulator', async () => {
    expect(emulator.failNext({ kind: 'status', status: '1' }, 2).failNext({ kind: 'unavailable' })).toBe(
      emulator,
    );
    const statuses = [];
    for (let index = 0; index < 4; index++) statuses.push((await post(good)).status);
    expect(statuses).toEqual([200, 200, 503, 200]);
  });

  it('reset forgets requests, accepted messages, faults and the spent balance', async () => {
    await post(good);
    emulator.failNext({ kind: 'unavailable' });
    emulator.reset();
    expect(emulator.requests).toEqual([]);
    expect(emulator.accepted()).toBe(0);
    const reply = await post(good);
    expect(reply.status).toBe(200);
    expect(messages(reply)[0]!['remaining-balance']).toBe('99.96670000');
  });
});

describe('listen: a real HTTP server', () => {
  it('serves the provider over a socket; a network fault resets the connection', async () => {
    const served = createVonageEmulator({ apiKey: API_KEY, apiSecret: API_SECRET });
    const server = await served.listen();
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const provider = createVonageProvider({
        apiKey: API_KEY,
        apiSecret: API_SECRET,
        from: 'OTPKIT',
        baseUrl: server.url,
      });
      const context = { signal: new AbortController().signal, attempt: 1 };
      const receipt = await provider.send({ to: '+447700900000', body: 'Your code is 482913' }, context);
      expect(receipt.messageId).toMatch(/^[0-9A-F]{16}$/);
      expect(served.requests[0]).toMatchObject({ path: '/sms/json', authorized: true });

      served.failNext({ kind: 'status', status: '4' });
      const refused = await provider
        .send({ to: '+447700900000', body: 'Your code is 482913' }, context)
        .catch((error: unknown) => error);
      expect(isOtpError(refused, 'AUTHENTICATION')).toBe(true);

      served.failNext({ kind: 'network' });
      const dropped = await provider
        .send({ to: '+447700900000', body: 'Your code is 482913' }, context)
        .catch((error: unknown) => error);
      expect(isOtpError(dropped, 'NETWORK')).toBe(true);
    } finally {
      await server.close();
    }
  });
});
