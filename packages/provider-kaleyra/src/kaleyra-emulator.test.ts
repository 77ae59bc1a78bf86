import { readFileSync } from 'node:fs';
import { isOtpError, type OtpError } from '@otpkit/core';
import { http, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import * as v from 'valibot';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { KaleyraProviderOptions } from './kaleyra-options.js';
import { createKaleyraProvider, KaleyraSuccessSchema } from './kaleyra-provider.js';
import { createKaleyraEmulator, type KaleyraEmulatorFault } from './testing.js';

const SID = 'HXXXXXXX071US';
const API_KEY = 'Ac4XXXXX21f';
const TO = '+14155550123';
const BODY = 'Your OTP is 482913';
const ENDPOINT = `https://api.kaleyra.io/v1/${SID}/messages`;
const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;

const emulator = createKaleyraEmulator({ sid: SID, apiKey: API_KEY });
const india = createKaleyraEmulator({ sid: SID, apiKey: API_KEY, region: 'in' });
const server = setupServer(...emulator.handlers, ...india.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  emulator.reset();
  india.reset();
  server.resetHandlers();
  vi.useRealTimers();
});
afterAll(() => server.close());

const provider = (options: Partial<KaleyraProviderOptions> = {}) =>
  createKaleyraProvider({ sid: SID, apiKey: API_KEY, sender: 'KLRHXA', ...options });
const context = () => ({ signal: new AbortController().signal, attempt: 1 });
const send = (options: Partial<KaleyraProviderOptions> = {}, to = TO) =>
  provider(options).send({ to, body: BODY }, context());

async function failure(pending: Promise<unknown>): Promise<OtpError> {
  const error = await pending.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isOtpError(error)) throw new Error(`expected an OtpError, got ${String(error)}`);
  return error;
}

/** Posts a raw form, as any client could (msw intercepts the global fetch). */
function post(form: Record<string, string>, { key = API_KEY, url = ENDPOINT } = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'api-key': key, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
}

