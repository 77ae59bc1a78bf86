import { inspect } from 'node:util';
import { createDispatcher, type OtpErrorCode } from '@otpkit/core';
import { assertNoSecrets } from '@otpkit/provider-conformance';
import { describe, expect, it } from 'vitest';
import {
  API_KEY,
  API_SECRET,
  BODY,
  context,
  ENDPOINT,
  emulator,
  failure,
  provider,
  renderings,
  server,
  TO,
} from './__fixtures__/provider-setup.js';
import { createVonageEmulator } from './testing.js';

describe('secrets: never in an error, nor in what the emulator records', () => {
  const secrets = [API_SECRET, BODY];

  it("redacts the secret and the body when Vonage's error-text echoes them, encoded or not", async () => {
    const echoes = [
      `bad api_secret ${API_SECRET} for text "${BODY}"`,
      `bad request: api_key=${API_KEY}&api_secret=${API_SECRET}&text=${new URLSearchParams({ t: BODY }).toString().slice(2)}`,
    ];
    for (const errorText of echoes) {
      emulator.failNext({ kind: 'status', status: '3', errorText });
      const error = await failure(provider().send({ to: TO, body: BODY }, context()));
      expect(error.code).toBe('REJECTED');
      expect(error.message).toContain('[redacted]');
      assertNoSecrets(error, secrets);
      expect(renderings(error)).not.toContain(API_SECRET);
      expect(renderings(error)).not.toContain('482913');
    }
  });

  it('a secret with characters that form-encoding changes is redacted in every spelling', async () => {
    const secret = 'p+s/cr=t&key%01';
    const local = createVonageEmulator({ apiKey: API_KEY, apiSecret: secret });
    server.use(...local.handlers);
    const formSpelling = new URLSearchParams({ s: secret }).toString().slice(2);
    expect(formSpelling).not.toBe(secret);
    local.failNext({
      kind: 'status',
      status: '3',
      errorText: `echo: ${secret} ${formSpelling} ${encodeURIComponent(secret)}`,
    });
    const error = await failure(provider({ apiSecret: secret }).send({ to: TO, body: BODY }, context()));
    expect(error.message).toBe(
      'vonage: the vendor refused the message: echo: [redacted] [redacted] [redacted] (3, HTTP 200)',
    );
  });

  it('every failure kind keeps the secret out of the message, the JSON, the cause chain and inspect()', async () => {
    const faults = [
      { kind: 'status', status: '4' },
      { kind: 'status', status: '1', part: 3 },
      { kind: 'rate-limit', retryAfter: 1 },
      { kind: 'unavailable' },
      { kind: 'network' },
      { kind: 'malformed' },
      { kind: 'error', code: '9', message: `Partner Quota Violation for ${API_SECRET}` },
      { kind: 'reply', status: 200, body: { messages: 'nope', api_secret: API_SECRET } },
      { kind: 'reply', status: 400, body: { 'error-text': API_SECRET } },
    ] as const;
    for (const fault of faults) {
      emulator.failNext(fault);
      const error = await failure(provider().send({ to: TO, body: BODY }, context()));
      assertNoSecrets(error, secrets);
      expect(renderings(error), fault.kind).not.toContain(API_SECRET);
      expect(renderings(error), fault.kind).not.toContain(BODY);
    }
    emulator.failNext({ kind: 'delay', ms: Number.POSITIVE_INFINITY });
    const timeout = await failure(provider({ timeoutMs: 30 }).send({ to: TO, body: BODY }, context()));
    expect(timeout.code).toBe('TIMEOUT');
    expect(renderings(timeout)).not.toContain(API_SECRET);
  });

  it('the emulator records api_secret as [redacted], in the form and in a query', async () => {
    await provider().send({ to: TO, body: BODY }, context());
    await emulator.handle(
      new Request(`${ENDPOINT}?api_secret=${API_SECRET}&x=1`, {
        method: 'POST',
        body: new URLSearchParams(),
      }),
    );
    expect(emulator.requests[0]!.form.api_secret).toBe('[redacted]');
    expect(emulator.requests[0]!.form.api_key).toBe(API_KEY);
    expect(emulator.requests[1]!.path).toBe('/sms/json?api_secret=%5Bredacted%5D&x=1');
    expect(JSON.stringify(emulator.requests)).not.toContain(API_SECRET);
  });

  it('through a dispatcher: the failed event and the rejection carry no secret', async () => {
    const dispatcher = createDispatcher({
      providers: [provider()],
      retry: { retries: 1, minDelayMs: 1, maxDelayMs: 1 },
    });
    const seen: unknown[] = [];
    dispatcher.on('failed', (event) => seen.push(event));
    emulator.failNext({ kind: 'status', status: '5', errorText: `down, secret ${API_SECRET}` }, 2);
    const error = await failure(dispatcher.send({ to: TO, body: BODY }));
    expect(error.code).toBe('PROVIDER_UNAVAILABLE');
    expect(emulator.requests).toHaveLength(2);
    assertNoSecrets(error, secrets);
    expect(inspect(seen, { depth: 10 })).not.toContain(API_SECRET);
    await dispatcher.close();
  });
});

describe('through a dispatcher', () => {
  it('retries status 1 (throttled in a 200), then succeeds', async () => {
    const dispatcher = createDispatcher({ providers: [provider()], retry: { minDelayMs: 1, maxDelayMs: 1 } });
    emulator.failNext({ kind: 'status', status: '1' });
    const result = await dispatcher.send({ to: TO, body: BODY });
    expect(result.attempts).toBe(2);
    expect(result.messageId).toMatch(/^[0-9A-F]{16}$/);
    await dispatcher.close();
  });

  it.each([
    ['7', 'REJECTED'],
    ['4', 'AUTHENTICATION'],
  ] as const)('does not retry status %s (%s)', async (status, code: OtpErrorCode) => {
    const dispatcher = createDispatcher({ providers: [provider()], retry: { minDelayMs: 1, maxDelayMs: 1 } });
    emulator.failNext({ kind: 'status', status });
    expect((await failure(dispatcher.send({ to: TO, body: BODY }))).code).toBe(code);
    expect(emulator.requests).toHaveLength(1);
    await dispatcher.close();
  });
});
