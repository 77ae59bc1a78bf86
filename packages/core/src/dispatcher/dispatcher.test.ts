import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DispatcherOptions } from '../dispatcher-options.js';
import { isOtpError, OTP_ERROR_CODES, OtpError, type OtpErrorCode } from '../errors.js';
import type { DispatcherEventName, DispatcherEvents } from '../events.js';
import type { OtpMessage, OtpProvider, SendContext, SendReceipt } from '../types.js';
import { createDispatcher, type Dispatcher, type DispatchResult, FAILOVER_CODES } from './index.js';

// ---------------------------------------------------------------------------------------------------------
// A tiny scripted provider (core must not depend on @otpkit/provider-fake).
// ---------------------------------------------------------------------------------------------------------

const CODE = '482913';
const BODY = `Your code is ${CODE}`;
const TO = '+919876543210';
const message = (extra: Partial<OtpMessage> = {}): OtpMessage => ({ to: TO, body: BODY, ...extra });

/** What one call to `send` does. */
type Outcome =
  | 'ok'
  /** Never settles and ignores the signal. */
  | 'hang'
  | OtpErrorCode
  | OtpError
  | ((message: OtpMessage, context: SendContext) => Promise<SendReceipt>);

interface ScriptedProvider extends OtpProvider {
  readonly calls: { message: OtpMessage; context: SendContext }[];
}

/** A provider that plays `script` call by call, then `otherwise` for every further call. */
function scripted(id: string, script: Outcome[] = [], otherwise: Outcome = 'ok'): ScriptedProvider {
  const calls: ScriptedProvider['calls'] = [];
  let accepted = 0;
  return {
    id,
    calls,
    send(msg, context) {
      calls.push({ message: msg, context });
      const outcome = script.shift() ?? otherwise;
      if (outcome === 'ok') {
        accepted++;
        // Like real vendors, `raw` echoes the body.
        return Promise.resolve({
          provider: id,
          messageId: `${id}-${accepted}`,
          to: msg.to,
          acceptedAt: new Date(),
          raw: { body: msg.body, status: 'accepted' },
        });
      }
      if (outcome === 'hang') return new Promise<SendReceipt>(() => {});
      if (typeof outcome === 'function') return outcome(msg, context);
      return Promise.reject(
        typeof outcome === 'string'
          ? new OtpError(outcome, `${id}: scripted ${outcome}`, { provider: id })
          : outcome,
      );
    },
  };
}

/** A deferred answer, for providers the test settles by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

// ---------------------------------------------------------------------------------------------------------
// Events and outcomes.
// ---------------------------------------------------------------------------------------------------------

const EVENT_NAMES = [
  'queued',
  'retrying',
  'failover',
  'sent',
  'failed',
  'delivered',
  'undelivered',
] as const satisfies readonly DispatcherEventName[];

type Payload<E extends DispatcherEventName> = Parameters<DispatcherEvents[E]>[0];
type Recorded = { [E in DispatcherEventName]: { name: E; payload: Payload<E> } }[DispatcherEventName];

function record(dispatcher: Dispatcher): Recorded[] {
  const events: Recorded[] = [];
  for (const name of EVENT_NAMES) {
    dispatcher.on(name, ((payload: unknown) => {
      events.push({ name, payload } as Recorded);
    }) as DispatcherEvents[typeof name]);
  }
  return events;
}

function payloads<E extends DispatcherEventName>(events: readonly Recorded[], name: E): Payload<E>[] {
  return events.filter((event) => event.name === name).map((event) => event.payload as Payload<E>);
}

const names = (events: readonly Recorded[]) => events.map((event) => event.name);

interface Tracked<T> {
  status: 'pending' | 'fulfilled' | 'rejected';
  value?: T;
  reason?: unknown;
}

/** Follows a promise without leaving a rejection unhandled while timers are advanced. */
function track<T>(promise: Promise<T>): Tracked<T> {
  const state: Tracked<T> = { status: 'pending' };
  promise.then(
    (value) => {
      state.status = 'fulfilled';
      state.value = value;
    },
    (reason: unknown) => {
      state.status = 'rejected';
      state.reason = reason;
    },
  );
  return state;
}

function expectOtpError(reason: unknown, code: OtpErrorCode): OtpError {
  expect(isOtpError(reason), `expected an OtpError ${code}, got ${String(reason)}`).toBe(true);
  expect((reason as OtpError).code).toBe(code);
  return reason as OtpError;
}

async function rejection(promise: Promise<unknown>, code: OtpErrorCode): Promise<OtpError> {
  const reason = await promise.then(
    () => new Error('expected a rejection'),
    (error: unknown) => error,
  );
  return expectOtpError(reason, code);
}

/** Lets every pending promise chain run (fake timers: a zero advance yields to the real event loop). */
const flush = () => vi.advanceTimersByTimeAsync(0);

const NOW = new Date('2030-01-02T03:04:05.000Z');

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(NOW);
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

function dispatcherOf(
  providers: OtpProvider[],
  options: Omit<DispatcherOptions, 'providers'> = {},
): { dispatcher: Dispatcher; events: Recorded[] } {
  const dispatcher = createDispatcher({ ...options, providers });
  return { dispatcher, events: record(dispatcher) };
}

// ---------------------------------------------------------------------------------------------------------

