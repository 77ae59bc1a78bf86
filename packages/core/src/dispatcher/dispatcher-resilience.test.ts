import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DISPATCHER_DEFAULTS, type DispatcherOptions } from '../dispatcher-options.js';
import { isOtpError, OtpError, type OtpErrorCode } from '../errors.js';
import type { DispatcherEventName, DispatcherEvents } from '../events.js';
import type { OtpMessage, OtpProvider, SendContext, SendReceipt } from '../types.js';
import { createDispatcher, type Dispatcher } from './index.js';

// The reliability issue: circuit breaker per provider, deadline per send, failFastOn and
// unconfirmedAttempts, through the dispatcher. Fake timers throughout; nothing sleeps for real.
// Core must not depend on @otpkit/provider-fake, so providers are scripted here.

const TO = '+919876543210';
const message = (extra: Partial<OtpMessage> = {}): OtpMessage => ({
  to: TO,
  body: 'Your code is 482913',
  ...extra,
});

type SendFn = (message: OtpMessage, context: SendContext) => Promise<SendReceipt>;

type Outcome =
  | 'ok'
  /** Never answers, but rejects with the signal's reason once the attempt's signal aborts. */
  | 'hang'
  | OtpErrorCode
  | OtpError
  | SendFn;

interface ScriptedProvider extends OtpProvider {
  readonly calls: { message: OtpMessage; context: SendContext; at: number }[];
}

function receiptOf(id: string, count: number, msg: OtpMessage): SendReceipt {
  return { provider: id, messageId: `${id}-${count}`, to: msg.to, acceptedAt: new Date() };
}

