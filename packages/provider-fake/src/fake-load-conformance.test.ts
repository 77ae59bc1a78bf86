/**
 * The dispatcher's queue bound under 100 000 enqueues against a slow fake provider (moved from the
 * Kaleyra fault suite: no vendor is involved): bounded queue and memory, and close() settles every
 * accepted send with one terminal event. The `FAULTS run=memory-*` lines feed docs/reliability.md.
 */
import { createDispatcher, isOtpError } from '@otpkit/core';
import { listenerCounts } from '@otpkit/provider-conformance';
import { afterAll, describe, expect, it } from 'vitest';
import { createFakeProvider } from './fake-provider.js';

/** Errors met on the way: none may hold an OTP body. */
const errors: unknown[] = [];

describe('the dispatcher under load, with the fake provider', () => {
  it.each([
    { variant: 'drained', latencyMs: 2, deadlineMs: undefined },
    { variant: 'deadline', latencyMs: 60_000, deadlineMs: 1500 },
  ] as const)(
    '100000 enqueues against a slow provider: bounded queue and memory, close() settles everything ($variant)',
    async ({ variant, latencyMs, deadlineMs }) => {
      const total = 100_000;
      // `drained`: the fake answers in 2 ms, far slower than a synchronous loop of enqueues, and close()
      // waits for all of them. `deadline`: the fake takes a minute; every send ends at its deadline.
      const fake = createFakeProvider({ latencyMs });
      const dispatcher = createDispatcher({
        providers: [fake],
        ...(deadlineMs === undefined ? {} : { deadlineMs }),
      });
      const queued = new Map<string, number>();
      const terminal = new Map<string, number>();
      const failedCodes = new Map<string, number>();
      dispatcher.on('queued', (event) => queued.set(event.id, (queued.get(event.id) ?? 0) + 1));
      dispatcher.on('sent', (event) => terminal.set(event.id, (terminal.get(event.id) ?? 0) + 1));
      dispatcher.on('failed', (event) => {
        terminal.set(event.id, (terminal.get(event.id) ?? 0) + 1);
        failedCodes.set(event.error.code, (failedCodes.get(event.error.code) ?? 0) + 1);
        if (failedCodes.get(event.error.code) === 1) errors.push(event.error);
      });
      const before = listenerCounts(dispatcher);
      const ids: string[] = [];
      const refusals = new Map<string, number>();
      const refusalMessages = new Set<string>();
      const offset = variant === 'drained' ? 0 : total;

      const heapBefore = process.memoryUsage().heapUsed;
      const started = performance.now();
      for (let index = 0; index < total; index++) {
        const code = String(800_000 + offset + index);
        try {
          ids.push(
            dispatcher.enqueue({
              to: `+1${4_000_000_000 + offset + index}`,
              body: `Your otpkit verification code is ${code}. Never share it.`,
            }),
          );
        } catch (error) {
          const key = isOtpError(error) ? error.code : String(error);
          refusals.set(key, (refusals.get(key) ?? 0) + 1);
          if (!refusalMessages.has(String(error))) {
            refusalMessages.add(String(error));
            errors.push(error);
          }
        }
      }
      const intakeMs = Math.round(performance.now() - started);
      const heapGrowth = process.memoryUsage().heapUsed - heapBefore;

      expect(ids).toHaveLength(16 + 10_000);
      expect([...refusals]).toEqual([['QUEUE_FULL', total - 16 - 10_000]]);
      expect(dispatcher.queued).toBe(10_000);
      expect(dispatcher.queued).toBeLessThanOrEqual(10_000);
      expect(dispatcher.inFlight).toBe(16);
      expect(queued.size).toBe(ids.length);
      expect(heapGrowth).toBeLessThan(60 * 1024 * 1024);

      const closing = dispatcher.close();
      expect(() => dispatcher.enqueue({ to: '+14155550123', body: 'x' })).toThrowError(
        expect.objectContaining({ code: 'CLOSED' }),
      );
      await closing;
      const durationMs = Math.round(performance.now() - started);
      // Before close() resolved, every accepted send had its one terminal event.
      for (const id of ids) {
        expect(queued.get(id)).toBe(1);
        expect(terminal.get(id)).toBe(1);
      }
      expect(terminal.size).toBe(ids.length);
      expect(dispatcher.queued + dispatcher.inFlight).toBe(0);
      if (variant === 'drained') {
        expect(fake.messages).toHaveLength(ids.length);
        expect(failedCodes.size).toBe(0);
      } else {
        expect([...failedCodes]).toEqual([['TIMEOUT', ids.length]]);
      }
      expect(listenerCounts(dispatcher)).toEqual(before);
      console.info(
        `FAULTS run=memory-${variant} enqueues=${total} accepted=${ids.length} refused(QUEUE_FULL)=${refusals.get('QUEUE_FULL')} queuedPeak=10000 heapGrowth=${(heapGrowth / 1024 / 1024).toFixed(1)}MB intake=${intakeMs}ms closeSettled=${ids.length} (${variant === 'drained' ? 'all sent' : 'all TIMEOUT at the deadline'}) duration=${durationMs}ms`,
      );
    },
    20_000,
  );

  afterAll(() => {
    for (const error of errors) expect(String(error)).not.toContain('Never share it');
  });
});