describe('Dispatcher: a successful send', () => {
  it('resolves with the whole receipt, the dispatch id and the attempts', async () => {
    const a = scripted('a');
    const { dispatcher, events } = dispatcherOf([a]);
    const result = await dispatcher.send(message({ reference: 'order-42' }));
    expect(result).toEqual({
      provider: 'a',
      messageId: 'a-1',
      to: TO,
      acceptedAt: NOW,
      raw: { body: BODY, status: 'accepted' },
      id: expect.any(String),
      attempts: 1,
      unconfirmedAttempts: 0,
    });
    expect(names(events)).toEqual(['queued', 'sent']);
    expect(a.calls).toHaveLength(1);
    expect(a.calls[0]!.context.attempt).toBe(1);
    // The attempt's deadline: when the dispatcher will abort it (timeoutMs after it started).
    expect(a.calls[0]!.context.deadline).toBe(NOW.getTime() + 10_000);
    expect(a.calls[0]!.context.signal).toBeInstanceOf(AbortSignal);
    expect(a.calls[0]!.context.signal.aborted).toBe(false);
  });

  it('hands the provider the validated copy, without unknown keys', async () => {
    const a = scripted('a');
    const { dispatcher } = dispatcherOf([a]);
    await dispatcher.send({ ...message({ sender: 'ACME' }), apiKey: 'nope' } as OtpMessage);
    expect(a.calls[0]!.message).toEqual({ to: TO, body: BODY, sender: 'ACME' });
  });

  it('enqueue returns the dispatch id at once and reports through events only', async () => {
    const { dispatcher, events } = dispatcherOf([scripted('a')]);
    const id = dispatcher.enqueue(message());
    expect(typeof id).toBe('string');
    expect(payloads(events, 'queued').map((event) => event.id)).toEqual([id]);
    await flush();
    expect(payloads(events, 'sent').map((event) => event.id)).toEqual([id]);
  });

  it('gives every send its own dispatch id', async () => {
    const { dispatcher } = dispatcherOf([scripted('a')]);
    const results = await Promise.all([dispatcher.send(message()), dispatcher.send(message())]);
    expect(new Set(results.map((result) => result.id)).size).toBe(2);
    expect(results.map((result) => result.messageId)).toEqual(['a-1', 'a-2']);
  });
});

