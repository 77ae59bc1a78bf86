import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isOtpError, OTP_ERROR_CODES, OtpError, type OtpErrorCode } from '../errors.js';
import type { DispatchEventBase, DispatcherEventName } from '../events.js';
import type { OtpProvider, SendReceipt } from '../types.js';
import { createDispatcher, type DispatchResult } from './index.js';

const CODE = '739146';
const BODY = `Your code is ${CODE}`;
const TO = '+14155550123';

/** What one provider call does. */
type Outcome =
  | { kind: 'ok' }
  | { kind: 'hang' }
  | { kind: 'throw' }
  | { kind: 'error'; code: OtpErrorCode; retryAfterMs: number | undefined };

const outcome: fc.Arbitrary<Outcome> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<Outcome>({ kind: 'ok' }) },
  { weight: 1, arbitrary: fc.constant<Outcome>({ kind: 'hang' }) },
  { weight: 1, arbitrary: fc.constant<Outcome>({ kind: 'throw' }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('error' as const),
      code: fc.constantFrom(...OTP_ERROR_CODES),
      retryAfterMs: fc.option(fc.constantFrom(0, 5, 50), { nil: undefined }),
    }),
  },
);

const sendSpec = fc.record({
  /** One send in five has a refused recipient. */
  invalid: fc.nat({ max: 4 }).map((n) => n === 0),
  viaEnqueue: fc.boolean(),
  /** undefined: no signal; 0: already aborted; n: aborted n ms after the send. */
  abortAfterMs: fc.option(fc.integer({ min: 0, max: 150 }), { nil: undefined }),
});

const scenario = fc.record({
  scripts: fc.array(fc.array(outcome, { maxLength: 8 }), { minLength: 1, maxLength: 3 }),
  sends: fc.array(sendSpec, { minLength: 1, maxLength: 6 }),
  concurrency: fc.integer({ min: 1, max: 3 }),
  maxQueue: fc.integer({ min: 0, max: 4 }),
  retries: fc.integer({ min: 0, max: 3 }),
  closeAfter: fc.option(fc.nat({ max: 6 }), { nil: undefined }),
});

function scriptedProvider(id: string, script: Outcome[]): OtpProvider & { calls: number } {
  let accepted = 0;
  const provider = {
    id,
    calls: 0,
    send(message: { to: string }): Promise<SendReceipt> {
      provider.calls++;
      const next = script.shift() ?? { kind: 'ok' };
      switch (next.kind) {
        case 'ok':
          return Promise.resolve({
            provider: id,
            messageId: `${id}-${++accepted}`,
            to: message.to,
            acceptedAt: new Date(),
            raw: { echoed: BODY },
          });
        case 'hang':
          return new Promise<SendReceipt>(() => {});
        case 'throw':
          return Promise.reject(new Error(`${id} exploded`));
        case 'error':
          return Promise.reject(
            new OtpError(next.code, `${id}: scripted ${next.code}`, {
              provider: id,
              ...(next.retryAfterMs === undefined ? {} : { retryAfterMs: next.retryAfterMs }),
            }),
          );
      }
    },
  };
  return provider;
}

const REFUSAL_CODES: readonly OtpErrorCode[] = ['INVALID_INPUT', 'QUEUE_FULL', 'CLOSED', 'ABORTED'];

