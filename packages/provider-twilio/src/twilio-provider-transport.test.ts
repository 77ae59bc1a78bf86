import { inspect } from 'node:util';
import { createDispatcher, type RetryingEvent, type SentEvent } from '@otpkit/core';
import { assertNoSecrets } from '@otpkit/provider-conformance';
import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_SID,
  API_KEY_SECRET,
  API_KEY_SID,
  AUTH_TOKEN,
  apiKeyProvider,
  BODY,
  basic,
  context,
  emulator,
  failure,
  provider,
  serve,
  TO,
} from './__fixtures__/provider-setup.js';

describe('errors: Retry-After', () => {
  it('429 with Retry-After in seconds → retryAfterMs', async () => {
    emulator.failNext({ kind: 'rate-limit', retryAfter: 7 });
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error).toMatchObject({
      code: 'RATE_LIMITED',
      retryable: true,
      retryAfterMs: 7000,
      providerCode: '20429',
    });
  });

  it('429 with Retry-After as an HTTP date → retryAfterMs from now', async () => {
    emulator.failNext({ kind: 'rate-limit', retryAfter: new Date(Date.now() + 60_000).toUTCString() });
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error.retryAfterMs).toBeGreaterThan(55_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('429 without Retry-After → no retryAfterMs', async () => {
    emulator.failNext({ kind: 'rate-limit' });
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryAfterMs).toBeUndefined();
  });

  it('503 with Retry-After → PROVIDER_UNAVAILABLE with retryAfterMs', async () => {
    serve(503, { code: 20500, message: 'Internal Server Error', status: 503 }, { 'retry-after': '3' });
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryAfterMs: 3000 });
  });

  it('under a dispatcher: the retry waits Retry-After, then the send succeeds; the sent event has no raw', async () => {
    emulator.failNext({ kind: 'rate-limit', retryAfter: '0.05' });
    const dispatcher = createDispatcher({
      providers: [provider()],
      retry: { retries: 1, minDelayMs: 1, maxDelayMs: 1 },
    });
    const retrying: RetryingEvent[] = [];
    const sent: SentEvent[] = [];
    dispatcher.on('retrying', (event) => retrying.push(event));
    dispatcher.on('sent', (event) => sent.push(event));
    const result = await dispatcher.send({ to: TO, body: BODY });
    await dispatcher.close();
    expect(result.provider).toBe('twilio');
    expect(retrying).toHaveLength(1);
    expect(retrying[0]!.delayMs).toBe(50);
    expect(retrying[0]!.error.code).toBe('RATE_LIMITED');
    expect(JSON.stringify(sent)).not.toContain(BODY);
  });
});

describe('errors: transport', () => {
  it('a network failure → NETWORK', async () => {
    emulator.failNext({ kind: 'network' });
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error).toMatchObject({ code: 'NETWORK', retryable: true, provider: 'twilio' });
  });

  it("the provider's timeoutMs → TIMEOUT", async () => {
    emulator.failNext({ kind: 'delay', ms: Number.POSITIVE_INFINITY });
    const error = await failure(provider({ timeoutMs: 50 }).send({ to: TO, body: BODY }, context()));
    expect(error).toMatchObject({ code: 'TIMEOUT', retryable: true, provider: 'twilio' });
  });

  it("the caller's abort → ABORTED", async () => {
    emulator.failNext({ kind: 'delay', ms: Number.POSITIVE_INFINITY });
    const controller = new AbortController();
    const pending = failure(provider().send({ to: TO, body: BODY }, context(controller.signal)));
    setTimeout(() => controller.abort(), 20);
    expect((await pending).code).toBe('ABORTED');
  });
});

describe('no secret in any error: message, cause chain, JSON', () => {
  const modes = [
    ['Auth Token', AUTH_TOKEN, basic(ACCOUNT_SID, AUTH_TOKEN), () => provider({ timeoutMs: 50 })],
    ['API key', API_KEY_SECRET, basic(API_KEY_SID, API_KEY_SECRET), () => apiKeyProvider({ timeoutMs: 50 })],
  ] as const;

  for (const [mode, secret, header, make] of modes) {
    /** A Twilio error text that echoes the secret the provider holds, its Basic header and the body. */
    const echo = `echo: ${secret} | ${header} | ${BODY}`;
    const scenarios: [string, () => void][] = [
      ['401', () => emulator.failNext({ kind: 'error', status: 401, code: 20003, message: echo })],
      ['403', () => emulator.failNext({ kind: 'error', status: 403, code: 20403, message: echo })],
      ['429', () => emulator.failNext({ kind: 'error', status: 429, code: 20429, message: echo })],
      ['400 21211', () => emulator.failNext({ kind: 'error', code: 21211, message: echo })],
      ['500', () => emulator.failNext({ kind: 'error', status: 500, code: 20500, message: echo })],
      ['400 unknown', () => emulator.failNext({ kind: 'error', code: 29999, message: echo })],
      ['malformed', () => emulator.failNext({ kind: 'malformed', status: 502 })],
      [
        '2xx without sid',
        () => emulator.failNext({ kind: 'reply', status: 201, body: { body: BODY, echo } }),
      ],
      ['network', () => emulator.failNext({ kind: 'network' })],
      ['timeout', () => emulator.failNext({ kind: 'delay', ms: Number.POSITIVE_INFINITY })],
    ];

    it.each(scenarios)(`${mode}: %s`, async (_, behave) => {
      behave();
      const error = await failure(make().send({ to: TO, body: BODY }, context()));
      assertNoSecrets(error, [secret, header.slice('Basic '.length), BODY]);
      expect(inspect(error, { depth: 10 })).not.toContain(secret);
    });
  }

  it("Twilio's text keeps what is not secret, with [redacted] in place of the secrets", async () => {
    emulator.failNext({
      kind: 'error',
      code: 21211,
      message: `The 'To' number ${TO} is bad; token ${AUTH_TOKEN}; ${BODY}`,
    });
    const error = await failure(provider().send({ to: TO, body: BODY }, context()));
    expect(error.message).toBe(
      `twilio: the vendor refused the message: The 'To' number ${TO} is bad; token [redacted]; [redacted] (21211, HTTP 400)`,
    );
  });
});