describe('emulator: answers like Kaleyra', () => {
  it('a good request gets a success body of the seed shape, with fresh ids', async () => {
    const response = await post({ to: TO, type: 'OTP', sender: 'KLRHXA', body: BODY });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    const reply = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(reply).sort()).toEqual(Object.keys(fixture('send-success.json')).sort());
    expect(reply).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      sender: 'KLRHXA',
      type: 'OTP',
      body: BODY,
      createdDateTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\+00:00$/),
      totalCount: 1,
      data: [{ message_id: `${reply.id}:1`, recipient: '14155550123' }],
      dlrurl: null,
      error: {},
    });

    const second = (await (await post({ to: TO, type: 'OTP', body: BODY })).json()) as { id: string };
    expect(second.id).not.toBe(reply.id);
  });

  it('echoes template_id and callback like the Indian sample reply, and passes the provider schema', async () => {
    const response = await post({
      to: '+919876543210',
      type: 'OTP',
      sender: 'KLRHXA',
      body: BODY,
      callback: 'https://app.example.com/dlr',
      template_id: '1107160000000000001',
    });
    const reply = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(reply).sort()).toEqual(Object.keys(fixture('send-success-india.json')).sort());
    expect(reply).toMatchObject({
      template_id: '1107160000000000001',
      dlrurl: 'https://app.example.com/dlr',
      data: [{ recipient: '919876543210' }],
    });
    expect(v.is(KaleyraSuccessSchema, reply)).toBe(true);
  });

  it('the default sender is KLRHXA when none is sent', async () => {
    const reply = (await (await post({ to: TO, type: 'OTP', body: BODY })).json()) as { sender: string };
    expect(reply.sender).toBe('KLRHXA');
  });

  it('the receipt the provider builds from it', async () => {
    const before = Math.floor(Date.now() / 1000) * 1000;
    const receipt = await send();
    expect(receipt.messageId).toMatch(/^[0-9a-f-]{36}:1$/);
    expect(receipt.to).toBe(TO);
    expect(receipt.acceptedAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(receipt.acceptedAt.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('a wrong api-key → 401, which the provider maps to AUTHENTICATION', async () => {
    const response = await post({ to: TO, type: 'OTP', body: BODY }, { key: 'not-the-key' });
    expect(response.status).toBe(401);
    const error = await failure(send({ apiKey: 'not-the-key' }));
    expect(error).toMatchObject({ code: 'AUTHENTICATION', status: 401, retryable: false });
    expect(emulator.requests.map((request) => request.authorized)).toEqual([false, false]);
    expect(emulator.accepted()).toBe(0);
  });

  it('several numbers → the seed E404 reply', async () => {
    const response = await post({ to: '+911234567890,+919876543210', type: 'OTP', body: BODY });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual(fixture('send-error-e404.json'));
    expect(emulator.accepted()).toBe(0);
  });

  it('refuses a missing to or body, and a type other than OTP', async () => {
    const codes: string[] = [];
    const forms: Record<string, string>[] = [
      { type: 'OTP', body: BODY },
      { to: TO, type: 'OTP' },
      { to: TO, type: 'TXN', body: BODY },
      { to: TO, body: BODY },
    ];
    for (const form of forms) {
      const response = await post(form);
      expect(response.status).toBe(400);
      codes.push(((await response.json()) as { code: string }).code);
    }
    expect(codes).toEqual(['E600', 'E601', 'E615', 'E615']);
  });

  it('another SID → 401 (a key works only with its own account); another path or method → 404', async () => {
    const other = await post(
      { to: TO, type: 'OTP', body: BODY },
      { url: 'https://api.kaleyra.io/v1/HXOTHER/messages' },
    );
    expect(other.status).toBe(401);
    const elsewhere = await post(
      { to: TO, type: 'OTP', body: BODY },
      { url: 'https://api.kaleyra.io/v1/HXOTHER/sms' },
    );
    expect(elsewhere.status).toBe(404);
    const get = await fetch(ENDPOINT, { headers: { 'api-key': API_KEY } });
    expect(get.status).toBe(404);
  });

  it('reads a JSON body too', async () => {
    const response = await fetch(ENDPOINT, {
      method: 'POST',
      headers: { 'api-key': API_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ to: TO, type: 'OTP', body: BODY }),
    });
    expect(response.status).toBe(200);
    expect(emulator.requests[0]?.form).toEqual({ to: TO, type: 'OTP', body: BODY });
  });

  it('handle() answers a Request without msw', async () => {
    const standalone = createKaleyraEmulator();
    const response = await standalone.handle(
      new Request('https://api.kaleyra.io/v1/HXTEST00000IN/messages', {
        method: 'POST',
        headers: { 'api-key': 'test-api-key' },
        body: new URLSearchParams({ to: TO, type: 'OTP', body: BODY }),
      }),
    );
    expect(response.status).toBe(200);
    expect(standalone.accepted(TO)).toBe(1);
  });

  it('region picks the host it intercepts', async () => {
    await send({ region: 'in' });
    expect(india.accepted(TO)).toBe(1);
    expect(emulator.accepted()).toBe(0);
  });
});

describe('emulator: records requests', () => {
  it('records every request with the key redacted, faults included', async () => {
    emulator.failNext({ kind: 'unavailable' });
    await failure(send());
    await send({ callbackUrl: 'https://app.example.com/dlr' });
    expect(emulator.requests).toHaveLength(2);
    expect(emulator.requests[1]).toEqual({
      method: 'POST',
      path: `/v1/${SID}/messages`,
      headers: expect.objectContaining({
        'api-key': '[redacted]',
        'content-type': expect.stringMatching(/^application\/x-www-form-urlencoded/),
      }),
      form: { to: TO, type: 'OTP', sender: 'KLRHXA', body: BODY, callback: 'https://app.example.com/dlr' },
      authorized: true,
    });
    expect(JSON.stringify(emulator.requests)).not.toContain(API_KEY);
  });

  it('accepted(to) counts accepted messages by recipient, accepted() all of them', async () => {
    await send();
    await send();
    await send({ templateId: '1107160000000000001' }, '+919876543210');
    emulator.failNext({ kind: 'error', code: 'E413' });
    await failure(send());
    expect(emulator.accepted(TO)).toBe(2);
    expect(emulator.accepted('+919876543210')).toBe(1);
    expect(emulator.accepted('+440000000000')).toBe(0);
    expect(emulator.accepted()).toBe(3);
    expect(emulator.requests).toHaveLength(4);
  });

  it('reset() forgets requests, accepted messages and pending faults', async () => {
    await send();
    emulator.failNext({ kind: 'network' }, 3);
    emulator.reset();
    expect(emulator.requests).toHaveLength(0);
    expect(emulator.accepted()).toBe(0);
    await send();
    expect(emulator.accepted()).toBe(1);
  });
});

describe('emulator: failNext', () => {
  it('rate-limit: 429 with Retry-After in seconds', async () => {
    emulator.failNext({ kind: 'rate-limit', retryAfter: 7 });
    const error = await failure(send());
    expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429, retryAfterMs: 7000, retryable: true });
  });

  it('rate-limit: 429 with Retry-After as an HTTP date', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2024-05-01T12:00:00Z'));
    emulator.failNext({ kind: 'rate-limit', retryAfter: 'Wed, 01 May 2024 12:01:00 GMT' });
    expect((await failure(send())).retryAfterMs).toBe(60_000);
  });

  it('rate-limit without Retry-After: no retryAfterMs', async () => {
    emulator.failNext({ kind: 'rate-limit' });
    const error = await failure(send());
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryAfterMs).toBeUndefined();
  });

  it('unavailable: 503 by default, or the status given', async () => {
    emulator.failNext({ kind: 'unavailable' }).failNext({ kind: 'unavailable', status: 502 });
    expect(await failure(send())).toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      status: 503,
      providerCode: 'E103',
    });
    expect(await failure(send())).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', status: 502 });
  });

  it('error: a Kaleyra error body, 400 by default', async () => {
    emulator
      .failNext({ kind: 'error', code: 'E413', message: 'Validation error' })
      .failNext({ kind: 'error', code: 'E623' })
      .failNext({ kind: 'error', code: 'E401', status: 401 });
    const e413 = await failure(send());
    expect(e413).toMatchObject({ code: 'REJECTED', providerCode: 'E413', status: 400 });
    expect(e413.message).toContain('Validation error');
    expect(await failure(send())).toMatchObject({ code: 'INVALID_CONFIG', providerCode: 'E623' });
    expect(await failure(send())).toMatchObject({ code: 'AUTHENTICATION', providerCode: 'E401' });
  });

  it('delay: answers normally after the wait', async () => {
    emulator.failNext({ kind: 'delay', ms: 60 });
    const started = Date.now();
    const receipt = await send();
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
    expect(receipt.messageId).toMatch(/:1$/);
    expect(emulator.accepted()).toBe(1);
  });

  it('delay longer than the time limit: TIMEOUT', async () => {
    emulator.failNext({ kind: 'delay', ms: Number.POSITIVE_INFINITY });
    const error = await failure(send({ timeoutMs: 40 }));
    expect(error.code).toBe('TIMEOUT');
  });

  it('network: no reply', async () => {
    emulator.failNext({ kind: 'network' });
    expect(await failure(send())).toMatchObject({ code: 'NETWORK', retryable: true });
  });

  it('malformed: a body that is not JSON, 200 by default', async () => {
    emulator.failNext({ kind: 'malformed' }).failNext({ kind: 'malformed', status: 400 });
    expect(await failure(send())).toMatchObject({ code: 'INVALID_RESPONSE', status: 200 });
    expect(await failure(send())).toMatchObject({ code: 'INVALID_RESPONSE', status: 400 });
  });

  it('malformed with a 5xx status is still PROVIDER_UNAVAILABLE (status first)', async () => {
    emulator.failNext({ kind: 'malformed', status: 502 });
    expect(await failure(send())).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', status: 502 });
  });

  it('reply: any status, body and headers', async () => {
    const seed = fixture('send-success.json');
    emulator
      .failNext({ kind: 'reply', status: 202, body: seed })
      .failNext({ kind: 'reply', status: 200, body: fixture('send-error-e404.json') })
      .failNext({ kind: 'reply', status: 503, body: 'down', headers: { 'retry-after': '2' } });
    const receipt = await send();
    expect(receipt.messageId).toBe('ee8aXXXX-XXXX-XXXX-XXXX-9b717XXXX30d:1');
    expect(receipt.raw).toEqual(seed);
    expect(await failure(send())).toMatchObject({ code: 'REJECTED', providerCode: 'E404', status: 200 });
    expect(await failure(send())).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryAfterMs: 2000 });
  });

  it('times: the fault applies to that many requests, then answers are normal again', async () => {
    emulator.failNext({ kind: 'unavailable' }, 2);
    expect((await failure(send())).code).toBe('PROVIDER_UNAVAILABLE');
    expect((await failure(send())).code).toBe('PROVIDER_UNAVAILABLE');
    await send();
    expect(emulator.requests).toHaveLength(3);
    expect(emulator.accepted()).toBe(1);
  });

  it('faults queue in order, and a fault applies even to an unauthorized request', async () => {
    const faults: KaleyraEmulatorFault[] = [{ kind: 'network' }, { kind: 'rate-limit', retryAfter: 1 }];
    for (const fault of faults) emulator.failNext(fault);
    expect((await failure(send({ apiKey: 'wrong-key' }))).code).toBe('NETWORK');
    expect((await failure(send())).code).toBe('RATE_LIMITED');
    expect((await failure(send({ apiKey: 'wrong-key' }))).code).toBe('AUTHENTICATION');
  });
});

describe('emulator: listen() on a real socket', () => {
  it('serves the same answers over HTTP on 127.0.0.1, faults included', async () => {
    const local = createKaleyraEmulator({ sid: SID, apiKey: API_KEY });
    const running = await local.listen();
    try {
      expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      // Loopback only: let these requests past msw to the real server.
      server.use(http.all(`${running.url}/*`, () => passthrough()));
      const receipt = await send({ baseUrl: running.url });
      expect(receipt.messageId).toMatch(/:1$/);
      expect(local.accepted(TO)).toBe(1);
      expect(local.requests[0]?.headers['api-key']).toBe('[redacted]');

      local.failNext({ kind: 'rate-limit', retryAfter: 3 }).failNext({ kind: 'network' });
      expect(await failure(send({ baseUrl: running.url }))).toMatchObject({
        code: 'RATE_LIMITED',
        retryAfterMs: 3000,
      });
      expect((await failure(send({ baseUrl: running.url }))).code).toBe('NETWORK');
      expect((await failure(send({ baseUrl: running.url, apiKey: 'wrong-key' }))).code).toBe(
        'AUTHENTICATION',
      );
    } finally {
      await running.close();
    }
    expect(emulator.requests).toHaveLength(0);
  });
});