describe('Dispatcher: refused sends', () => {
  it('rejects INVALID_INPUT without calling a provider or emitting anything', async () => {
    const a = scripted('a');
    const { dispatcher, events } = dispatcherOf([a]);
    let promise: Promise<DispatchResult> | undefined;
    expect(() => {
      promise = dispatcher.send({ to: '+91 98765 43210', body: BODY });
    }).not.toThrow();
    const error = await rejection(promise!, 'INVALID_INPUT');
    expect(error.message).toContain('to:');
    expect(JSON.stringify(error)).not.toContain(CODE);
    await flush();
    expect(a.calls).toHaveLength(0);
    expect(events).toEqual([]);
    expect(dispatcher.queued).toBe(0);
    expect(dispatcher.inFlight).toBe(0);
  });

  it('enqueue throws INVALID_INPUT synchronously and emits nothing', async () => {
    const a = scripted('a');
    const { dispatcher, events } = dispatcherOf([a]);
    expect(() => dispatcher.enqueue({ to: TO, body: '' })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    await flush();
    expect(a.calls).toHaveLength(0);
    expect(events).toEqual([]);
  });

  it('QUEUE_FULL: with concurrency 1 and maxQueue 1, a third send is refused at once and emits nothing', async () => {
    const slow = scripted(
      'a',
      [],
      (msg) => new Promise((resolve) => setTimeout(() => resolve(receiptOf('a', msg)), 1000)),
    );
    const { dispatcher, events } = dispatcherOf([slow], { concurrency: 1, maxQueue: 1 });
    const first = track(dispatcher.send(message({ reference: 'first' })));
    const second = track(dispatcher.send(message({ reference: 'second' })));
    expect(dispatcher.inFlight).toBe(1);
    expect(dispatcher.queued).toBe(1);
    const third = track(dispatcher.send(message({ reference: 'third' })));
    await Promise.resolve();
    await Promise.resolve();
    expect(third.status).toBe('rejected');
    const error = expectOtpError(third.reason, 'QUEUE_FULL');
    expect(error.retryable).toBe(false);
    expect(() => dispatcher.enqueue(message({ reference: 'fourth' }))).toThrow(
      expect.objectContaining({ code: 'QUEUE_FULL' }),
    );
    expect(payloads(events, 'queued').map((event) => event.reference)).toEqual(['first', 'second']);

    await vi.advanceTimersByTimeAsync(2000);
    expect(first.status).toBe('fulfilled');
    expect(second.status).toBe('fulfilled');
    expect(
      events.filter((event) => 'reference' in event.payload && event.payload.reference === 'third'),
    ).toEqual([]);
    expect(payloads(events, 'failed')).toEqual([]);
    expect(slow.calls).toHaveLength(2);

    // Room again once the queue drained.
    const fifth = track(dispatcher.send(message()));
    await vi.advanceTimersByTimeAsync(1000);
    expect(fifth.status).toBe('fulfilled');
  });

  it('QUEUE_FULL with maxQueue 0: only what fits the concurrency is accepted', async () => {
    const { dispatcher } = dispatcherOf([scripted('a', [], 'hang')], { concurrency: 2, maxQueue: 0 });
    dispatcher.enqueue(message());
    dispatcher.enqueue(message());
    expect(() => dispatcher.enqueue(message())).toThrow(expect.objectContaining({ code: 'QUEUE_FULL' }));
    await rejection(dispatcher.send(message()), 'QUEUE_FULL');
  });

  it('CLOSED: after close(), send rejects and enqueue throws, with no provider call and no event', async () => {
    const a = scripted('a');
    const { dispatcher, events } = dispatcherOf([a]);
    expect(dispatcher.closed).toBe(false);
    await dispatcher.close();
    expect(dispatcher.closed).toBe(true);
    const error = await rejection(dispatcher.send(message()), 'CLOSED');
    expect(error.retryable).toBe(false);
    expect(() => dispatcher.enqueue(message())).toThrow(expect.objectContaining({ code: 'CLOSED' }));
    // Closed is reported before the input is even looked at.
    await rejection(dispatcher.send({ to: 'bad', body: '' }), 'CLOSED');
    await flush();
    expect(a.calls).toHaveLength(0);
    expect(events).toEqual([]);
  });
});

function receiptOf(id: string, msg: OtpMessage, messageId = `${id}-x`): SendReceipt {
  return { provider: id, messageId, to: msg.to, acceptedAt: new Date() };
}

describe('Dispatcher: retries and backoff', () => {
  it('makes 3 retries by default (4 attempts), with delays 250, 500, 1000 when random is 1', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const a = scripted('a', [], 'PROVIDER_UNAVAILABLE');
    const { dispatcher, events } = dispatcherOf([a]);
    const send = track(dispatcher.send(message()));
    await flush();
    expect(a.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(249);
    expect(a.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(a.calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(500);
    expect(a.calls).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(999);
    expect(a.calls).toHaveLength(3);
    expect(send.status).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    expect(a.calls).toHaveLength(4);
    expect(send.status).toBe('rejected');
    expectOtpError(send.reason, 'PROVIDER_UNAVAILABLE');

    const retrying = payloads(events, 'retrying');
    expect(retrying.map((event) => event.delayMs)).toEqual([250, 500, 1000]);
    expect(retrying.map((event) => event.attempt)).toEqual([1, 2, 3]);
    expect(retrying.every((event) => event.error.code === 'PROVIDER_UNAVAILABLE')).toBe(true);
    expect(a.calls.map((call) => call.context.attempt)).toEqual([1, 2, 3, 4]);
    expect(names(events)).toEqual(['queued', 'retrying', 'retrying', 'retrying', 'failed']);
    expect(payloads(events, 'failed')[0]!.attempt).toBe(4);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(a.calls).toHaveLength(4);
  });

  it('uses half the ceiling when random is 0: 125, 250, 500', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const { dispatcher, events } = dispatcherOf([scripted('a', [], 'NETWORK')]);
    const send = track(dispatcher.send(message()));
    await vi.advanceTimersByTimeAsync(125 + 250 + 500);
    expect(send.status).toBe('rejected');
    expectOtpError(send.reason, 'NETWORK');
    expect(payloads(events, 'retrying').map((event) => event.delayMs)).toEqual([125, 250, 500]);
  });

  it('caps the backoff at maxDelayMs', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const { dispatcher, events } = dispatcherOf([scripted('a', [], 'TIMEOUT')], {
      retry: { retries: 6, minDelayMs: 250, maxDelayMs: 1000 },
    });
    const send = track(dispatcher.send(message()));
    await vi.advanceTimersByTimeAsync(250 + 500 + 1000 * 4);
    expect(send.status).toBe('rejected');
    expect(payloads(events, 'retrying').map((event) => event.delayMs)).toEqual([
      250, 500, 1000, 1000, 1000, 1000,
    ]);
  });

  it('stays within [ceiling/2, ceiling] for random values in between', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const { dispatcher, events } = dispatcherOf([scripted('a', [], 'NETWORK')], {
      retry: { minDelayMs: 100, maxDelayMs: 300 },
    });
    track(dispatcher.send(message()));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(payloads(events, 'retrying').map((event) => event.delayMs)).toEqual([75, 150, 225]);
  });

  it('succeeds on a retry: resolves with the attempts made, one sent event', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const a = scripted('a', ['NETWORK', 'RATE_LIMITED']);
    const { dispatcher, events } = dispatcherOf([a]);
    const send = track(dispatcher.send(message()));
    await vi.advanceTimersByTimeAsync(750);
    expect(send.status).toBe('fulfilled');
    expect(send.value).toMatchObject({ provider: 'a', attempts: 3 });
    expect(names(events)).toEqual(['queued', 'retrying', 'retrying', 'sent']);
    expect(payloads(events, 'sent')[0]!.attempt).toBe(3);
  });

  it('honours retryAfterMs exactly as the delay (no jitter)', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const limited = new OtpError('RATE_LIMITED', 'a: slow down', { provider: 'a', retryAfterMs: 1234 });
    const a = scripted('a', [limited]);
    const { dispatcher, events } = dispatcherOf([a]);
    const send = track(dispatcher.send(message()));
    await vi.advanceTimersByTimeAsync(1233);
    expect(a.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(a.calls).toHaveLength(2);
    expect(send.status).toBe('fulfilled');
    expect(payloads(events, 'retrying').map((event) => event.delayMs)).toEqual([1234]);
    expect(payloads(events, 'retrying')[0]!.error).toBe(limited);
  });

  it('retries at once for retryAfterMs 0, and waits exactly maxRetryAfterMs when asked for that much', async () => {
    const a = scripted('a', [
      new OtpError('RATE_LIMITED', 'a: now', { retryAfterMs: 0 }),
      new OtpError('RATE_LIMITED', 'a: later', { retryAfterMs: 1000 }),
    ]);
    const { dispatcher, events } = dispatcherOf([a], { retry: { maxRetryAfterMs: 1000 } });
    const send = track(dispatcher.send(message()));
    await flush();
    expect(a.calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(send.status).toBe('fulfilled');
    expect(payloads(events, 'retrying').map((event) => event.delayMs)).toEqual([0, 1000]);
  });

  it('does not retry a retryAfterMs above maxRetryAfterMs: fails with RATE_LIMITED keeping retryAfterMs', async () => {
    const a = scripted(
      'a',
      [],
      new OtpError('RATE_LIMITED', 'a: come back in a minute', { retryAfterMs: 60_000 }),
    );
    const { dispatcher, events } = dispatcherOf([a]);
    const send = track(dispatcher.send(message()));
    await flush();
    expect(send.status).toBe('rejected');
    const error = expectOtpError(send.reason, 'RATE_LIMITED');
    expect(error.retryAfterMs).toBe(60_000);
    expect(a.calls).toHaveLength(1);
    expect(names(events)).toEqual(['queued', 'failed']);
    expect(payloads(events, 'failed')[0]!.error.retryAfterMs).toBe(60_000);
  });

  it('moves to the next provider at once when retryAfterMs is above maxRetryAfterMs', async () => {
    const a = scripted('a', [], new OtpError('RATE_LIMITED', 'a: later', { retryAfterMs: 1001 }));
    const b = scripted('b');
    const { dispatcher, events } = dispatcherOf([a, b], { retry: { maxRetryAfterMs: 1000 } });
    const send = track(dispatcher.send(message()));
    await flush();
    expect(send.status).toBe('fulfilled');
    expect(send.value).toMatchObject({ provider: 'b', attempts: 2 });
    expect(a.calls).toHaveLength(1);
    expect(names(events)).toEqual(['queued', 'failover', 'sent']);
  });

  it.each<OtpErrorCode>([
    'REJECTED',
    'AUTHENTICATION',
    'INVALID_RESPONSE',
    'INVALID_CONFIG',
    'INVALID_INPUT',
  ])('does not retry %s', async (code) => {
    const a = scripted('a', [], code);
    const { dispatcher, events } = dispatcherOf([a]);
    const send = track(dispatcher.send(message()));
    await vi.advanceTimersByTimeAsync(60_000);
    expectOtpError(send.reason, code);
    expect(a.calls).toHaveLength(1);
    expect(payloads(events, 'retrying')).toEqual([]);
    expect(names(events)).toEqual(['queued', 'failed']);
  });

  it("follows the error's own retryable flag", async () => {
    const a = scripted('a', [
      new OtpError('PROVIDER_UNAVAILABLE', 'a: broken for good', { retryable: false }),
    ]);
    const b = scripted('b', [new OtpError('REJECTED', 'b: try again', { retryable: true })]);
    const { dispatcher, events } = dispatcherOf([a, b], { retry: { minDelayMs: 0, maxDelayMs: 0 } });
    const send = track(dispatcher.send(message()));
    await flush();
    expect(a.calls).toHaveLength(1);
    expect(b.calls).toHaveLength(2);
    expect(send.value).toMatchObject({ provider: 'b', attempts: 3 });
    expect(names(events)).toEqual(['queued', 'failover', 'retrying', 'sent']);
  });

  it('makes a single attempt with retries 0', async () => {
    const a = scripted('a', [], 'NETWORK');
    const { dispatcher } = dispatcherOf([a], { retry: { retries: 0 } });
    await rejection(dispatcher.send(message()), 'NETWORK');
    expect(a.calls).toHaveLength(1);
  });

  it('turns a non-OtpError failure into PROVIDER_UNAVAILABLE, not retried, keeping the cause', async () => {
    const boom = new TypeError('x is not a function');
    const a = scripted('a', [], () => Promise.reject(boom));
    const { dispatcher } = dispatcherOf([a]);
    const error = await rejection(dispatcher.send(message()), 'PROVIDER_UNAVAILABLE');
    expect(error.cause).toBe(boom);
    expect(error.provider).toBe('a');
    expect(error.retryable).toBe(false);
    expect(a.calls).toHaveLength(1);
  });

  it('survives a provider that throws synchronously', async () => {
    const a: OtpProvider = {
      id: 'a',
      send() {
        throw new OtpError('REJECTED', 'a: refused');
      },
    };
    const { dispatcher, events } = dispatcherOf([a]);
    await rejection(dispatcher.send(message()), 'REJECTED');
    expect(names(events)).toEqual(['queued', 'failed']);
  });

  it('treats a receipt without a messageId as INVALID_RESPONSE', async () => {
    const a = scripted('a', [], () => Promise.resolve({ provider: 'a' } as SendReceipt));
    const b = scripted('b');
    const { dispatcher } = dispatcherOf([a, b]);
    const events = record(dispatcher);
    const result = await dispatcher.send(message());
    expect(result.provider).toBe('b');
    expect(payloads(events, 'failover')[0]!.error.code).toBe('INVALID_RESPONSE');
  });
});

