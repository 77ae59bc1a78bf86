import { performance } from 'node:perf_hooks';
import {
  type BreakerClosedEvent,
  type BreakerOpenEvent,
  createDispatcher,
  type OtpMessage,
} from '@otpkit/core';
import { expect, it, vi } from 'vitest';
import { createFallback } from './fault-script.js';
import type { FaultHarness } from './faults.js';

const TIMEOUT_MS = 500;
const COOLDOWN_MS = 2_000;
const FALLBACK_LATENCY_MS = 5;

const median = (values: number[]) => {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const round = (ms: number) => Math.round(ms * 10) / 10;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The reliability outcome over real sockets and real timers: the vendor as the primary, on a loopback
 * port, accepting connections and never answering; a fallback (5 ms) behind it. Default dispatcher
 * options except timeoutMs 500 and a 2 s cool-down, so the run stays short. The measured numbers are
 * printed as `OUTCOME ...` lines for docs/reliability.md.
 */
export function describeHangingVendor(name: string, getHarness: () => FaultHarness): void {
  it('a hanging vendor: fails over within timeoutMs + 1 s, then stays within 50 ms of the fallback, then returns after the cool-down', async () => {
    const { emulator, create } = getHarness();
    emulator.reset();
    // The first five requests are held until the client gives up; the vendor then takes them.
    emulator.failNext({ kind: 'delay', ms: Number.POSITIVE_INFINITY }, 5);
    const server = await emulator.listen();
    const vendor = create(server.url);
    const fallback = createFallback(FALLBACK_LATENCY_MS);
    const dispatcher = createDispatcher({
      providers: [vendor, fallback],
      timeoutMs: TIMEOUT_MS,
      breaker: { cooldownMs: COOLDOWN_MS },
    });
    const opened: BreakerOpenEvent[] = [];
    const closed: BreakerClosedEvent[] = [];
    dispatcher.on('breaker-open', (event) => void opened.push(event));
    dispatcher.on('breaker-closed', (event) => void closed.push(event));
    const message = (reference: string): OtpMessage => ({
      to: '+14155550123',
      body: 'Your code is 482913',
      reference,
    });
    const timedSend = async (reference: string) => {
      const started = performance.now();
      const result = await dispatcher.send(message(reference));
      return { result, ms: performance.now() - started };
    };
    try {
      // The fallback's own latency, sent directly (median of 10).
      const direct: number[] = [];
      for (let index = 0; index < 10; index++) {
        const started = performance.now();
        await fallback.send(message(`direct-${index}`), { signal: new AbortController().signal, attempt: 1 });
        direct.push(performance.now() - started);
      }
      const directMedian = median(direct);

      // 1st send: the vendor accepts the connection and stays silent; the fallback takes the send.
      const first = await timedSend('send-1');
      expect(first.result).toMatchObject({ provider: 'fallback', attempts: 2, unconfirmedAttempts: 1 });
      expect(first.ms).toBeLessThan(TIMEOUT_MS + 1000);
      expect(emulator.requests).toHaveLength(1);

      // Sends 2..5, at once: each times out on the vendor once (no retry, failFastOn), the 5th opens its breaker.
      const rest = await Promise.all([2, 3, 4, 5].map((index) => timedSend(`send-${index}`)));
      for (const send of rest)
        expect(send.result).toMatchObject({ provider: 'fallback', unconfirmedAttempts: 1 });
      expect(emulator.requests).toHaveLength(5);
      expect(opened).toHaveLength(1);
      expect(opened[0]).toMatchObject({ provider: vendor.id, consecutiveFailures: 5 });
      expect(dispatcher.health().providers[0]).toMatchObject({ id: vendor.id, state: 'open' });

      // Once open, sends skip the vendor: within 50 ms of a direct send to the fallback (median of 10).
      const skipped: number[] = [];
      for (let index = 0; index < 10; index++) {
        const send = await timedSend(`open-${index}`);
        expect(send.result).toMatchObject({ provider: 'fallback', attempts: 1, unconfirmedAttempts: 0 });
        skipped.push(send.ms);
      }
      const skippedMedian = median(skipped);
      expect(emulator.requests).toHaveLength(5);
      expect(skippedMedian - directMedian).toBeLessThan(50);

      // The vendor recovers (no fault is left); after the cool-down one probe goes to it, closes the
      // breaker, traffic follows.
      const probeAt = opened[0]!.probeAt;
      const early = await timedSend('before-probe');
      expect(early.result.provider).toBe('fallback');
      await sleep(Math.max(0, probeAt - Date.now()) + 20);
      const probe = await timedSend('probe');
      expect(probe.result).toMatchObject({ provider: vendor.id, attempts: 1 });
      expect(closed).toEqual([{ provider: vendor.id, at: expect.any(Number) }]);
      expect(dispatcher.health().providers[0]).toEqual({
        id: vendor.id,
        state: 'closed',
        consecutiveFailures: 0,
      });
      const after: number[] = [];
      const fallbackCalls = fallback.messages.length;
      for (let index = 0; index < 5; index++) {
        const send = await timedSend(`recovered-${index}`);
        expect(send.result.provider).toBe(vendor.id);
        after.push(send.ms);
      }
      expect(fallback.messages).toHaveLength(fallbackCalls);
      // The probe and the 5 after it, and the 5 held requests, taken once their client had gone (the
      // held ones reach the emulator in their own time on a busy machine: wait for them, bounded).
      await vi.waitFor(() => expect(emulator.accepted()).toBe(11), { timeout: 5_000, interval: 20 });
      expect(emulator.requests).toHaveLength(11);

      const returnedAfter = closed[0]!.at - opened[0]!.at;
      console.info(
        `OUTCOME ${name}-hanging: first send accepted by the fallback in ${round(first.ms)} ms (limit ${TIMEOUT_MS + 1000} ms, timeoutMs ${TIMEOUT_MS})`,
      );
      console.info(
        `OUTCOME ${name}-hanging: sends 2-5 (concurrent) ${rest.map((send) => round(send.ms)).join(' / ')} ms; breaker opened after ${opened[0]!.consecutiveFailures} timeouts`,
      );
      console.info(
        `OUTCOME ${name}-hanging: breaker open, median of 10 sends ${round(skippedMedian)} ms vs ${round(directMedian)} ms direct to the fallback (difference ${round(skippedMedian - directMedian)} ms, limit 50 ms); max ${round(Math.max(...skipped))} ms`,
      );
      console.info(
        `OUTCOME ${name}-hanging: recovered, the vendor took the probe ${returnedAfter} ms after the breaker opened (cooldownMs ${COOLDOWN_MS}); probe ${round(probe.ms)} ms, next 5 sends median ${round(median(after))} ms on ${vendor.id}`,
      );
    } finally {
      await dispatcher.close();
      await server.close();
    }
  }, 15_000);
}
