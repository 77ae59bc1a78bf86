import { isOtpError } from '@otpkit/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ACCOUNT_SID,
  API_KEY_SECRET,
  API_KEY_SID,
  AUTH_TOKEN,
  emulator,
  GOOD_AUTH,
  good,
  PATH,
  post,
  URL_,
} from './__fixtures__/emulator-setup.js';
import type { TwilioEmulatorServer } from './testing.js';
import { createTwilioProvider } from './twilio-provider.js';

describe('failNext and reset', () => {
  it('rate-limit: 429, 20429, Retry-After when given', async () => {
    emulator.failNext({ kind: 'rate-limit', retryAfter: 7 }).failNext({ kind: 'rate-limit' });
    const first = await post(good);
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('7');
    expect(await first.json()).toMatchObject({ code: 20429, status: 429 });
    const second = await post(good);
    expect(second.headers.get('retry-after')).toBeNull();
  });

  it('unavailable: 503 by default, or the status given, 20500', async () => {
    emulator.failNext({ kind: 'unavailable' }).failNext({ kind: 'unavailable', status: 500 });
    const first = await post(good);
    expect(first.status).toBe(503);
    expect(await first.json()).toMatchObject({ code: 20500, status: 503 });
    expect((await post(good)).status).toBe(500);
  });

  it('error: Twilio’s body for any code', async () => {
    emulator.failNext({ kind: 'error', code: 21610, message: 'Attempt to send to unsubscribed recipient' });
    const response = await post(good);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      code: 21610,
      message: 'Attempt to send to unsubscribed recipient',
      more_info: 'https://www.twilio.com/docs/errors/21610',
      status: 400,
    });
  });

  it('malformed and reply', async () => {
    emulator
      .failNext({ kind: 'malformed' })
      .failNext({ kind: 'reply', status: 202, body: { sid: 'SMx' }, headers: { 'x-test': '1' } });
    const malformed = await post(good);
    expect(malformed.status).toBe(200);
    expect(await malformed.text()).toContain('<html>');
    const reply = await post(good);
    expect(reply.status).toBe(202);
    expect(reply.headers.get('x-test')).toBe('1');
    expect(await reply.json()).toEqual({ sid: 'SMx' });
  });

  it('network: an error response', async () => {
    emulator.failNext({ kind: 'network' });
    expect((await post(good)).type).toBe('error');
  });

  it('delay: answers normally afterwards; Infinity ends when the request is aborted', async () => {
    emulator.failNext({ kind: 'delay', ms: 20 });
    const started = Date.now();
    expect((await post(good)).status).toBe(201);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);

    emulator.failNext({ kind: 'delay', ms: Number.POSITIVE_INFINITY });
    const controller = new AbortController();
    const pending = emulator.handle(
      new Request(URL_, {
        method: 'POST',
        headers: { authorization: GOOD_AUTH },
        body: new URLSearchParams(good),
        signal: controller.signal,
      }),
    );
    setTimeout(() => controller.abort(), 10);
    expect((await pending).status).toBe(201);
  });

  it('times: the next n requests fail, then normal answers', async () => {
    emulator.failNext({ kind: 'unavailable' }, 2);
    expect((await post(good)).status).toBe(503);
    expect((await post(good)).status).toBe(503);
    expect((await post(good)).status).toBe(201);
  });

  it('reset forgets requests, counts and pending faults', async () => {
    emulator.failNext({ kind: 'unavailable' }, 3);
    await post(good);
    emulator.reset();
    expect(emulator.requests).toHaveLength(0);
    expect((await post(good)).status).toBe(201);
    emulator.reset();
    expect(emulator.accepted()).toBe(0);
  });
});

describe('listen(): a real HTTP server', () => {
  let running: TwilioEmulatorServer | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  it('the provider sends through it over a socket, with both auth modes', async () => {
    running = await emulator.listen();
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const byToken = createTwilioProvider({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      from: 'OTPKIT',
      baseUrl: running.url,
    });
    const byKey = createTwilioProvider({
      accountSid: ACCOUNT_SID,
      apiKeySid: API_KEY_SID,
      apiKeySecret: API_KEY_SECRET,
      from: 'OTPKIT',
      baseUrl: running.url,
    });
    const context = { signal: new AbortController().signal, attempt: 1 };
    const receipt = await byToken.send({ to: good.To, body: good.Body }, context);
    expect(receipt.messageId).toMatch(/^SM[0-9a-f]{32}$/);
    await byKey.send({ to: good.To, body: good.Body }, context);
    expect(emulator.requests.map((request) => [request.path, request.auth])).toEqual([
      [PATH, 'auth-token'],
      [PATH, 'api-key'],
    ]);
  });

  it('a network fault resets the connection: NETWORK', async () => {
    running = await emulator.listen();
    emulator.failNext({ kind: 'network' });
    const provider = createTwilioProvider({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      from: 'OTPKIT',
      baseUrl: running.url,
    });
    const outcome = await provider
      .send({ to: good.To, body: good.Body }, { signal: new AbortController().signal, attempt: 1 })
      .catch((error: unknown) => error);
    expect(isOtpError(outcome, 'NETWORK')).toBe(true);
  });
});