/** Settles only when the attempt's signal aborts, like a vendor that accepts the connection and goes silent. */
function hangUntilAborted(signal: AbortSignal): Promise<never> {
  return new Promise<never>((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/** Answers after `ms` (honouring the signal). */
function after(ms: number, id: string, count: () => number): SendFn {
  return (msg, { signal }) =>
    new Promise<SendReceipt>((resolve, reject) => {
      const timer = setTimeout(() => resolve(receiptOf(id, count(), msg)), ms);
      signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(signal.reason);
        },
        { once: true },
      );
    });
}

/** A provider that plays `script` call by call, then `otherwise` for every further call. */
function scripted(id: string, script: Outcome[] = [], otherwise: Outcome = 'ok'): ScriptedProvider {
  const calls: ScriptedProvider['calls'] = [];
  let accepted = 0;
  return {
    id,
    calls,
    send(msg, context) {
      calls.push({ message: msg, context, at: Date.now() });
      const outcome = script.shift() ?? otherwise;
      if (outcome === 'ok') return Promise.resolve(receiptOf(id, ++accepted, msg));
      if (outcome === 'hang') return hangUntilAborted(context.signal);
      if (typeof outcome === 'function') {
        accepted++;
        return outcome(msg, context);
      }
      return Promise.reject(
        typeof outcome === 'string'
          ? new OtpError(outcome, `${id}: scripted ${outcome}`, { provider: id })
          : outcome,
      );
    },
  };
}

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

const EVENT_NAMES = [
  'queued',
  'retrying',
  'failover',
  'sent',
  'failed',
  'breaker-open',
  'breaker-closed',
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
  /** Virtual time (Date.now()) when the promise settled. */
  settledAt?: number;
  startedAt: number;
}

/** Follows a promise, noting when it settled, without leaving a rejection unhandled. */
function track<T>(promise: Promise<T>): Tracked<T> {
  const state: Tracked<T> = { status: 'pending', startedAt: Date.now() };
  promise.then(
    (value) => {
      state.status = 'fulfilled';
      state.value = value;
      state.settledAt = Date.now();
    },
    (reason: unknown) => {
      state.status = 'rejected';
      state.reason = reason;
      state.settledAt = Date.now();
    },
  );
  return state;
}

function expectOtpError(reason: unknown, code: OtpErrorCode): OtpError {
  expect(isOtpError(reason), `expected an OtpError ${code}, got ${String(reason)}`).toBe(true);
  expect((reason as OtpError).code).toBe(code);
  return reason as OtpError;
}

/** Lets every pending promise chain run. */
const flush = () => vi.advanceTimersByTimeAsync(0);

/** Runs timers 1 ms at a time until the send settles (at most `limitMs`); returns it. */
async function settle<T>(send: Tracked<T>, limitMs = 120_000): Promise<Tracked<T>> {
  await flush();
  for (let spent = 0; send.status === 'pending' && spent < limitMs; spent++) {
    await vi.advanceTimersByTimeAsync(1);
  }
  expect(send.status, `the send did not settle within ${limitMs} ms`).not.toBe('pending');
  return send;
}

/** Starts a send and runs timers until it settles. */
async function sendAndSettle(dispatcher: Dispatcher, msg: OtpMessage = message()) {
  return settle(track(dispatcher.send(msg)));
}

const NOW = new Date('2030-01-02T03:04:05.000Z');
const COOLDOWN = DISPATCHER_DEFAULTS.breaker.cooldownMs;
const THRESHOLD = DISPATCHER_DEFAULTS.breaker.failureThreshold;

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(NOW);
  // The upper end of the jitter: backoff delays are 250, 500, 1000 ms by default.
  vi.spyOn(Math, 'random').mockReturnValue(1);
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

function healthOf(dispatcher: Dispatcher, id: string) {
  return dispatcher.health().providers.find((provider) => provider.id === id)!;
}

/** Fails `THRESHOLD` sends on `a` (one attempt each, NETWORK) so that its breaker opens. */
async function openBreakerOf(dispatcher: Dispatcher, a: ScriptedProvider): Promise<number> {
  const before = a.calls.length;
  for (let index = 0; index < THRESHOLD; index++) await sendAndSettle(dispatcher);
  expect(a.calls.length - before).toBe(THRESHOLD);
  expect(healthOf(dispatcher, a.id).state).toBe('open');
  return Date.now();
}

// ---------------------------------------------------------------------------------------------------------

describe('Circuit breaker through the dispatcher', () => {
  it.each(['NETWORK', 'TIMEOUT', 'PROVIDER_UNAVAILABLE'] as const)(
    'opens after 5 consecutive %s failures and emits breaker-open once',
    async (code) => {
      const a = scripted('a', [], code);
      const b = scripted('b');
      const { dispatcher, events } = dispatcherOf([a, b], { retry: { retries: 0 } });
      for (let index = 1; index < THRESHOLD; index++) {
        const send = await sendAndSettle(dispatcher);
        expect(send.value).toMatchObject({ provider: 'b' });
        expect(healthOf(dispatcher, 'a')).toEqual({ id: 'a', state: 'closed', consecutiveFailures: index });
      }
      expect(payloads(events, 'breaker-open')).toEqual([]);
      await sendAndSettle(dispatcher);
      const openedAt = Date.now();
      expect(payloads(events, 'breaker-open')).toEqual([
        { provider: 'a', consecutiveFailures: THRESHOLD, probeAt: openedAt + COOLDOWN, at: openedAt },
      ]);
      // The event comes after the failed attempt and before the failover it caused.
      const order = names(events);
      expect(order.indexOf('breaker-open')).toBeLessThan(order.lastIndexOf('failover'));
      expect(healthOf(dispatcher, 'a')).toEqual({
        id: 'a',
        state: 'open',
        consecutiveFailures: THRESHOLD,
        openedAt,
        probeAt: openedAt + COOLDOWN,
      });
      // More sends while open: no second breaker-open.
      for (let index = 0; index < 5; index++) await sendAndSettle(dispatcher);
      expect(payloads(events, 'breaker-open')).toHaveLength(1);
      expect(a.calls).toHaveLength(THRESHOLD);
    },
  );

  it('while open, sends skip the provider: a failover event with PROVIDER_UNAVAILABLE, no call to it', async () => {
    const a = scripted('a', [], 'NETWORK');
    const b = scripted('b');
    const { dispatcher, events } = dispatcherOf([a, b], { retry: { retries: 0 } });
    await openBreakerOf(dispatcher, a);
    events.length = 0;
    const bCallsBefore = b.calls.length;

    for (let index = 0; index < 10; index++) {
      const send = track(dispatcher.send(message({ reference: `skip-${index}` })));
      await flush();
      // Skipping costs no time at all.
      expect(send.status).toBe('fulfilled');
      expect(send.value).toMatchObject({ provider: 'b', attempts: 1, unconfirmedAttempts: 0 });
    }
    expect(a.calls).toHaveLength(THRESHOLD);
    expect(b.calls.length - bCallsBefore).toBe(10);
    const failovers = payloads(events, 'failover');
    expect(failovers).toHaveLength(10);
    for (const failover of failovers) {
      expect(failover).toMatchObject({ provider: 'a', nextProvider: 'b', attempt: 0 });
      expectOtpError(failover.error, 'PROVIDER_UNAVAILABLE');
      expect(failover.error.provider).toBe('a');
      expect(failover.error.message).toContain('circuit breaker');
    }
    expect(names(events).slice(0, 3)).toEqual(['queued', 'failover', 'sent']);
    expect(payloads(events, 'sent').every((sent) => sent.provider === 'b')).toBe(true);
  });

  it('with no fallback, an open breaker fails the send at once with PROVIDER_UNAVAILABLE', async () => {
    const a = scripted('a', [], 'NETWORK');
    const { dispatcher, events } = dispatcherOf([a], { retry: { retries: 0 } });
    await openBreakerOf(dispatcher, a);
    events.length = 0;
    const send = track(dispatcher.send(message()));
    await flush();
    expect(send.status).toBe('rejected');
    expect(send.settledAt).toBe(send.startedAt);
    const error = expectOtpError(send.reason, 'PROVIDER_UNAVAILABLE');
    expect(error.message).toMatch(/circuit breaker/);
    expectOtpError(error.cause, 'PROVIDER_UNAVAILABLE');
    expect(a.calls).toHaveLength(THRESHOLD);
    expect(names(events)).toEqual(['queued', 'failed']);
    expect(payloads(events, 'failed')[0]).toMatchObject({ attempt: 0, unconfirmedAttempts: 0 });
    expect(payloads(events, 'failed')[0]!.error).toBe(error);
  });

  it('also skips the last of several providers when every breaker is open', async () => {
    const a = scripted('a', [], 'PROVIDER_UNAVAILABLE');
    const b = scripted('b', [], 'PROVIDER_UNAVAILABLE');
    const { dispatcher, events } = dispatcherOf([a, b], { retry: { retries: 0 } });
    for (let index = 0; index < THRESHOLD; index++) await sendAndSettle(dispatcher);
    expect(dispatcher.health().providers.map((provider) => provider.state)).toEqual(['open', 'open']);
    events.length = 0;
    const send = track(dispatcher.send(message()));
    await flush();
    expectOtpError(send.reason, 'PROVIDER_UNAVAILABLE');
    expect([a.calls.length, b.calls.length]).toEqual([THRESHOLD, THRESHOLD]);
    // b is not "next" for a (its breaker would not allow), so no failover event is announced.
    expect(names(events)).toEqual(['queued', 'failed']);
  });

  it('after cooldownMs one probe goes to the primary; concurrent sends still skip it; success closes', async () => {
    const probe = deferred<SendReceipt>();
    const a = scripted('a', [...Array<Outcome>(THRESHOLD).fill('NETWORK'), () => probe.promise]);
    const b = scripted('b');
    const { dispatcher, events } = dispatcherOf([a, b], { retry: { retries: 0 } });
    const openedAt = await openBreakerOf(dispatcher, a);

    // One ms before the cool-down ends, still skipped.
    await vi.advanceTimersByTimeAsync(COOLDOWN - 1);
    const early = await sendAndSettle(dispatcher);
    expect(early.value).toMatchObject({ provider: 'b' });
    expect(a.calls).toHaveLength(THRESHOLD);

    await vi.advanceTimersByTimeAsync(openedAt + COOLDOWN - Date.now());
    events.length = 0;
    const probing = track(dispatcher.send(message({ reference: 'probe' })));
    await flush();
    expect(a.calls).toHaveLength(THRESHOLD + 1);
    expect(a.calls.at(-1)!.message.reference).toBe('probe');
    expect(healthOf(dispatcher, 'a').state).toBe('half-open');

    // While the probe is in flight, other sends skip a.
    const others = [track(dispatcher.send(message())), track(dispatcher.send(message()))];
    await flush();
    expect(others.map((send) => send.value?.provider)).toEqual(['b', 'b']);
    expect(a.calls).toHaveLength(THRESHOLD + 1);
    expect(payloads(events, 'failover').map((event) => event.error.code)).toEqual([
      'PROVIDER_UNAVAILABLE',
      'PROVIDER_UNAVAILABLE',
    ]);

    await vi.advanceTimersByTimeAsync(5);
    probe.resolve(receiptOf('a', 99, message()));
    await flush();
    expect(probing.value).toMatchObject({ provider: 'a', messageId: 'a-99', attempts: 1 });
    expect(payloads(events, 'breaker-closed')).toEqual([{ provider: 'a', at: Date.now() }]);
    expect(healthOf(dispatcher, 'a')).toEqual({ id: 'a', state: 'closed', consecutiveFailures: 0 });

    // Traffic is back on a.
    const aCalls = a.calls.length;
    const bCalls = b.calls.length;
    for (let index = 0; index < 5; index++) {
      const send = await sendAndSettle(dispatcher);
      expect(send.value).toMatchObject({ provider: 'a' });
    }
    expect(a.calls.length - aCalls).toBe(5);
    expect(b.calls.length).toBe(bCalls);
  });

  it('a failed probe re-opens the breaker for another cool-down', async () => {
    const a = scripted('a', [...Array<Outcome>(THRESHOLD + 1).fill('NETWORK')]);
    const b = scripted('b');
    const { dispatcher, events } = dispatcherOf([a, b], { retry: { retries: 0 } });
    const openedAt = await openBreakerOf(dispatcher, a);
    await vi.advanceTimersByTimeAsync(openedAt + COOLDOWN - Date.now());

    const probe = await sendAndSettle(dispatcher);
    expect(probe.value).toMatchObject({ provider: 'b', attempts: 2 });
    expect(a.calls).toHaveLength(THRESHOLD + 1);
    const reopenedAt = Date.now();
    const opens = payloads(events, 'breaker-open');
    expect(opens).toHaveLength(2);
    expect(opens[1]).toEqual({
      provider: 'a',
      consecutiveFailures: THRESHOLD + 1,
      probeAt: reopenedAt + COOLDOWN,
      at: reopenedAt,
    });
    expect(payloads(events, 'breaker-closed')).toEqual([]);
    expect(healthOf(dispatcher, 'a')).toMatchObject({ state: 'open', openedAt: reopenedAt });

    // Skipped again for a whole cool-down; then a probe finds it recovered.
    await vi.advanceTimersByTimeAsync(COOLDOWN - 1);
    await sendAndSettle(dispatcher);
    expect(a.calls).toHaveLength(THRESHOLD + 1);
    await vi.advanceTimersByTimeAsync(1);
    const second = await sendAndSettle(dispatcher);
    expect(second.value).toMatchObject({ provider: 'a' });
    expect(payloads(events, 'breaker-closed')).toHaveLength(1);
  });

  it('a probe that times out re-opens the breaker', async () => {
    const a = scripted('a', [...Array<Outcome>(THRESHOLD).fill('NETWORK'), 'hang']);
    const b = scripted('b');
    const { dispatcher, events } = dispatcherOf([a, b], { retry: { retries: 0 }, timeoutMs: 2000 });
    const openedAt = await openBreakerOf(dispatcher, a);
    await vi.advanceTimersByTimeAsync(openedAt + COOLDOWN - Date.now());
    const probeStart = Date.now();
    const probe = await sendAndSettle(dispatcher);
    expect(probe.value).toMatchObject({ provider: 'b', unconfirmedAttempts: 1 });
    expect(payloads(events, 'breaker-open')).toHaveLength(2);
    expect(payloads(events, 'breaker-open')[1]!.at).toBe(probeStart + 2000);
  });

  it.each(['REJECTED', 'AUTHENTICATION'] as const)('%s does not count and resets the count', async (code) => {
    const a = scripted('a', [
      ...Array<Outcome>(THRESHOLD - 1).fill('NETWORK'),
      code,
      ...Array<Outcome>(THRESHOLD - 1).fill('TIMEOUT'),
    ]);
    const b = scripted('b');
    const { dispatcher, events } = dispatcherOf([a, b], { retry: { retries: 0 } });
    for (let index = 0; index < THRESHOLD - 1; index++) await sendAndSettle(dispatcher);
    expect(healthOf(dispatcher, 'a').consecutiveFailures).toBe(THRESHOLD - 1);

    const answered = await sendAndSettle(dispatcher);
    if (code === 'REJECTED') expectOtpError(answered.reason, 'REJECTED');
    else expect(answered.value).toMatchObject({ provider: 'b' });
    expect(healthOf(dispatcher, 'a')).toEqual({ id: 'a', state: 'closed', consecutiveFailures: 0 });

    for (let index = 0; index < THRESHOLD - 1; index++) await sendAndSettle(dispatcher);
    expect(healthOf(dispatcher, 'a')).toEqual({
      id: 'a',
      state: 'closed',
      consecutiveFailures: THRESHOLD - 1,
    });
    expect(payloads(events, 'breaker-open')).toEqual([]);
    // Still closed: a is tried (and now answers).
    const last = await sendAndSettle(dispatcher);
    expect(last.value).toMatchObject({ provider: 'a' });
    expect(a.calls).toHaveLength(2 * THRESHOLD);
  });

  it('RATE_LIMITED does not count either (the vendor answered)', async () => {
    const a = scripted('a', [], 'RATE_LIMITED');
    const b = scripted('b');
    const { dispatcher, events } = dispatcherOf([a, b], { retry: { retries: 0 } });
    for (let index = 0; index < 2 * THRESHOLD; index++) await sendAndSettle(dispatcher);
    expect(a.calls).toHaveLength(2 * THRESHOLD);
    expect(payloads(events, 'breaker-open')).toEqual([]);
    expect(healthOf(dispatcher, 'a')).toEqual({ id: 'a', state: 'closed', consecutiveFailures: 0 });
  });

  it('a caller abort or a deadline cut in flight is neutral: neither counts nor resets', async () => {
    const a = scripted('a', [...Array<Outcome>(THRESHOLD - 1).fill('NETWORK'), 'hang', 'hang', 'NETWORK']);
    const { dispatcher, events } = dispatcherOf([a], { retry: { retries: 0 }, deadlineMs: 5000 });
    for (let index = 0; index < THRESHOLD - 1; index++) await sendAndSettle(dispatcher);

    const controller = new AbortController();
    const aborted = track(dispatcher.send(message(), { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(100);
    controller.abort();
    await flush();
    expectOtpError(aborted.reason, 'ABORTED');
    expect(healthOf(dispatcher, 'a')).toMatchObject({ state: 'closed', consecutiveFailures: THRESHOLD - 1 });

    const cut = await sendAndSettle(dispatcher);
    expectOtpError(cut.reason, 'TIMEOUT');
    expect(healthOf(dispatcher, 'a')).toMatchObject({ state: 'closed', consecutiveFailures: THRESHOLD - 1 });
    expect(payloads(events, 'breaker-open')).toEqual([]);

    await sendAndSettle(dispatcher);
    expect(payloads(events, 'breaker-open')).toHaveLength(1);
  });

  it('a breaker opening mid-send does not cut that send’s retries on that provider', async () => {
    const a = scripted('a', [], 'PROVIDER_UNAVAILABLE');
    const b = scripted('b');
    const { dispatcher, events } = dispatcherOf([a, b]);
    // PROVIDER_UNAVAILABLE is not in failFastOn: each send makes 4 attempts on a, then fails over.
    const first = await sendAndSettle(dispatcher);
    expect(first.value).toMatchObject({ provider: 'b', attempts: 5 });
    expect(healthOf(dispatcher, 'a').consecutiveFailures).toBe(4);

    const second = track(dispatcher.send(message({ reference: 'second' })));
    await flush();
    // The 5th failure, on the second send's first attempt, opens the breaker...
    expect(a.calls).toHaveLength(5);
    expect(payloads(events, 'breaker-open')).toHaveLength(1);
    expect(healthOf(dispatcher, 'a').state).toBe('open');
    // ...yet the second send goes on retrying a: 3 more attempts, then fails over.
    await settle(second);
    expect(a.calls).toHaveLength(8);
    expect(a.calls.slice(4).every((call) => call.message.reference === 'second')).toBe(true);
    expect(second.value).toMatchObject({ provider: 'b', attempts: 5 });
    expect(
      payloads(events, 'retrying')
        .filter((event) => event.id === second.value!.id)
        .map((event) => event.provider),
    ).toEqual(['a', 'a', 'a']);
    expect(payloads(events, 'breaker-open')).toHaveLength(1);
    expect(healthOf(dispatcher, 'a')).toMatchObject({ state: 'open', consecutiveFailures: 8 });

    // The next send skips a.
    const third = await sendAndSettle(dispatcher);
    expect(third.value).toMatchObject({ provider: 'b', attempts: 1 });
    expect(a.calls).toHaveLength(8);
  });

  it('a single provider whose breaker opens mid-send is still retried by that send, and succeeds', async () => {
    const a = scripted('a', Array<Outcome>(THRESHOLD + 1).fill('NETWORK'));
    const { dispatcher, events } = dispatcherOf([a]);
    const first = await sendAndSettle(dispatcher);
    expectOtpError(first.reason, 'NETWORK');
    // 4 failures so far; the 5th (second send, attempt 1) opens, the 6th keeps it open, the 7th succeeds.
    const second = await sendAndSettle(dispatcher);
    expect(second.value).toMatchObject({ provider: 'a', attempts: 3 });
    expect(payloads(events, 'breaker-open')).toHaveLength(1);
    // An answer from a send already in flight closes the breaker: the vendor is up.
    expect(payloads(events, 'breaker-closed')).toHaveLength(1);
    expect(healthOf(dispatcher, 'a')).toEqual({ id: 'a', state: 'closed', consecutiveFailures: 0 });
  });

  it('breaker: false never skips a provider', async () => {
    const a = scripted('a', [], 'NETWORK');
    const b = scripted('b');
    const { dispatcher, events } = dispatcherOf([a, b], { breaker: false, retry: { retries: 0 } });
    for (let index = 0; index < 4 * THRESHOLD; index++) {
      const send = await sendAndSettle(dispatcher);
      expect(send.value).toMatchObject({ provider: 'b', attempts: 2 });
    }
    expect(a.calls).toHaveLength(4 * THRESHOLD);
    expect(payloads(events, 'breaker-open')).toEqual([]);
    expect(payloads(events, 'failover').every((event) => event.error.code === 'NETWORK')).toBe(true);
    expect(dispatcher.health().providers).toEqual([
      { id: 'a', state: 'closed', consecutiveFailures: 0 },
      { id: 'b', state: 'closed', consecutiveFailures: 0 },
    ]);
  });

  it('honours failureThreshold and cooldownMs', async () => {
    const a = scripted('a', ['TIMEOUT', 'TIMEOUT']);
    const b = scripted('b');
    const { dispatcher, events } = dispatcherOf([a, b], {
      retry: { retries: 0 },
      breaker: { failureThreshold: 2, cooldownMs: 1000 },
    });
    await sendAndSettle(dispatcher);
    expect(payloads(events, 'breaker-open')).toEqual([]);
    await sendAndSettle(dispatcher);
    const [opened] = payloads(events, 'breaker-open');
    expect(opened).toMatchObject({ consecutiveFailures: 2, probeAt: opened!.at + 1000 });
    await vi.advanceTimersByTimeAsync(999);
    expect((await sendAndSettle(dispatcher)).value).toMatchObject({ provider: 'b' });
    await vi.advanceTimersByTimeAsync(1);
    expect((await sendAndSettle(dispatcher)).value).toMatchObject({ provider: 'a' });
  });

  it('health() reflects breaker states, queue and flight counts, and closing', async () => {
    const probe = deferred<SendReceipt>();
    const a = scripted('a', ['NETWORK', 'NETWORK', 'NETWORK', 'NETWORK', 'NETWORK', () => probe.promise]);
    const b = scripted('b');
    const { dispatcher } = dispatcherOf([a, b], { retry: { retries: 0 }, concurrency: 1 });
    expect(dispatcher.health()).toEqual({
      providers: [
        { id: 'a', state: 'closed', consecutiveFailures: 0 },
        { id: 'b', state: 'closed', consecutiveFailures: 0 },
      ],
      queued: 0,
      inFlight: 0,
      closed: false,
    });
    await sendAndSettle(dispatcher);
    await sendAndSettle(dispatcher);
    expect(dispatcher.health().providers[0]).toEqual({ id: 'a', state: 'closed', consecutiveFailures: 2 });
    for (let index = 0; index < 3; index++) await sendAndSettle(dispatcher);
    const openedAt = Date.now();
    expect(dispatcher.health().providers[0]).toEqual({
      id: 'a',
      state: 'open',
      consecutiveFailures: 5,
      openedAt,
      probeAt: openedAt + COOLDOWN,
    });

    await vi.advanceTimersByTimeAsync(COOLDOWN);
    const probing = track(dispatcher.send(message()));
    await flush();
    // With concurrency 1, a second send waits behind the probe.
    const queuedBehind = track(dispatcher.send(message()));
    await flush();
    expect(dispatcher.health()).toEqual({
      providers: [
        { id: 'a', state: 'half-open', consecutiveFailures: 5, openedAt, probeAt: openedAt + COOLDOWN },
        { id: 'b', state: 'closed', consecutiveFailures: 0 },
      ],
      queued: 1,
      inFlight: 1,
      closed: false,
    });
    probe.resolve(receiptOf('a', 1, message()));
    await flush();
    expect(probing.status).toBe('fulfilled');
    await flush();
    expect(queuedBehind.value).toMatchObject({ provider: 'a' });
    const closing = dispatcher.close();
    expect(dispatcher.health()).toMatchObject({
      providers: [
        { id: 'a', state: 'closed', consecutiveFailures: 0 },
        { id: 'b', state: 'closed', consecutiveFailures: 0 },
      ],
      queued: 0,
      inFlight: 0,
      closed: true,
    });
    await closing;
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('Deadline per send', () => {
  it('defaults to 30 s', () => {
    expect(DISPATCHER_DEFAULTS.deadlineMs).toBe(30_000);
  });

  it('a send still queued at its deadline fails TIMEOUT with one failed event; the provider is never called for it', async () => {
    const held = deferred<SendReceipt>();
    const a = scripted('a', [() => held.promise]);
    const { dispatcher, events } = dispatcherOf([a], {
      concurrency: 1,
      deadlineMs: 10_000,
      timeoutMs: 60_000,
    });
    const running = track(dispatcher.send(message({ reference: 'running' })));
    // A send waiting behind another can only reach its deadline together with it (same deadlineMs, FIFO),
    // so both are accepted in the same millisecond: the slot frees at the very moment the waiting send's
    // deadline passes, and the waiting send must fail without a vendor call.
    const waiting = track(dispatcher.send(message({ reference: 'waiting' })));
    await flush();
    expect(dispatcher.health()).toMatchObject({ queued: 1, inFlight: 1 });
    await vi.advanceTimersByTimeAsync(9_999);
    expect(waiting.status).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    await flush();
    expect(running.status).toBe('rejected');
    expect(waiting.status).toBe('rejected');
    const error = expectOtpError(waiting.reason, 'TIMEOUT');
    expect(error.message).toContain('10000 ms');
    expect(waiting.settledAt! - waiting.startedAt).toBe(10_000);
    expect(a.calls.map((call) => call.message.reference)).toEqual(['running']);
    const failed = payloads(events, 'failed').filter((event) => event.reference === 'waiting');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ attempt: 0, unconfirmedAttempts: 0, elapsedMs: 10_000 });
    expect(failed[0]!.error).toBe(error);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(a.calls).toHaveLength(1);
    expect(payloads(events, 'failed')).toHaveLength(2);
    expect(dispatcher.health()).toMatchObject({ queued: 0, inFlight: 0 });
  });

  it('an in-flight attempt is aborted at the deadline: TIMEOUT, no further attempt, no failover', async () => {
    const a = scripted('a', [], 'hang');
    const b = scripted('b');
    const { dispatcher, events } = dispatcherOf([a, b], { deadlineMs: 5_000 });
    const send = track(dispatcher.send(message()));
    await vi.advanceTimersByTimeAsync(4_999);
    expect(send.status).toBe('pending');
    const signal = a.calls[0]!.context.signal;
    expect(signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(send.status).toBe('rejected');
    expect(send.settledAt! - send.startedAt).toBe(5_000);
    const error = expectOtpError(send.reason, 'TIMEOUT');
    expect(error.message).toContain('deadline');
    expect(error.provider).toBe('a');
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(error);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(a.calls).toHaveLength(1);
    expect(b.calls).toHaveLength(0);
    expect(names(events)).toEqual(['queued', 'failed']);
    expect(payloads(events, 'failed')[0]).toMatchObject({
      provider: 'a',
      attempt: 1,
      unconfirmedAttempts: 1,
      elapsedMs: 5_000,
    });
    // The cut is not the vendor's fault.
    expect(healthOf(dispatcher, 'a').consecutiveFailures).toBe(0);
  });

  it('cuts an attempt on the fallback too: the deadline covers failover', async () => {
    const a = scripted('a', [], 'hang');
    const b = scripted('b', [], 'hang');
    const { dispatcher, events } = dispatcherOf([a, b], { timeoutMs: 4_000, deadlineMs: 6_000 });
    const send = track(dispatcher.send(message()));
    await vi.advanceTimersByTimeAsync(4_000);
    expect(b.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expectOtpError(send.reason, 'TIMEOUT');
    expect(send.settledAt! - send.startedAt).toBe(6_000);
    expect(b.calls[0]!.context.signal.aborted).toBe(true);
    expect((send.reason as OtpError).provider).toBe('b');
    expect(payloads(events, 'failed')[0]).toMatchObject({
      provider: 'b',
      attempt: 2,
      unconfirmedAttempts: 2,
    });
  });

  it('a Retry-After that would cross the deadline is not waited: the next provider is tried at once', async () => {
    const limited = new OtpError('RATE_LIMITED', 'a: slow down', { provider: 'a', retryAfterMs: 20_000 });
    const a = scripted('a', [], limited);
    const b = scripted('b');
    const { dispatcher, events } = dispatcherOf([a, b], { deadlineMs: 10_000 });
    const send = track(dispatcher.send(message()));
    await flush();
    expect(send.status).toBe('fulfilled');
    expect(send.settledAt).toBe(send.startedAt);
    expect(send.value).toMatchObject({ provider: 'b', attempts: 2 });
    expect(a.calls).toHaveLength(1);
    expect(payloads(events, 'retrying')).toEqual([]);
    expect(payloads(events, 'failover')[0]!.error).toBe(limited);
  });

  it('with no provider left, it fails at once with TIMEOUT whose cause is the RATE_LIMITED error', async () => {
    const limited = new OtpError('RATE_LIMITED', 'a: slow down', { provider: 'a', retryAfterMs: 20_000 });
    const a = scripted('a', [], limited);
    const { dispatcher, events } = dispatcherOf([a], { deadlineMs: 10_000 });
    const send = track(dispatcher.send(message()));
    await flush();
    expect(send.status).toBe('rejected');
    expect(send.settledAt).toBe(send.startedAt);
    const error = expectOtpError(send.reason, 'TIMEOUT');
    expect(error.cause).toBe(limited);
    expect(error.provider).toBe('a');
    expect(error.message).toContain('deadline');
    expect(a.calls).toHaveLength(1);
    expect(names(events)).toEqual(['queued', 'failed']);
  });

  it('the same Retry-After is waited when the deadline allows it', async () => {
    const limited = new OtpError('RATE_LIMITED', 'a: slow down', { provider: 'a', retryAfterMs: 20_000 });
    const a = scripted('a', [limited]);
    const { dispatcher, events } = dispatcherOf([a], { deadlineMs: 25_000 });
    const send = await sendAndSettle(dispatcher);
    expect(send.value).toMatchObject({ provider: 'a', attempts: 2 });
    expect(send.settledAt! - send.startedAt).toBe(20_000);
    expect(payloads(events, 'retrying').map((event) => event.delayMs)).toEqual([20_000]);
  });

  it('an exponential backoff that would cross the deadline is not waited either', async () => {
    const a = scripted('a', [], 'PROVIDER_UNAVAILABLE');
    const { dispatcher, events } = dispatcherOf([a], {
      deadlineMs: 10_000,
      retry: { minDelayMs: 4_000, maxDelayMs: 8_000 },
    });
    const send = await sendAndSettle(dispatcher);
    // Attempt 1 at 0, 4 s backoff, attempt 2 at 4 s; the next 8 s backoff would end past 10 s.
    expect(a.calls.map((call) => call.at - send.startedAt)).toEqual([0, 4_000]);
    expect(send.settledAt! - send.startedAt).toBe(4_000);
    const error = expectOtpError(send.reason, 'TIMEOUT');
    expectOtpError(error.cause, 'PROVIDER_UNAVAILABLE');
    expect(payloads(events, 'retrying').map((event) => event.delayMs)).toEqual([4_000]);
  });

  it.each([
    { deadlineMs: 1, timeoutMs: 10_000 },
    { deadlineMs: 2_500, timeoutMs: 1_000 },
    { deadlineMs: 9_999, timeoutMs: 3_000 },
    { deadlineMs: 20_000, timeoutMs: 8_000 },
    { deadlineMs: 30_000, timeoutMs: 10_000 },
  ])('send() never takes longer than the deadline: %o', async ({ deadlineMs, timeoutMs }) => {
    const slow = (ms: number): Outcome => after(ms, 'x', () => 1);
    const a = scripted('a', ['hang', 'PROVIDER_UNAVAILABLE', 'hang', 'RATE_LIMITED', slow(timeoutMs - 1)]);
    const b = scripted('b', ['hang', 'NETWORK', 'hang'], 'hang');
    const c = scripted('c', [], 'hang');
    const { dispatcher } = dispatcherOf([a, b, c], { deadlineMs, timeoutMs, failFastOn: [] });
    const send = await sendAndSettle(dispatcher, message());
    expect(send.settledAt! - send.startedAt).toBeLessThanOrEqual(deadlineMs);
  });

  it('send() never takes longer than the default deadline with every provider hanging', async () => {
    const providers = ['a', 'b', 'c'].map((id) => scripted(id, [], 'hang'));
    const { dispatcher } = dispatcherOf(providers, { failFastOn: [] });
    const send = await sendAndSettle(dispatcher);
    expect(send.settledAt! - send.startedAt).toBe(30_000);
    expectOtpError(send.reason, 'TIMEOUT');
    // 10 s per attempt, 250 ms backoff: 0-10 000, 10 250-20 250, 20 750-30 000 (cut).
    expect(providers[0]!.calls).toHaveLength(3);
    expect(providers[1]!.calls).toHaveLength(0);
    expect((send.reason as OtpError).message).toContain('deadline');
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('failFastOn', () => {
  it('defaults to TIMEOUT and NETWORK', () => {
    expect([...DISPATCHER_DEFAULTS.failFastOn].sort()).toEqual(['NETWORK', 'TIMEOUT']);
  });

  it('TIMEOUT with a fallback: one attempt on the primary, then failover', async () => {
    const a = scripted('a', [], 'hang');
    const b = scripted('b');
    const { dispatcher, events } = dispatcherOf([a, b]);
    const send = await sendAndSettle(dispatcher);
    expect(send.value).toMatchObject({ provider: 'b', attempts: 2, unconfirmedAttempts: 1 });
    expect(send.settledAt! - send.startedAt).toBe(DISPATCHER_DEFAULTS.timeoutMs);
    expect(a.calls).toHaveLength(1);
    expect(payloads(events, 'retrying')).toEqual([]);
    expect(payloads(events, 'failover').map((event) => event.error.code)).toEqual(['TIMEOUT']);
  });

  it('NETWORK with a fallback: one attempt on the primary, then failover at once', async () => {
    const a = scripted('a', [], 'NETWORK');
    const b = scripted('b');
    const { dispatcher, events } = dispatcherOf([a, b]);
    const send = await sendAndSettle(dispatcher);
    expect(send.value).toMatchObject({ provider: 'b', attempts: 2, unconfirmedAttempts: 0 });
    expect(send.settledAt).toBe(send.startedAt);
    expect(a.calls).toHaveLength(1);
    expect(names(events)).toEqual(['queued', 'failover', 'sent']);
  });

  it('with failFastOn [], NETWORK and TIMEOUT are retried before failover', async () => {
    const a = scripted('a', ['NETWORK', 'NETWORK', 'NETWORK', 'NETWORK']);
    const b = scripted('b');
    const { dispatcher, events } = dispatcherOf([a, b], { failFastOn: [] });
    const send = await sendAndSettle(dispatcher);
    expect(a.calls).toHaveLength(4);
    expect(send.value).toMatchObject({ provider: 'b', attempts: 5 });
    expect(payloads(events, 'retrying').map((event) => event.delayMs)).toEqual([250, 500, 1000]);
    expect(names(events)).toEqual(['queued', 'retrying', 'retrying', 'retrying', 'failover', 'sent']);

    const c = scripted('c', ['hang']);
    const d = scripted('d');
    const other = dispatcherOf([c, d], { failFastOn: [], timeoutMs: 1_000 });
    const retried = await sendAndSettle(other.dispatcher);
    expect(retried.value).toMatchObject({ provider: 'c', attempts: 2, unconfirmedAttempts: 1 });
    expect(d.calls).toHaveLength(0);
  });

  it('a code added to failFastOn fails over without retries (PROVIDER_UNAVAILABLE)', async () => {
    const a = scripted('a', [], 'PROVIDER_UNAVAILABLE');
    const b = scripted('b');
    const { dispatcher } = dispatcherOf([a, b], { failFastOn: ['PROVIDER_UNAVAILABLE'] });
    const send = await sendAndSettle(dispatcher);
    expect(a.calls).toHaveLength(1);
    expect(send.value).toMatchObject({ provider: 'b', attempts: 2 });
  });

  it('with a single provider, TIMEOUT and NETWORK are retried normally', async () => {
    const a = scripted('a', ['NETWORK', 'hang', 'NETWORK']);
    const { dispatcher, events } = dispatcherOf([a], { timeoutMs: 1_000 });
    const send = await sendAndSettle(dispatcher);
    expect(a.calls).toHaveLength(4);
    expect(send.value).toMatchObject({ provider: 'a', attempts: 4, unconfirmedAttempts: 1 });
    expect(payloads(events, 'retrying').map((event) => event.error.code)).toEqual([
      'NETWORK',
      'TIMEOUT',
      'NETWORK',
    ]);
  });

  it('on the last provider of several, TIMEOUT and NETWORK are retried normally', async () => {
    const a = scripted('a', [], 'AUTHENTICATION');
    const b = scripted('b', ['NETWORK', 'NETWORK']);
    const { dispatcher } = dispatcherOf([a, b]);
    const send = await sendAndSettle(dispatcher);
    expect(send.value).toMatchObject({ provider: 'b', attempts: 4 });
  });

  it('when the fallback’s breaker is open, the primary is retried instead of failing over', async () => {
    // Open b's breaker: a refuses the credentials (not counted against a), b cannot be reached.
    const a = scripted('a', ['AUTHENTICATION', 'AUTHENTICATION', 'NETWORK', 'NETWORK']);
    const b = scripted('b', [], 'NETWORK');
    const { dispatcher, events } = dispatcherOf([a, b], { retry: { minDelayMs: 10, maxDelayMs: 10 } });
    await sendAndSettle(dispatcher);
    await sendAndSettle(dispatcher);
    expect(healthOf(dispatcher, 'b').state).toBe('open');
    expect(healthOf(dispatcher, 'a')).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
    const bCalls = b.calls.length;
    events.length = 0;

    const send = await sendAndSettle(dispatcher);
    expect(send.value).toMatchObject({ provider: 'a', attempts: 3 });
    expect(b.calls).toHaveLength(bCalls);
    expect(payloads(events, 'failover')).toEqual([]);
    expect(payloads(events, 'retrying').map((event) => [event.provider, event.error.code])).toEqual([
      ['a', 'NETWORK'],
      ['a', 'NETWORK'],
    ]);
  });

  it('fails fast again once the fallback’s cool-down is over (its probe is allowed)', async () => {
    const a = scripted('a', ['AUTHENTICATION', 'AUTHENTICATION', 'NETWORK']);
    const b = scripted('b', Array<Outcome>(8).fill('NETWORK'));
    const { dispatcher } = dispatcherOf([a, b], { retry: { minDelayMs: 10, maxDelayMs: 10 } });
    await sendAndSettle(dispatcher);
    await sendAndSettle(dispatcher);
    expect(healthOf(dispatcher, 'b').state).toBe('open');
    await vi.advanceTimersByTimeAsync(COOLDOWN);
    const send = await sendAndSettle(dispatcher);
    expect(send.value).toMatchObject({ provider: 'b', attempts: 2 });
    expect(healthOf(dispatcher, 'b').state).toBe('closed');
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('unconfirmedAttempts', () => {
  it('counts attempts that timed out, on the sent event and the result', async () => {
    const a = scripted('a', ['hang', 'hang']);
    const { dispatcher, events } = dispatcherOf([a], { timeoutMs: 1_000 });
    const send = await sendAndSettle(dispatcher);
    expect(send.value).toMatchObject({ provider: 'a', attempts: 3, unconfirmedAttempts: 2 });
    expect(payloads(events, 'sent')[0]).toMatchObject({ attempt: 3, unconfirmedAttempts: 2 });
  });

  it('is 0 when no attempt timed out, even after failures with an answer', async () => {
    const a = scripted('a', ['PROVIDER_UNAVAILABLE', 'RATE_LIMITED', 'NETWORK']);
    const { dispatcher, events } = dispatcherOf([a]);
    const send = await sendAndSettle(dispatcher);
    expect(send.value).toMatchObject({ attempts: 4, unconfirmedAttempts: 0 });
    expect(payloads(events, 'sent')[0]!.unconfirmedAttempts).toBe(0);
  });

  it('counts a TIMEOUT the provider raised itself (its own time limit), not a NETWORK failure', async () => {
    const a = scripted('a', ['TIMEOUT', 'NETWORK']);
    const { dispatcher, events } = dispatcherOf([a]);
    const send = await sendAndSettle(dispatcher);
    expect(send.value).toMatchObject({ attempts: 3, unconfirmedAttempts: 1 });
    expect(payloads(events, 'sent')[0]!.unconfirmedAttempts).toBe(1);
  });

  it('counts a timed-out primary when the fallback accepts', async () => {
    const a = scripted('a', [], 'hang');
    const b = scripted('b');
    const { dispatcher, events } = dispatcherOf([a, b], { timeoutMs: 1_000 });
    const send = await sendAndSettle(dispatcher);
    expect(send.value).toMatchObject({ provider: 'b', unconfirmedAttempts: 1 });
    expect(payloads(events, 'sent')[0]!.unconfirmedAttempts).toBe(1);
  });

  it('counts timeouts and the attempt cut by the deadline on the failed event', async () => {
    const a = scripted('a', [], 'hang');
    const { dispatcher, events } = dispatcherOf([a], {
      timeoutMs: 1_000,
      deadlineMs: 2_500,
      retry: { minDelayMs: 100, maxDelayMs: 100 },
    });
    const send = await sendAndSettle(dispatcher);
    expectOtpError(send.reason, 'TIMEOUT');
    // 0-1000 timeout, 1100-2100 timeout, 2200-2500 cut.
    expect(a.calls).toHaveLength(3);
    expect(payloads(events, 'failed')[0]).toMatchObject({ attempt: 3, unconfirmedAttempts: 3 });
  });

  it('counts an attempt cut by the caller’s abort', async () => {
    const a = scripted('a', [], 'hang');
    const { dispatcher, events } = dispatcherOf([a]);
    const controller = new AbortController();
    const send = track(dispatcher.send(message(), { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(10);
    controller.abort();
    await flush();
    expectOtpError(send.reason, 'ABORTED');
    expect(payloads(events, 'failed')[0]!.unconfirmedAttempts).toBe(1);
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('Outcome: a hanging primary and a healthy fallback, under default options', () => {
  it('first send within timeoutMs + 1 s; then within 50 ms of the fallback; back to the primary after the cool-down', async () => {
    const timeoutMs = DISPATCHER_DEFAULTS.timeoutMs;
    let primaryRecovered = false;
    let primaryAccepted = 0;
    let fallbackAccepted = 0;
    const FALLBACK_LATENCY = 5;
    const primarySend = after(5, 'primary', () => ++primaryAccepted);
    const hanging = {
      id: 'primary',
      calls: [] as { at: number; recovered: boolean }[],
      send(msg: OtpMessage, context: SendContext): Promise<SendReceipt> {
        hanging.calls.push({ at: Date.now(), recovered: primaryRecovered });
        if (!primaryRecovered) return hangUntilAborted(context.signal);
        return primarySend(msg, context);
      },
    };
    const fallbackSend = after(FALLBACK_LATENCY, 'fallback', () => ++fallbackAccepted);
    const fallback = {
      id: 'fallback',
      calls: 0,
      send(msg: OtpMessage, context: SendContext) {
        fallback.calls++;
        return fallbackSend(msg, context);
      },
    };
    const { dispatcher, events } = dispatcherOf([hanging, fallback]);

    // The fallback's own latency, sent directly.
    const direct = track(fallback.send(message(), { signal: new AbortController().signal, attempt: 1 }));
    await settle(direct);
    const directMs = direct.settledAt! - direct.startedAt;
    expect(directMs).toBe(FALLBACK_LATENCY);
    fallback.calls = 0;

    // 1st send: the primary hangs until the per-attempt timeout, then the fallback accepts.
    const first = await sendAndSettle(dispatcher, message({ reference: 'send-1' }));
    const firstMs = first.settledAt! - first.startedAt;
    expect(first.value).toMatchObject({ provider: 'fallback', unconfirmedAttempts: 1 });
    expect(firstMs).toBeLessThanOrEqual(timeoutMs + 1000);

    // Sends 2..5: each times out on the primary once; the 5th timeout opens its breaker.
    const slow: number[] = [firstMs];
    for (let index = 2; index <= THRESHOLD; index++) {
      const send = await sendAndSettle(dispatcher, message({ reference: `send-${index}` }));
      expect(send.value).toMatchObject({ provider: 'fallback' });
      slow.push(send.settledAt! - send.startedAt);
    }
    expect(hanging.calls).toHaveLength(THRESHOLD);
    const opened = payloads(events, 'breaker-open');
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({ provider: 'primary', consecutiveFailures: THRESHOLD });
    expect(healthOf(dispatcher, 'primary').state).toBe('open');

    // Sends 6..20 skip the primary: each within 50 ms of a direct send to the fallback.
    const fast: number[] = [];
    for (let index = 6; index <= 20; index++) {
      const send = await sendAndSettle(dispatcher, message({ reference: `send-${index}` }));
      expect(send.value).toMatchObject({ provider: 'fallback', attempts: 1, unconfirmedAttempts: 0 });
      fast.push(send.settledAt! - send.startedAt);
    }
    expect(hanging.calls).toHaveLength(THRESHOLD);
    for (const ms of fast) expect(ms - directMs).toBeLessThanOrEqual(50);

    // The primary recovers; after the cool-down, the probe and then the traffic go back to it.
    primaryRecovered = true;
    await vi.advanceTimersByTimeAsync(opened[0]!.probeAt - Date.now());
    const probe = await sendAndSettle(dispatcher, message({ reference: 'probe' }));
    expect(probe.value).toMatchObject({ provider: 'primary', attempts: 1 });
    expect(payloads(events, 'breaker-closed')).toEqual([{ provider: 'primary', at: probe.settledAt }]);
    const fallbackCalls = fallback.calls;
    for (let index = 0; index < 5; index++) {
      const send = await sendAndSettle(dispatcher);
      expect(send.value).toMatchObject({ provider: 'primary' });
    }
    expect(fallback.calls).toBe(fallbackCalls);
    expect(hanging.calls.filter((call) => call.recovered)).toHaveLength(6);

    console.info(
      `OUTCOME (virtual time, fake timers, default options): first send ${firstMs} ms (limit ${timeoutMs + 1000}); ` +
        `sends 1-5 ${slow.join('/')} ms; after the breaker opened ${Math.min(...fast)}-${Math.max(...fast)} ms ` +
        `vs ${directMs} ms direct; probe to the recovered primary at +${COOLDOWN} ms after opening`,
    );
  });
});