beforeEach(() => {
  vi.useFakeTimers();
  vi.spyOn(Math, 'random').mockReturnValue(0.5);
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('Dispatcher invariant', () => {
  it('every accepted send emits exactly one queued and one terminal event, and settles as that event said', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ scripts, sends, concurrency, maxQueue, retries, closeAfter }) => {
        const providers = scripts.map((script, index) => scriptedProvider(`p${index}`, [...script]));
        const dispatcher = createDispatcher({
          providers,
          concurrency,
          maxQueue,
          timeoutMs: 30,
          retry: { retries, minDelayMs: 2, maxDelayMs: 10, maxRetryAfterMs: 20 },
          onListenerError: () => {},
        });
        const log: { name: DispatcherEventName | 'closed'; id?: string; payload?: unknown }[] = [];
        for (const name of ['queued', 'retrying', 'failover', 'sent', 'failed'] as const) {
          dispatcher.on(name, (payload: DispatchEventBase) => {
            log.push({ name, id: payload.id, payload });
          });
        }
        // A broken listener must not matter.
        dispatcher.on('sent', () => {
          throw new Error('listener bug');
        });

        interface Accepted {
          id: string;
          settled?: { ok: true; value: DispatchResult } | { ok: false; reason: unknown };
          viaEnqueue: boolean;
        }
        const accepted: Accepted[] = [];
        let closing: Promise<void> | undefined;

        for (const [index, spec] of sends.entries()) {
          if (closeAfter === index) {
            closing = dispatcher.close().then(() => {
              log.push({ name: 'closed' });
            });
          }
          const msg = spec.invalid ? { to: `${TO}, ${TO}`, body: BODY } : { to: TO, body: BODY };
          const queuedBefore = log.filter((entry) => entry.name === 'queued').length;
          if (spec.viaEnqueue) {
            let id: string | undefined;
            try {
              id = dispatcher.enqueue(msg);
            } catch (error) {
              expect(isOtpError(error)).toBe(true);
              expect(REFUSAL_CODES).toContain((error as OtpError).code);
            }
            const queuedAfter = log.filter((entry) => entry.name === 'queued');
            if (id === undefined) {
              expect(queuedAfter).toHaveLength(queuedBefore);
            } else {
              expect(queuedAfter).toHaveLength(queuedBefore + 1);
              expect(queuedAfter.at(-1)!.id).toBe(id);
              accepted.push({ id, viaEnqueue: true });
            }
            continue;
          }
          let signal: AbortSignal | undefined;
          if (spec.abortAfterMs !== undefined) {
            const controller = new AbortController();
            if (spec.abortAfterMs === 0) controller.abort();
            else setTimeout(() => controller.abort(), spec.abortAfterMs);
            signal = controller.signal;
          }
          const promise = dispatcher.send(msg, signal ? { signal } : {});
          const queuedAfter = log.filter((entry) => entry.name === 'queued');
          if (queuedAfter.length === queuedBefore) {
            // Refused: rejected at once, no event.
            const reason = await promise.then(
              () => undefined,
              (error: unknown) => error,
            );
            expect(isOtpError(reason)).toBe(true);
            expect(REFUSAL_CODES).toContain((reason as OtpError).code);
            if (spec.invalid) expect((reason as OtpError).code).not.toBe('QUEUE_FULL');
          } else {
            expect(spec.invalid).toBe(false);
            const entry: Accepted = { id: queuedAfter.at(-1)!.id!, viaEnqueue: false };
            promise.then(
              (value) => {
                entry.settled = { ok: true, value };
              },
              (reason: unknown) => {
                entry.settled = { ok: false, reason };
              },
            );
            accepted.push(entry);
          }
        }
        closing ??= dispatcher.close().then(() => {
          log.push({ name: 'closed' });
        });
        await vi.runAllTimersAsync();
        await closing;

        expect(dispatcher.inFlight).toBe(0);
        expect(dispatcher.queued).toBe(0);
        const ids = new Set(accepted.map((send) => send.id));
        expect(ids.size).toBe(accepted.length);
        // No event about a send that was not accepted.
        for (const entry of log) if (entry.name !== 'closed') expect(ids.has(entry.id!)).toBe(true);

        const closedAt = log.findIndex((entry) => entry.name === 'closed');
        expect(closedAt).toBe(log.length - 1);
        let totalAttempts = 0;
        for (const send of accepted) {
          const own = log.filter((entry) => entry.id === send.id);
          const terminal = own.filter((entry) => entry.name === 'sent' || entry.name === 'failed');
          expect(own.filter((entry) => entry.name === 'queued')).toHaveLength(1);
          expect(terminal).toHaveLength(1);
          expect(own[0]!.name).toBe('queued');
          expect(own.at(-1)).toBe(terminal[0]);
          const [end] = terminal;
          if (!send.viaEnqueue) {
            expect(send.settled).toBeDefined();
            if (end!.name === 'sent') {
              expect(send.settled!.ok).toBe(true);
              const result = (send.settled as { value: DispatchResult }).value;
              expect(result.id).toBe(send.id);
              expect((end!.payload as { receipt: SendReceipt }).receipt.messageId).toBe(result.messageId);
              expect(result.attempts).toBe((end!.payload as { attempt: number }).attempt);
            } else {
              expect(send.settled!.ok).toBe(false);
              expect((send.settled as { reason: unknown }).reason).toBe(
                (end!.payload as { error: unknown }).error,
              );
            }
          }
          if (end!.name === 'failed') {
            const error = (end!.payload as { error: unknown }).error;
            expect(isOtpError(error)).toBe(true);
          }
          totalAttempts += (end!.payload as { attempt: number }).attempt;
        }
        // Every provider call is one attempt of exactly one send.
        expect(providers.reduce((sum, provider) => sum + provider.calls, 0)).toBe(totalAttempts);
        for (const entry of log) expect(JSON.stringify(entry.payload ?? {})).not.toContain(CODE);
      }),
      { numRuns: 100, seed: 20300102 },
    );
  });
});
