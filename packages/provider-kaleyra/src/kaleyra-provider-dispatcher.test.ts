import { inspect } from 'node:util';
import {
  createDispatcher,
  type DeliveryEvent,
  type OtpError,
  type RetryingEvent,
  type SentEvent,
} from '@otpkit/core';
import { delay, HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  API_KEY,
  BODY,
  context,
  ENDPOINT,
  ERROR_E404,
  emulator,
  failure,
  provider,
  SUCCESS,
  serve,
  serveJson,
  server,
  TO,
} from './__fixtures__/provider-setup.js';
import type { KaleyraProviderOptions } from './kaleyra-options.js';

describe('through a dispatcher', () => {
  it('a 503 then 200 through a dispatcher ends in one sent after one retrying', async () => {
    emulator.failNext({ kind: 'unavailable' });
    const dispatcher = createDispatcher({ providers: [provider()], retry: { minDelayMs: 1, maxDelayMs: 1 } });
    const seen: string[] = [];
    for (const name of ['queued', 'retrying', 'sent', 'failed'] as const)
      dispatcher.on(name, () => seen.push(name));
    const result = await dispatcher.send({ to: TO, body: BODY });
    expect(result.attempts).toBe(2);
    expect(seen).toEqual(['queued', 'retrying', 'sent']);
    expect(emulator.requests).toHaveLength(2);
    expect(emulator.accepted(TO)).toBe(1);
  });

  it('a 429 with Retry-After: 0.05 then 200 waits the 50 ms Kaleyra asked for', async () => {
    emulator.failNext({ kind: 'rate-limit', retryAfter: '0.05' });
    // A backoff far from 50 ms, so the delay can only come from Retry-After.
    const dispatcher = createDispatcher({
      providers: [provider()],
      retry: { minDelayMs: 5000, maxDelayMs: 5000 },
    });
    const retrying: RetryingEvent[] = [];
    dispatcher.on('retrying', (event) => retrying.push(event));
    const started = Date.now();
    const result = await dispatcher.send({ to: TO, body: BODY });
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(result.attempts).toBe(2);
    expect(retrying).toHaveLength(1);
    expect(retrying[0]!.error.code).toBe('RATE_LIMITED');
    expect(retrying[0]!.error.retryAfterMs).toBe(50);
    expect(retrying[0]!.delayMs).toBe(50);
  });

  it('the sent event has no raw and no body text, though send() resolves with raw', async () => {
    const dispatcher = createDispatcher({ providers: [provider()] });
    const events: unknown[] = [];
    let sent: SentEvent | undefined;
    for (const name of ['queued', 'retrying', 'sent', 'failed'] as const)
      dispatcher.on(name, (event: unknown) => events.push(event));
    dispatcher.on('sent', (event) => {
      sent = event;
    });
    const result = await dispatcher.send({ to: TO, body: BODY, reference: 'login-42' });
    expect((result.raw as { body?: string }).body).toBe(BODY);
    expect(sent).toBeDefined();
    expect(sent!.receipt).not.toHaveProperty('raw');
    expect(sent!.receipt).toEqual({
      provider: 'kaleyra',
      messageId: result.messageId,
      to: TO,
      acceptedAt: result.acceptedAt,
    });
    expect(sent!.reference).toBe('login-42');
    for (const event of events) {
      expect(JSON.stringify(event)).not.toContain(BODY);
      expect(JSON.stringify(event)).not.toContain('482913');
      expect(inspect(event, { depth: 10 })).not.toContain('482913');
    }
  });

  it('a failing send ends in failed, and the failed event carries no key or body', async () => {
    emulator.failNext({ kind: 'error', code: 'E413', message: `bad ${API_KEY} ${BODY}` });
    const dispatcher = createDispatcher({ providers: [provider()] });
    const failed: unknown[] = [];
    dispatcher.on('failed', (event) => failed.push(event));
    const error = await failure(dispatcher.send({ to: TO, body: BODY }));
    expect(error.code).toBe('REJECTED');
    expect(failed).toHaveLength(1);
    const text = inspect(failed[0], { depth: 10 });
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain('482913');
  });

  it("a delivery report of a message it sent carries the send's dispatch id and reference", async () => {
    const kaleyra = provider();
    const dispatcher = createDispatcher({ providers: [kaleyra] });
    const result = await dispatcher.send({ to: TO, body: BODY, reference: 'login-42' });
    const delivered: DeliveryEvent[] = [];
    dispatcher.on('delivered', (event) => delivered.push(event));
    dispatcher.report(
      kaleyra.parseDeliveryReport({
        message_id: result.messageId,
        status: 'DELIVRD',
        recipient: '14155550123',
      }),
    );
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({
      id: result.id,
      reference: 'login-42',
      provider: 'kaleyra',
      messageId: result.messageId,
      to: TO,
    });
  });
});