describe('Dispatcher: failover', () => {
  const FAILOVER: OtpErrorCode[] = [
    'AUTHENTICATION',
    'PROVIDER_UNAVAILABLE',
    'RATE_LIMITED',
    'NETWORK',
    'TIMEOUT',
    'INVALID_RESPONSE',
    'INVALID_CONFIG',
  ];
  const FINAL: OtpErrorCode[] = ['INVALID_INPUT', 'REJECTED', 'ABORTED'];

  it('FAILOVER_CODES holds exactly the codes that move to the next provider', () => {
    expect([...FAILOVER_CODES].sort()).toEqual([...FAILOVER].sort());
  });

  it.each(FAILOVER)('%s moves the send from a to b (after a spent its retries)', async (code) => {
    const a = scripted('a', [], code);
    const b = scripted('b');
    const c = scripted('c');
    const { dispatcher, events } = dispatcherOf([a, b, c], { retry: { minDelayMs: 10, maxDelayMs: 10 } });
    const send = track(dispatcher.send(message({ reference: 'r-1' })));
    await vi.advanceTimersByTimeAsync(100);
    expect(send.status).toBe('fulfilled');
    // Retryable codes are retried on a first, except those a fallback takes at once (failFastOn).
    const retried = new OtpError(code, 'x').retryable && code !== 'NETWORK' && code !== 'TIMEOUT';
    const attemptsOnA = retried ? 4 : 1;
    expect(a.calls).toHaveLength(attemptsOnA);
    expect(b.calls).toHaveLength(1);
    expect(c.calls).toHaveLength(0);
    expect(send.value).toMatchObject({ provider: 'b', messageId: 'b-1', attempts: attemptsOnA + 1 });
    const [failover] = payloads(events, 'failover');
    expect(failover).toMatchObject({
      provider: 'a',
      nextProvider: 'b',
      reference: 'r-1',
      attempt: attemptsOnA,
    });
    expect(failover!.error.code).toBe(code);
    expect(payloads(events, 'sent')[0]).toMatchObject({ provider: 'b', receipt: { provider: 'b' } });
  });

  it.each(FINAL)('%s ends the send at once: no retry, no other provider', async (code) => {
    const a = scripted('a', [], code);
    const b = scripted('b');
    const { dispatcher, events } = dispatcherOf([a, b]);
    const send = track(dispatcher.send(message()));
    await vi.advanceTimersByTimeAsync(60_000);
    expectOtpError(send.reason, code);
    expect(a.calls).toHaveLength(1);
    expect(b.calls).toHaveLength(0);
    expect(names(events)).toEqual(['queued', 'failed']);
    expect(payloads(events, 'failed')[0]).toMatchObject({ provider: 'a', attempt: 1 });
  });

  it('goes through a, b, c in order; attempts count every attempt over all providers', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const a = scripted('a', [], 'PROVIDER_UNAVAILABLE');
    const b = scripted('b', [], 'RATE_LIMITED');
    const c = scripted('c', ['TIMEOUT']);
    const { dispatcher, events } = dispatcherOf([a, b, c]);
    const send = track(dispatcher.send(message()));
    await vi.advanceTimersByTimeAsync(1750 * 2 + 250);
    expect(send.status).toBe('fulfilled');
    expect(send.value).toMatchObject({ provider: 'c', messageId: 'c-1', attempts: 10 });
    expect([a.calls.length, b.calls.length, c.calls.length]).toEqual([4, 4, 2]);
    // The attempt number keeps counting over providers.
    expect(c.calls.map((call) => call.context.attempt)).toEqual([9, 10]);
    expect(
      payloads(events, 'failover').map((event) => [event.provider, event.nextProvider, event.attempt]),
    ).toEqual([
      ['a', 'b', 4],
      ['b', 'c', 8],
    ]);
    expect(payloads(events, 'retrying').map((event) => [event.provider, event.delayMs])).toEqual([
      ['a', 250],
      ['a', 500],
      ['a', 1000],
      ['b', 250],
      ['b', 500],
      ['b', 1000],
      ['c', 250],
    ]);
    expect(names(events).at(-1)).toBe('sent');
  });

  it('fails with the last provider’s error when every provider failed', async () => {
    const a = scripted('a', [], 'AUTHENTICATION');
    const b = scripted('b', [], 'INVALID_RESPONSE');
    const c = scripted('c', [], 'AUTHENTICATION');
    const { dispatcher, events } = dispatcherOf([a, b, c]);
    const error = await rejection(dispatcher.send(message()), 'AUTHENTICATION');
    expect(error.provider).toBe('c');
    expect(names(events)).toEqual(['queued', 'failover', 'failover', 'failed']);
    expect(payloads(events, 'failed')[0]).toMatchObject({ provider: 'c', attempt: 3 });
    expect(payloads(events, 'failed')[0]!.error).toBe(error);
  });

  it('stops failover when a later provider ends the send', async () => {
    const a = scripted('a', [], 'AUTHENTICATION');
    const b = scripted('b', [], 'REJECTED');
    const c = scripted('c');
    const { dispatcher } = dispatcherOf([a, b, c]);
    await rejection(dispatcher.send(message()), 'REJECTED');
    expect(c.calls).toHaveLength(0);
  });
});

