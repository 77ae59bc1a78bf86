import { http, passthrough } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { API_KEY, emulator, failure, fixture, SID, send, server, TO } from './__fixtures__/emulator-setup.js';
import { createKaleyraEmulator, type KaleyraEmulatorFault } from './testing.js';

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