describe('secrets: no API key (or body) in any error', () => {
  /** Every rendering of the error and of each error in its cause chain: what a logger could print. */
  function renderings(error: unknown): string[] {
    const out: string[] = [inspect(error, { depth: 20 })];
    const seen = new Set<unknown>();
    let node: unknown = error;
    while (node !== undefined && node !== null && !seen.has(node)) {
      seen.add(node);
      out.push(String(node), inspect(node, { depth: 20 }));
      if (node instanceof Error) out.push(node.message, node.stack ?? '');
      try {
        out.push(JSON.stringify(node) ?? '');
      } catch {
        // A cause that cannot be serialised cannot leak through JSON either.
      }
      node = (node as { cause?: unknown }).cause;
    }
    return out;
  }
  function expectClean(error: OtpError) {
    for (const text of renderings(error)) {
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain(BODY);
      expect(text).not.toContain('482913');
    }
  }
  const slow = () =>
    server.use(
      http.post(ENDPOINT, async () => {
        await delay(500);
        return new HttpResponse(SUCCESS, { headers: { 'content-type': 'application/json' } });
      }),
    );

  const cases: [string, () => void, Partial<KaleyraProviderOptions>][] = [
    ['401', () => serve(401, { code: 'E401', message: `Invalid api-key ${API_KEY}` }), {}],
    ['401 from the emulator (wrong key)', () => undefined, { apiKey: 'wrong-key-but-long' }],
    ['429', () => emulator.failNext({ kind: 'rate-limit', retryAfter: 3 }), {}],
    ['503', () => serve(503, `<html>${API_KEY} ${BODY}</html>`), {}],
    ['E404', () => serveJson(400, ERROR_E404), {}],
    ['network', () => server.use(http.post(ENDPOINT, () => HttpResponse.error())), {}],
    ['timeout', slow, { timeoutMs: 30 }],
    ['malformed', () => serve(200, `<html>${API_KEY} ${BODY}</html>`), {}],
    ['wrong shape', () => serve(200, { id: API_KEY, body: BODY }), {}],
  ];

  it.each(cases)('%s', async (_name, arrange, options) => {
    arrange();
    const error = await failure(provider(options).send({ to: TO, body: BODY }, context()));
    expectClean(error);
  });

  it('an abort, with the caller aborting mid-request', async () => {
    slow();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const error = await failure(provider().send({ to: TO, body: BODY }, context(controller.signal)));
    expect(error.code).toBe('ABORTED');
    expectClean(error);
  });

  it("Kaleyra's own message echoing the key and the body: both appear as [redacted]", async () => {
    serve(400, {
      code: 'E413',
      message: `Validation failed for api-key ${API_KEY}: body "${BODY}" is not allowed`,
      error: { body: BODY },
    });
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error.code).toBe('REJECTED');
    expect(error.message).toBe(
      'kaleyra: the vendor refused the message: Validation failed for api-key [redacted]: body "[redacted]" is not allowed (E413, HTTP 400)',
    );
    expectClean(error);
  });

  it('the same for a 401 and a 429 that echo them', async () => {
    for (const status of [401, 429, 503]) {
      serve(status, { code: 'E999', message: `key ${API_KEY} body ${BODY}` });
      const error = await failure(provider().send({ to: TO, body: BODY }, context()));
      expect(error.message).toContain('key [redacted] body [redacted]');
      expectClean(error);
    }
  });
});