describe('Dispatcher: per-attempt timeout', () => {
  it('ends a hanging attempt with TIMEOUT after timeoutMs, aborts its signal, then retries', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const a = scripted('a', [], 'hang');
    const { dispatcher, events } = dispatcherOf([a], {
      timeoutMs: 1000,
      retry: { retries: 1, minDelayMs: 100, maxDelayMs: 100 },
    });
    const send = track(dispatcher.send(message()));
    await vi.advanceTimersByTimeAsync(999);
    expect(a.calls[0]!.context.signal.aborted).toBe(false);
    expect(payloads(events, 'retrying')).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    const signal = a.calls[0]!.context.signal;
    expect(signal.aborted).toBe(true);
    const reason = expectOtpError(signal.reason, 'TIMEOUT');
    expect(reason.provider).toBe('a');
    expect(reason.message).toContain('1000 ms');
    expect(payloads(events, 'retrying').map((event) => [event.error.code, event.delayMs])).toEqual([
      ['TIMEOUT', 100],
    ]);
    await vi.advanceTimersByTimeAsync(100);
    expect(a.calls).toHaveLength(2);
    expect(a.calls[1]!.context.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(999);
    expect(send.status).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    expect(send.status).toBe('rejected');
    expectOtpError(send.reason, 'TIMEOUT');
    expect(a.calls[1]!.context.signal.aborted).toBe(true);
    expect(names(events)).toEqual(['queued', 'retrying', 'failed']);
  });

  it('uses the default timeout of 10 s and succeeds when the retry answers', async () => {
    const a = scripted('a', ['hang']);
    const { dispatcher } = dispatcherOf([a], { retry: { minDelayMs: 0, maxDelayMs: 0 } });
    const send = track(dispatcher.send(message()));
    await vi.advanceTimersByTimeAsync(9_999);
    expect(send.status).toBe('pending');
    // (fake timers run a 0 ms timer set during a tick 1 ms later)
    await vi.advanceTimersByTimeAsync(2);
    expect(send.status).toBe('fulfilled');
    expect(send.value).toMatchObject({ attempts: 2, messageId: 'a-1' });
  });

  it('ignores an answer that arrives after the attempt timed out', async () => {
    const late = deferred<SendReceipt>();
    const a = scripted('a', [() => late.promise]);
    const { dispatcher, events } = dispatcherOf([a], { timeoutMs: 500, retry: { retries: 0 } });
    const send = track(dispatcher.send(message()));
    await vi.advanceTimersByTimeAsync(500);
    expectOtpError(send.reason, 'TIMEOUT');
    late.resolve(receiptOf('a', message()));
    await flush();
    expect(names(events)).toEqual(['queued', 'failed']);
  });

  it('clears the attempt timer once the provider answered', async () => {
    const { dispatcher } = dispatcherOf([scripted('a')]);
    await dispatcher.send(message());
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('Dispatcher: abort', () => {
  it('aborting while queued rejects ABORTED, emits exactly one failed event, never calls the provider', async () => {
    const first = deferred<SendReceipt>();
    const a = scripted('a', [() => first.promise]);
    const { dispatcher, events } = dispatcherOf([a], { concurrency: 1 });
    const running = track(dispatcher.send(message({ reference: 'running' })));
    const controller = new AbortController();
    const waiting = track(dispatcher.send(message({ reference: 'waiting' }), { signal: controller.signal }));
    expect(dispatcher.queued).toBe(1);
    const reason = new Error('user left');
    controller.abort(reason);
    await flush();
    expect(waiting.status).toBe('rejected');
    const error = expectOtpError(waiting.reason, 'ABORTED');
    expect(error.cause).toBe(reason);
    expect(dispatcher.queued).toBe(0);
    const failed = payloads(events, 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ reference: 'waiting', attempt: 0 });
    expect(failed[0]!.error).toBe(error);

    first.resolve(receiptOf('a', message()));
    await flush();
    expect(running.status).toBe('fulfilled');
    expect(a.calls).toHaveLength(1);
    expect(a.calls[0]!.message.reference).toBe('running');
    expect(payloads(events, 'failed')).toHaveLength(1);
    expect(names(events)).toEqual(['queued', 'queued', 'failed', 'sent']);
  });

  it('aborting mid-attempt rejects ABORTED at once, aborts the provider signal, and stops', async () => {
    const a = scripted('a', [], 'hang');
    const b = scripted('b');
    const { dispatcher, events } = dispatcherOf([a, b]);
    const controller = new AbortController();
    const send = track(dispatcher.send(message(), { signal: controller.signal }));
    await flush();
    expect(dispatcher.inFlight).toBe(1);
    controller.abort();
    await Promise.resolve();
    await Promise.resolve();
    await Promise.resolve();
    await flush();
    const error = expectOtpError(send.reason, 'ABORTED');
    expect(error.provider).toBe('a');
    const signal = a.calls[0]!.context.signal;
    expect(signal.aborted).toBe(true);
    expect(expectOtpError(signal.reason, 'ABORTED')).toBe(error);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(a.calls).toHaveLength(1);
    expect(b.calls).toHaveLength(0);
    expect(names(events)).toEqual(['queued', 'failed']);
    expect(dispatcher.inFlight).toBe(0);
  });

  it('aborting during a retry backoff rejects ABORTED at once, with no further attempt', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const a = scripted('a', [], 'PROVIDER_UNAVAILABLE');
    const b = scripted('b');
    const { dispatcher, events } = dispatcherOf([a, b]);
    const controller = new AbortController();
    const send = track(dispatcher.send(message(), { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(100);
    expect(payloads(events, 'retrying').map((event) => event.delayMs)).toEqual([250]);
    controller.abort();
    await flush();
    expect(send.status).toBe('rejected');
    expectOtpError(send.reason, 'ABORTED');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(a.calls).toHaveLength(1);
    expect(b.calls).toHaveLength(0);
    expect(names(events)).toEqual(['queued', 'retrying', 'failed']);
  });

  it('an already-aborted signal is rejected at once with no event and no provider call', async () => {
    const a = scripted('a');
    const { dispatcher, events } = dispatcherOf([a]);
    const send = track(dispatcher.send(message(), { signal: AbortSignal.abort() }));
    await Promise.resolve();
    expect(send.status).toBe('rejected');
    expectOtpError(send.reason, 'ABORTED');
    await flush();
    expect(a.calls).toHaveLength(0);
    expect(events).toEqual([]);
  });

  it('a signal aborted by a failover listener stops the send before the next provider', async () => {
    const a = scripted('a', [], 'AUTHENTICATION');
    const b = scripted('b');
    const { dispatcher, events } = dispatcherOf([a, b]);
    const controller = new AbortController();
    dispatcher.on('failover', () => controller.abort());
    const send = track(dispatcher.send(message(), { signal: controller.signal }));
    await flush();
    expectOtpError(send.reason, 'ABORTED');
    expect(b.calls).toHaveLength(0);
    expect(names(events)).toEqual(['queued', 'failover', 'failed']);
  });

  it('a signal aborted by a queued listener means the provider is never called', async () => {
    const a = scripted('a');
    const { dispatcher, events } = dispatcherOf([a]);
    const controller = new AbortController();
    dispatcher.once('queued', () => controller.abort());
    const send = track(dispatcher.send(message(), { signal: controller.signal }));
    await flush();
    expectOtpError(send.reason, 'ABORTED');
    expect(a.calls).toHaveLength(0);
    expect(names(events)).toEqual(['queued', 'failed']);
  });

  it('aborting after the send ended changes nothing', async () => {
    const { dispatcher, events } = dispatcherOf([scripted('a')]);
    const controller = new AbortController();
    await dispatcher.send(message(), { signal: controller.signal });
    controller.abort();
    await flush();
    expect(names(events)).toEqual(['queued', 'sent']);
  });
});

describe('Dispatcher: concurrency', () => {
  it('never has more than `concurrency` attempts in flight; every send succeeds', async () => {
    let inFlight = 0;
    let max = 0;
    let calls = 0;
    const counting: OtpProvider = {
      id: 'counting',
      send(msg) {
        inFlight++;
        max = Math.max(max, inFlight);
        const n = ++calls;
        return new Promise((resolve) =>
          setTimeout(
            () => {
              inFlight--;
              resolve(receiptOf('counting', msg, `m-${n}`));
            },
            10 + ((n - 1) % 5) * 7,
          ),
        );
      },
    };
    const { dispatcher } = dispatcherOf([counting], { concurrency: 3 });
    const sends = Array.from({ length: 20 }, (_, index) =>
      track(dispatcher.send(message({ reference: `r${index}` }))),
    );
    expect(dispatcher.inFlight).toBe(3);
    expect(dispatcher.queued).toBe(17);
    await vi.advanceTimersByTimeAsync(10);
    expect(dispatcher.inFlight).toBe(3);
    expect(dispatcher.queued).toBeLessThan(17);
    await vi.runAllTimersAsync();
    expect(sends.every((send) => send.status === 'fulfilled')).toBe(true);
    expect(max).toBe(3);
    expect(calls).toBe(20);
    expect(dispatcher.inFlight).toBe(0);
    expect(dispatcher.queued).toBe(0);
  });

  it('starts queued sends in the order they were accepted', async () => {
    const order: string[] = [];
    const a = scripted('a', [], (msg) => {
      order.push(msg.reference!);
      return new Promise((resolve) => setTimeout(() => resolve(receiptOf('a', msg)), 5));
    });
    const { dispatcher } = dispatcherOf([a], { concurrency: 2 });
    for (let index = 0; index < 6; index++) dispatcher.enqueue(message({ reference: `r${index}` }));
    await vi.runAllTimersAsync();
    expect(order).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
  });

  it('keeps a slot taken during a retry backoff', async () => {
    const a = scripted('a', ['NETWORK']);
    const { dispatcher } = dispatcherOf([a], { concurrency: 1 });
    dispatcher.enqueue(message());
    dispatcher.enqueue(message());
    await flush();
    expect(dispatcher.inFlight).toBe(1);
    expect(dispatcher.queued).toBe(1);
    expect(a.calls).toHaveLength(1);
    await vi.runAllTimersAsync();
    expect(a.calls).toHaveLength(3);
    expect(dispatcher.inFlight).toBe(0);
  });
});

describe('Dispatcher: close()', () => {
  it('drains: queued and in-flight sends end with their terminal event before close() resolves', async () => {
    const a = scripted('a', [
      (msg) => new Promise((resolve) => setTimeout(() => resolve(receiptOf('a', msg)), 100)),
      (_msg) =>
        new Promise((_resolve, reject) => setTimeout(() => reject(new OtpError('REJECTED', 'no')), 100)),
      (msg) => new Promise((resolve) => setTimeout(() => resolve(receiptOf('a', msg)), 100)),
    ]);
    const { dispatcher, events } = dispatcherOf([a], { concurrency: 1 });
    const sends = [
      track(dispatcher.send(message({ reference: 'one' }))),
      track(dispatcher.send(message({ reference: 'two' }))),
    ];
    dispatcher.enqueue(message({ reference: 'three' }));
    let closed = false;
    const terminalWhileOpen: boolean[] = [];
    dispatcher.on('sent', () => terminalWhileOpen.push(!closed));
    dispatcher.on('failed', () => terminalWhileOpen.push(!closed));
    const closing = dispatcher.close().then(() => {
      closed = true;
    });
    expect(dispatcher.closed).toBe(true);
    await rejection(dispatcher.send(message()), 'CLOSED');
    await vi.advanceTimersByTimeAsync(250);
    expect(closed).toBe(false);
    await vi.advanceTimersByTimeAsync(50);
    await closing;
    expect(closed).toBe(true);
    expect(terminalWhileOpen).toEqual([true, true, true]);
    expect(sends.map((send) => send.status)).toEqual(['fulfilled', 'rejected']);
    expect(names(events)).toEqual(['queued', 'queued', 'queued', 'sent', 'failed', 'sent']);
    expect(a.calls).toHaveLength(3);
    await rejection(dispatcher.send(message()), 'CLOSED');
  });

  it('waits for a send that is in a retry backoff', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const { dispatcher } = dispatcherOf([scripted('a', ['NETWORK'])]);
    const send = track(dispatcher.send(message()));
    await flush();
    let closed = false;
    const closing = dispatcher.close().then(() => {
      closed = true;
    });
    await vi.advanceTimersByTimeAsync(249);
    expect(closed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await closing;
    expect(send.status).toBe('fulfilled');
  });

  it('counts a send aborted while queued as drained', async () => {
    const a = scripted('a', [], 'hang');
    const { dispatcher } = dispatcherOf([a], { concurrency: 1, timeoutMs: 1000, retry: { retries: 0 } });
    track(dispatcher.send(message()));
    const controller = new AbortController();
    track(dispatcher.send(message(), { signal: controller.signal }));
    let closed = false;
    void dispatcher.close().then(() => {
      closed = true;
    });
    controller.abort();
    await vi.advanceTimersByTimeAsync(999);
    expect(closed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(closed).toBe(true);
    expect(a.calls).toHaveLength(1);
  });

  it('resolves at once when idle, and every call resolves', async () => {
    const { dispatcher } = dispatcherOf([scripted('a')]);
    const first = dispatcher.close();
    const second = dispatcher.close();
    await expect(first).resolves.toBeUndefined();
    await expect(second).resolves.toBeUndefined();
  });
});

describe('Dispatcher: listeners', () => {
  it('a throwing or rejecting listener breaks neither the send nor other listeners', async () => {
    const onListenerError = vi.fn();
    const { dispatcher } = dispatcherOf([scripted('a')], { onListenerError });
    const thrown = new Error('listener bug');
    const rejected = new Error('async listener bug');
    const after = vi.fn();
    dispatcher.on('sent', () => {
      throw thrown;
    });
    dispatcher.on('queued', async () => {
      throw rejected;
    });
    dispatcher.on('sent', after);
    dispatcher.on('queued', after);
    const result = await dispatcher.send(message());
    await flush();
    expect(result.messageId).toBe('a-1');
    expect(after).toHaveBeenCalledTimes(2);
    expect(onListenerError).toHaveBeenCalledTimes(2);
    expect(onListenerError).toHaveBeenCalledWith(thrown, 'sent');
    expect(onListenerError).toHaveBeenCalledWith(rejected, 'queued');
  });

  it('a throwing listener on failed still lets send() reject with the real error', async () => {
    const onListenerError = vi.fn();
    const { dispatcher } = dispatcherOf([scripted('a', [], 'REJECTED')], { onListenerError });
    dispatcher.on('failed', () => {
      throw new Error('oops');
    });
    await rejection(dispatcher.send(message()), 'REJECTED');
    expect(onListenerError).toHaveBeenCalledWith(expect.objectContaining({ message: 'oops' }), 'failed');
  });

  it('an onListenerError that throws too is swallowed', async () => {
    const { dispatcher } = dispatcherOf([scripted('a')], {
      onListenerError: () => {
        throw new Error('handler bug');
      },
    });
    dispatcher.on('sent', () => {
      throw new Error('listener bug');
    });
    await expect(dispatcher.send(message())).resolves.toMatchObject({ messageId: 'a-1' });
  });

  it('by default, a listener error becomes a process warning naming the event', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const { dispatcher } = dispatcherOf([scripted('a')]);
    dispatcher.on('sent', () => {
      throw new Error('listener bug');
    });
    await dispatcher.send(message());
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toContain('"sent"');
    expect(String(warn.mock.calls[0]![0])).toContain('listener bug');
  });

  it('off() removes one listener, or all of an event; once() fires once', async () => {
    const dispatcher = createDispatcher({ providers: [scripted('a')] });
    const kept = vi.fn();
    const removed = vi.fn();
    const onlyOnce = vi.fn();
    expect(dispatcher.on('sent', kept).on('sent', removed).once('sent', onlyOnce)).toBe(dispatcher);
    expect(dispatcher.listenerCount('sent')).toBe(3);
    dispatcher.off('sent', removed);
    expect(dispatcher.listenerCount('sent')).toBe(2);
    await dispatcher.send(message());
    await dispatcher.send(message());
    expect(kept).toHaveBeenCalledTimes(2);
    expect(removed).not.toHaveBeenCalled();
    expect(onlyOnce).toHaveBeenCalledTimes(1);
    expect(dispatcher.listenerCount('sent')).toBe(1);
    dispatcher.off('sent', vi.fn());
    expect(dispatcher.listenerCount('sent')).toBe(1);
    dispatcher.off('sent');
    expect(dispatcher.listenerCount('sent')).toBe(0);
    await dispatcher.send(message());
    expect(kept).toHaveBeenCalledTimes(2);
  });
});

describe('Dispatcher: event payloads', () => {
  it('carry the dispatch id, reference, recipient, provider, attempt and timings', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const a = scripted('a', ['PROVIDER_UNAVAILABLE'], 'AUTHENTICATION');
    const b = scripted(
      'b',
      [],
      (msg) => new Promise((resolve) => setTimeout(() => resolve(receiptOf('b', msg, 'b-9')), 40)),
    );
    const { dispatcher, events } = dispatcherOf([a, b]);
    const send = track(dispatcher.send(message({ reference: 'order-42' })));
    await vi.advanceTimersByTimeAsync(250 + 40);
    expect(send.status).toBe('fulfilled');
    const result = send.value!;
    const queuedAt = NOW.getTime();
    const common = { id: result.id, reference: 'order-42', to: TO, queuedAt };
    expect(payloads(events, 'queued')).toEqual([{ ...common, provider: 'a', attempt: 0, at: queuedAt }]);
    const [retrying] = payloads(events, 'retrying');
    expect(retrying).toEqual({
      ...common,
      provider: 'a',
      attempt: 1,
      at: queuedAt,
      delayMs: 250,
      error: expect.any(OtpError),
    });
    const [failover] = payloads(events, 'failover');
    expect(failover).toEqual({
      ...common,
      provider: 'a',
      attempt: 2,
      at: queuedAt + 250,
      nextProvider: 'b',
      error: expect.objectContaining({ code: 'AUTHENTICATION' }),
    });
    const [sent] = payloads(events, 'sent');
    expect(sent).toEqual({
      ...common,
      provider: 'b',
      attempt: 3,
      at: queuedAt + 290,
      elapsedMs: 290,
      unconfirmedAttempts: 0,
      receipt: { provider: 'b', messageId: 'b-9', to: TO, acceptedAt: new Date(queuedAt + 290) },
    });
    expect(result.attempts).toBe(3);
  });

  it('leave out the reference when the message had none', async () => {
    const { dispatcher, events } = dispatcherOf([scripted('a')]);
    await dispatcher.send(message());
    for (const event of events) expect(event.payload).not.toHaveProperty('reference');
  });

  it('the failed event carries the error send() rejected with, and the elapsed time', async () => {
    const { dispatcher, events } = dispatcherOf([
      scripted(
        'a',
        [],
        (_msg) => new Promise((_res, rej) => setTimeout(() => rej(new OtpError('REJECTED', 'a: no')), 70)),
      ),
    ]);
    const send = track(dispatcher.send(message({ reference: 'x' })));
    await vi.advanceTimersByTimeAsync(70);
    const [failed] = payloads(events, 'failed');
    expect(failed).toMatchObject({ provider: 'a', attempt: 1, reference: 'x', elapsedMs: 70 });
    expect(failed!.error).toBe(send.reason);
  });

  it('never carry the body: not in any payload, and the sent receipt has no raw while send() has it', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const a = scripted('a', ['PROVIDER_UNAVAILABLE', 'RATE_LIMITED', 'PROVIDER_UNAVAILABLE', 'NETWORK']);
    const b = scripted('b');
    const c = scripted('c', [], 'REJECTED');
    const { dispatcher, events } = dispatcherOf([a, b]);
    const other = createDispatcher({ providers: [c] });
    const otherEvents = record(other);
    const send = track(dispatcher.send(message({ reference: 'ref', sender: 'ACME' })));
    const failing = track(other.send(message()));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(send.value?.provider).toBe('b');
    expect(send.value?.raw).toEqual({ body: BODY, status: 'accepted' });
    expectOtpError(failing.reason, 'REJECTED');
    dispatcher.report({
      provider: 'b',
      messageId: send.value!.messageId,
      status: 'delivered',
      providerStatus: 'DELIVRD',
      at: new Date(),
    });
    const all = [...events, ...otherEvents];
    expect(new Set(names(all))).toEqual(
      new Set(['queued', 'retrying', 'failover', 'sent', 'failed', 'delivered']),
    );
    for (const event of all) {
      expect(JSON.stringify(event.payload)).not.toContain(CODE);
      expect(JSON.stringify(event.payload)).not.toContain('Your code');
    }
    const [sent] = payloads(events, 'sent');
    expect(sent!.receipt).not.toHaveProperty('raw');
    expect(sent).not.toHaveProperty('raw');
  });
});

describe('Dispatcher: report()', () => {
  function delivery(
    messageId: string,
    status: 'delivered' | 'undelivered' | 'pending' | 'unknown',
    provider = 'a',
  ) {
    return {
      provider,
      messageId,
      to: TO,
      status,
      providerStatus: status.toUpperCase(),
      at: new Date(),
    } as const;
  }

  it('emits delivered / undelivered with the dispatch id and reference of a recent send', async () => {
    const { dispatcher, events } = dispatcherOf([scripted('a')]);
    const first = await dispatcher.send(message({ reference: 'order-1' }));
    const second = await dispatcher.send(message({ reference: 'order-2' }));
    const delivered = delivery(first.messageId, 'delivered');
    dispatcher.report(delivered);
    dispatcher.report({ ...delivery(second.messageId, 'undelivered'), errorCode: 'E-101' });
    expect(payloads(events, 'delivered')).toEqual([
      {
        provider: 'a',
        messageId: 'a-1',
        to: TO,
        id: first.id,
        reference: 'order-1',
        report: delivered,
        at: NOW.getTime(),
      },
    ]);
    const [undelivered] = payloads(events, 'undelivered');
    expect(undelivered).toMatchObject({ id: second.id, reference: 'order-2', messageId: 'a-2' });
    expect(undelivered!.report.errorCode).toBe('E-101');
  });

  it('emits a report about an unknown message without id or reference', async () => {
    const { dispatcher, events } = dispatcherOf([scripted('a')]);
    await dispatcher.send(message({ reference: 'order-1' }));
    dispatcher.report(delivery('a-1', 'delivered', 'other'));
    dispatcher.report(delivery('zzz', 'delivered'));
    const delivered = payloads(events, 'delivered');
    expect(delivered).toHaveLength(2);
    for (const event of delivered) {
      expect(event).not.toHaveProperty('id');
      expect(event).not.toHaveProperty('reference');
    }
  });

  it('emits nothing for pending or unknown reports', async () => {
    const { dispatcher, events } = dispatcherOf([scripted('a')]);
    const result = await dispatcher.send(message());
    const before = events.length;
    dispatcher.report(delivery(result.messageId, 'pending'));
    dispatcher.report(delivery(result.messageId, 'unknown'));
    expect(events).toHaveLength(before);
  });

  it('does nothing without listeners', () => {
    const dispatcher = createDispatcher({ providers: [scripted('a')] });
    expect(() => dispatcher.report(delivery('a-1', 'delivered'))).not.toThrow();
  });
});

describe('Dispatcher: OTP_ERROR_CODES from providers', () => {
  it.each(OTP_ERROR_CODES)('ends %s with exactly one queued and one failed event', async (code) => {
    const { dispatcher, events } = dispatcherOf([scripted('a', [], code)], {
      retry: { minDelayMs: 0, maxDelayMs: 0 },
    });
    const send = track(dispatcher.send(message()));
    await vi.advanceTimersByTimeAsync(10);
    expectOtpError(send.reason, code);
    expect(payloads(events, 'queued')).toHaveLength(1);
    expect(payloads(events, 'failed')).toHaveLength(1);
    expect(payloads(events, 'sent')).toHaveLength(0);
  });
});
