import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  type BreakerClosedEvent,
  type BreakerOpenEvent,
  createDispatcher,
  type Dispatcher,
  type OtpMessage,
} from '@otpkit/core';
import { createFakeProvider, type FakeProvider } from '@otpkit/provider-fake';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKaleyraProvider } from './kaleyra-provider.js';
import { createKaleyraEmulator } from './testing.js';

// The reliability issue's outcome, over real sockets and real timers: Kaleyra as the primary, pointed at
// a local server that accepts connections and never answers; the fake provider (5 ms) as the fallback.
// Default dispatcher options except timeoutMs 500 and a 2 s cool-down, so the whole run stays short.
// The measured numbers are printed as `OUTCOME ...` lines for docs/reliability.md.

const TIMEOUT_MS = 500;
const COOLDOWN_MS = 2_000;
const FALLBACK_LATENCY_MS = 5;
const CREDENTIALS = { sid: 'HXFAILOVER01IN', apiKey: 'Ak-failover-secret-key-0001' };
const message = (reference: string): OtpMessage => ({
  to: '+919876543210',
  body: 'Your code is 482913',
  templateId: '1107161234567890123',
  reference,
});

const emulator = createKaleyraEmulator(CREDENTIALS);
/** `hang`: accept the request and never answer; `answer`: answer as Kaleyra does. */
let mode: 'hang' | 'answer' = 'hang';
let requests = 0;
const server = http.createServer((incoming, outgoing) => {
  requests++;
  if (mode === 'hang') return; // never respond: the connection stays open until the client gives up
  void answer(incoming, outgoing);
});

async function answer(incoming: http.IncomingMessage, outgoing: http.ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [key, value] of Object.entries(incoming.headers)) {
    if (typeof value === 'string') headers.set(key, value);
  }
  const response = await emulator.handle(
    new Request(`http://${incoming.headers.host}${incoming.url}`, {
      method: incoming.method ?? 'POST',
      headers,
      ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
    }),
  );
  outgoing.writeHead(response.status, Object.fromEntries(response.headers));
  outgoing.end(Buffer.from(await response.arrayBuffer()));
}

let dispatcher: Dispatcher;
let fallback: FakeProvider;
const opened: BreakerOpenEvent[] = [];
const closed: BreakerClosedEvent[] = [];

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const kaleyra = createKaleyraProvider({ ...CREDENTIALS, baseUrl: `http://127.0.0.1:${port}` });
  fallback = createFakeProvider({ latencyMs: FALLBACK_LATENCY_MS });
  dispatcher = createDispatcher({
    providers: [kaleyra, fallback],
    timeoutMs: TIMEOUT_MS,
    breaker: { cooldownMs: COOLDOWN_MS },
  });
  dispatcher.on('breaker-open', (event) => void opened.push(event));
  dispatcher.on('breaker-closed', (event) => void closed.push(event));
});

afterAll(async () => {
  await dispatcher?.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const median = (values: number[]) => {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const round = (ms: number) => Math.round(ms * 10) / 10;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function timedSend(reference: string) {
  const started = performance.now();
  const result = await dispatcher.send(message(reference));
  return { result, ms: performance.now() - started };
}

describe('Outcome: Kaleyra hanging, fake fallback, real sockets', () => {
  it('fails over within timeoutMs + 1 s, then stays within 50 ms of the fallback, then returns after the cool-down', async () => {
    // The fallback's own latency, sent directly (median of 10).
    const direct: number[] = [];
    for (let index = 0; index < 10; index++) {
      const started = performance.now();
      await fallback.send(message(`direct-${index}`), { signal: new AbortController().signal, attempt: 1 });
      direct.push(performance.now() - started);
    }
    const directMedian = median(direct);

    // 1st send: Kaleyra accepts the connection and stays silent; the fallback takes the send.
    const first = await timedSend('send-1');
    expect(first.result).toMatchObject({ provider: 'fake', attempts: 2, unconfirmedAttempts: 1 });
    expect(first.ms).toBeLessThan(TIMEOUT_MS + 1000);
    expect(requests).toBe(1);

    // Sends 2..5, at once: each times out on Kaleyra once (no retry, failFastOn), the 5th opens its breaker.
    const rest = await Promise.all([2, 3, 4, 5].map((index) => timedSend(`send-${index}`)));
    for (const send of rest) expect(send.result).toMatchObject({ provider: 'fake', unconfirmedAttempts: 1 });
    expect(requests).toBe(5);
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({ provider: 'kaleyra', consecutiveFailures: 5 });
    expect(dispatcher.health().providers[0]).toMatchObject({ id: 'kaleyra', state: 'open' });

    // Once open, sends skip Kaleyra: within 50 ms of a direct send to the fallback (median of 10).
    const skipped: number[] = [];
    for (let index = 0; index < 10; index++) {
      const send = await timedSend(`open-${index}`);
      expect(send.result).toMatchObject({ provider: 'fake', attempts: 1, unconfirmedAttempts: 0 });
      skipped.push(send.ms);
    }
    const skippedMedian = median(skipped);
    expect(requests).toBe(5);
    expect(skippedMedian - directMedian).toBeLessThan(50);

    // Kaleyra recovers; after the cool-down one probe goes to it, closes the breaker, traffic follows.
    mode = 'answer';
    const probeAt = opened[0]!.probeAt;
    const early = await timedSend('before-probe');
    expect(early.result.provider).toBe('fake');
    await sleep(Math.max(0, probeAt - Date.now()) + 20);
    const probe = await timedSend('probe');
    expect(probe.result).toMatchObject({ provider: 'kaleyra', attempts: 1 });
    expect(closed).toEqual([{ provider: 'kaleyra', at: expect.any(Number) }]);
    expect(dispatcher.health().providers[0]).toEqual({
      id: 'kaleyra',
      state: 'closed',
      consecutiveFailures: 0,
    });
    const after: number[] = [];
    const fallbackCalls = fallback.calls;
    for (let index = 0; index < 5; index++) {
      const send = await timedSend(`recovered-${index}`);
      expect(send.result.provider).toBe('kaleyra');
      after.push(send.ms);
    }
    expect(fallback.calls).toBe(fallbackCalls);
    expect(emulator.accepted()).toBe(6);
    expect(requests).toBe(11);

    const returnedAfter = closed[0]!.at - opened[0]!.at;
    console.info(
      `OUTCOME kaleyra-hanging: first send accepted by the fallback in ${round(first.ms)} ms (limit ${TIMEOUT_MS + 1000} ms, timeoutMs ${TIMEOUT_MS})`,
    );
    console.info(
      `OUTCOME kaleyra-hanging: sends 2-5 (concurrent) ${rest.map((send) => round(send.ms)).join(' / ')} ms; breaker opened after ${opened[0]!.consecutiveFailures} timeouts`,
    );
    console.info(
      `OUTCOME kaleyra-hanging: breaker open, median of 10 sends ${round(skippedMedian)} ms vs ${round(directMedian)} ms direct to the fallback (difference ${round(skippedMedian - directMedian)} ms, limit 50 ms); max ${round(Math.max(...skipped))} ms`,
    );
    console.info(
      `OUTCOME kaleyra-hanging: recovered Kaleyra took the probe ${returnedAfter} ms after the breaker opened (cooldownMs ${COOLDOWN_MS}); probe ${round(probe.ms)} ms, next 5 sends median ${round(median(after))} ms on kaleyra`,
    );
  }, 15_000);
});
