/**
 * Fault injection against a real HTTP server that speaks Kaleyra's API: 503s, 429s with Retry-After,
 * replies slower than the attempt limit (which the vendor still counts as taken), connections reset
 * before a reply and 200s with HTML. Thousands of sends go through a Kaleyra dispatcher; the test checks
 * that every send ends exactly once, that nothing is lost, that every code the vendor got twice is
 * explained by an unconfirmed (timed-out) attempt, that a vendor fully down fails over, that the queue
 * bound holds memory under 100 000 enqueues, and that no secret leaks. The `FAULTS` lines it prints
 * feed docs/reliability.md.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { inspect } from 'node:util';
import { Worker } from 'node:worker_threads';
import {
  createDispatcher,
  type Dispatcher,
  type DispatcherEventName,
  type DispatcherOptions,
  type DispatchResult,
  type FailedEvent,
  type FailoverEvent,
  isOtpError,
  type OtpErrorCode,
  type OtpMessage,
  type RetryingEvent,
  type SentEvent,
} from '@otpkit/core';
import { createFakeProvider } from '@otpkit/provider-fake';
import { afterAll, beforeAll, describe, expect, it, type MockInstance, vi } from 'vitest';
import { createKaleyraProvider } from './kaleyra-provider.js';

const SID = 'HXFAULT0001IN';
const API_KEY = 'Ak-fault-suite-9f3c1e7d5b2a';
const SEED = 0x5eed_2024;
/** The attempt limit of the dispatcher, and how long a "slow" reply takes: well past it. */
const TIMEOUT_MS = 200;
const SLOW_REPLY_MS = 400;
const SENDS = 5000;

type FaultKind = 'unavailable' | 'rate-limit' | 'slow' | 'reset' | 'malformed';

/**
 * Share of requests that get each fault: 20 % in all. A 200 with HTML (a proxy answering; the vendor
 * never took the message) is `INVALID_RESPONSE`, which the error model makes non-retryable, so it is kept
 * rare: with no fallback, each one ends its send.
 */
const FAULT_RATES: readonly (readonly [FaultKind, number])[] = [
  ['unavailable', 0.063],
  ['rate-limit', 0.05],
  ['slow', 0.04],
  ['reset', 0.045],
  ['malformed', 0.002],
];
/** The error code each injected fault must turn into. */
const CODE_OF_FAULT: Readonly<Record<FaultKind, OtpErrorCode>> = {
  unavailable: 'PROVIDER_UNAVAILABLE',
  'rate-limit': 'RATE_LIMITED',
  slow: 'TIMEOUT',
  reset: 'NETWORK',
  malformed: 'INVALID_RESPONSE',
};
const INJECTED_CODES = new Set<OtpErrorCode>(Object.values(CODE_OF_FAULT));

// ---------------------------------------------------------------------------------------------------
// Deterministic randomness: a fault depends only on the seed, the recipient and how many requests for
// that recipient came before, so the same send meets the same faults whatever the interleaving.
// Written as JavaScript source, because the vendor runs it in its own thread (see below).

const PRNG_SOURCE = `
function hash(text, seed) {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let index = 0; index < text.length; index++) {
    h ^= text.charCodeAt(index);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
/* mulberry32, one step: a float in [0, 1). */
function unit(seed) {
  let t = (seed + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
`;
const draw = new Function(`${PRNG_SOURCE}; return (key, seed) => unit(hash(key, seed));`)() as (
  key: string,
  seed: number,
) => number;

// ---------------------------------------------------------------------------------------------------
// The vendor: a real HTTP server on 127.0.0.1 speaking Kaleyra's POST /v1/<sid>/messages. It runs in a
// worker thread, as a real vendor runs elsewhere: in the test's own thread its CPU would slow the client
// down, and on a busy 2-core machine replies ready in time would lose to the 200 ms attempt timers.

type VendorMode = 'faulty' | 'all-503' | 'all-reset';

interface VendorStats {
  /** Requests the vendor took (answered with success, or took and then was too slow), by recipient. */
  accepted: Map<string, number>;
  faults: Record<FaultKind, number>;
  requests: number;
}

interface Vendor {
  url: string;
  /** Stops the server and returns its books. */
  close(): Promise<VendorStats>;
}

const VENDOR_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createServer } = require('node:http');
${PRNG_SOURCE}
const { sid, apiKey, seed, rates, slowMs, mode } = workerData;
const draw = (key) => unit(hash(key, seed));
const accepted = new Map();
const seen = new Map();
const faults = { unavailable: 0, 'rate-limit': 0, slow: 0, reset: 0, malformed: 0 };
const timers = new Set();
let requests = 0;

function faultFor(to, nth) {
  if (mode === 'all-503') return 'unavailable';
  if (mode === 'all-reset') return 'reset';
  let r = draw(to + '#' + nth);
  for (const [kind, rate] of rates) {
    if (r < rate) return kind;
    r -= rate;
  }
  return undefined;
}
function json(res, status, body, headers = {}) {
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
let ids = 0;
function success(res, to, body, sender) {
  const id = 'f' + (++ids).toString(36) + '-' + Date.now().toString(36);
  json(res, 200, {
    id,
    sender: sender ?? 'KLRHXA',
    type: 'OTP',
    body, // Kaleyra echoes the body: the dispatcher must keep it out of events.
    createdDateTime: '2019-11-04 10:42:23+00:00',
    totalCount: 1,
    data: [{ message_id: id + ':1', recipient: to.replace(/^\\+/, '') }],
    dlrurl: null,
    error: {},
  });
}
function handle(req, res, text) {
  requests++;
  if (req.method !== 'POST' || req.url !== '/v1/' + sid + '/messages') {
    return json(res, 404, { code: 'E404', message: 'Not found', error: {} });
  }
  if (req.headers['api-key'] !== apiKey) return json(res, 401, { message: 'Unauthorized', error: {} });
  const form = new URLSearchParams(text);
  const to = form.get('to') ?? '';
  const body = form.get('body') ?? '';
  if (!/^\\+\\d{7,15}$/.test(to) || body === '' || form.get('type') !== 'OTP') {
    return json(res, 400, { code: 'E600', message: 'Validation error', error: {} });
  }
  const nth = seen.get(to) ?? 0;
  seen.set(to, nth + 1);
  const fault = faultFor(to, nth);
  if (fault !== undefined) faults[fault]++;
  const take = () => accepted.set(to, (accepted.get(to) ?? 0) + 1);
  switch (fault) {
    case undefined:
      take();
      return success(res, to, body, form.get('sender'));
    case 'unavailable':
      return json(res, 503, { code: 'E103', message: 'Internal error, try again later', error: {} });
    case 'rate-limit':
      return json(res, 429, { code: 'E429', message: 'Too many requests', error: {} }, {
        'retry-after': draw(to + '#' + nth + '#after') < 0.5 ? '0' : '0.01',
      });
    case 'slow': {
      // Taken (a real vendor would send the SMS), but answered after the attempt limit.
      take();
      const timer = setTimeout(() => {
        timers.delete(timer);
        success(res, to, body, form.get('sender'));
      }, slowMs);
      timers.add(timer);
      return;
    }
    case 'reset':
      req.socket.destroy();
      return;
    case 'malformed':
      if (res.destroyed) return;
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
      return;
  }
}
const server = createServer((req, res) => {
  res.on('error', () => {});
  req.on('error', () => {});
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ type: 'ready', port: server.address().port }));
parentPort.on('message', (message) => {
  if (message !== 'close') return;
  for (const timer of timers) clearTimeout(timer);
  server.closeAllConnections();
  server.close(() => parentPort.postMessage({ type: 'closed', accepted: [...accepted], faults, requests }));
});
`;

async function startVendor(mode: VendorMode): Promise<Vendor> {
  const worker = new Worker(VENDOR_SOURCE, {
    eval: true,
    workerData: { sid: SID, apiKey: API_KEY, seed: SEED, rates: FAULT_RATES, slowMs: SLOW_REPLY_MS, mode },
  });
  const next = (type: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const onMessage = (message: Record<string, unknown>) => {
        if (message.type !== type) return;
        worker.off('message', onMessage);
        worker.off('error', reject);
        resolve(message);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
  const { port } = await next('ready');
  let stats: Promise<VendorStats> | undefined;
  return {
    url: `http://127.0.0.1:${port as number}`,
    close() {
      stats ??= (async () => {
        const closed = next('closed');
        worker.postMessage('close');
        const message = await closed;
        await worker.terminate();
        return {
          accepted: new Map(message.accepted as [string, number][]),
          faults: message.faults as Record<FaultKind, number>,
          requests: message.requests as number,
        };
      })();
      return stats;
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// What the suite collects: every text that could leak a secret, warnings and unhandled rejections.

/** Every error message, cause, JSON form, event payload and log line the suite produced. */
const corpus: string[] = [];
/** Every OTP code sent (6 digits each); the bodies share BODY_MARKERS. */
const codes = new Set<string>();
const BODY_MARKERS = ['otpkit verification code', 'Never share it'];
const warnings: Error[] = [];
const unhandled: unknown[] = [];
const onWarning = (warning: Error) => warnings.push(warning);
const onUnhandled = (reason: unknown) => unhandled.push(reason);
const logSpies: MockInstance[] = [];
const summary: string[] = [];

/** Events and errors kept during the runs and turned into text at the end, off the hot path. */
const evidence: { kind: 'event' | 'error'; value: unknown }[] = [];
const collectError = (error: unknown) => evidence.push({ kind: 'error', value: error });

function errorTexts(error: unknown): void {
  corpus.push(inspect(error, { depth: 6 }));
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 10; depth++) {
    corpus.push(String(current));
    if (current instanceof Error) corpus.push(current.message);
    try {
      corpus.push(JSON.stringify(current) ?? '');
    } catch {
      // A cycle: inspect above covered it.
    }
    current = (current as { cause?: unknown }).cause;
  }
}

function message(index: number, code: string, to: string): OtpMessage {
  codes.add(code);
  return {
    to,
    body: `Your otpkit verification code is ${code}. Never share it.`,
    reference: `ref-${index}`,
  };
}

const kaleyra = (url: string) => createKaleyraProvider({ sid: SID, apiKey: API_KEY, baseUrl: url });

/** Realistic options scaled down for speed. */
const OPTIONS = {
  timeoutMs: TIMEOUT_MS,
  retry: { retries: 3, minDelayMs: 1, maxDelayMs: 20 },
  concurrency: 64,
  deadlineMs: 5000,
} satisfies Omit<DispatcherOptions, 'providers'>;

const EVENTS: readonly DispatcherEventName[] = [
  'queued',
  'retrying',
  'failover',
  'sent',
  'failed',
  'delivered',
  'undelivered',
  'breaker-open',
  'breaker-closed',
];
const listenerCounts = (dispatcher: Dispatcher) =>
  Object.fromEntries(EVENTS.map((event) => [event, dispatcher.listenerCount(event)]));

/** Per-send record of what the dispatcher said. */
interface Track {
  index: number;
  to: string;
  via: 'send' | 'enqueue';
  queued: number;
  sent: SentEvent[];
  failed: FailedEvent[];
  outcome?: { result: DispatchResult } | { error: unknown };
}

/** Subscribes to every dispatch event, recording per dispatch id; returns the books. */
function watch(dispatcher: Dispatcher) {
  const byId = new Map<string, Track>();
  const pending = new Map<string, Partial<Track>>();
  const retrying: RetryingEvent[] = [];
  const failovers: FailoverEvent[] = [];
  let breakerOpened = 0;
  let strays = 0;
  let terminal: (() => void) | undefined;
  const track = (id: string): Track | Partial<Track> => {
    const known = byId.get(id);
    if (known) return known;
    // `queued` fires inside send()/enqueue(), before the caller learns the id.
    let early = pending.get(id);
    if (!early) {
      early = { queued: 0, sent: [], failed: [] };
      pending.set(id, early);
    }
    return early;
  };
  const record = (event: unknown) => evidence.push({ kind: 'event', value: event });
  let lastQueued: { id: string; to: string } | undefined;
  dispatcher.on('queued', (event) => {
    record(event);
    lastQueued = { id: event.id, to: event.to };
    const t = track(event.id);
    t.queued = (t.queued ?? 0) + 1;
  });
  dispatcher.on('retrying', (event) => {
    record(event);
    collectError(event.error);
    retrying.push(event);
  });
  dispatcher.on('failover', (event) => {
    record(event);
    collectError(event.error);
    failovers.push(event);
  });
  dispatcher.on('sent', (event) => {
    record(event);
    track(event.id).sent!.push(event);
    terminal?.();
  });
  dispatcher.on('failed', (event) => {
    record(event);
    collectError(event.error);
    track(event.id).failed!.push(event);
    terminal?.();
  });
  dispatcher.on('breaker-open', (event) => {
    record(event);
    breakerOpened++;
  });
  dispatcher.on('breaker-closed', record);
  dispatcher.on('delivered', () => strays++);
  dispatcher.on('undelivered', () => strays++);

  return {
    byId,
    retrying,
    failovers,
    get breakerOpened() {
      return breakerOpened;
    },
    get strays() {
      return strays;
    },
    /** Registers a send once its id is known, merging what its `queued` event recorded. */
    adopt(id: string, base: Omit<Track, 'queued' | 'sent' | 'failed'>): Track {
      const early = pending.get(id) ?? { queued: 0, sent: [], failed: [] };
      pending.delete(id);
      const t: Track = {
        ...base,
        queued: early.queued ?? 0,
        sent: early.sent ?? [],
        failed: early.failed ?? [],
      };
      byId.set(id, t);
      return t;
    },
    lastQueued: () => lastQueued,
    /** Ids seen in events but never returned by send()/enqueue(). */
    orphans: () => pending.size,
    onTerminal(callback: () => void) {
      terminal = callback;
    },
  };
}

type Books = ReturnType<typeof watch>;

/**
 * Feeds `count` sends, half through send() and half through enqueue() (chosen by the seed), keeping at
 * most `window` outstanding so that queueing stays within the deadline, as with real traffic.
 */
async function drive(
  dispatcher: Dispatcher,
  books: Books,
  count: number,
  makeMessage: (index: number) => OtpMessage,
  window = 256,
): Promise<Track[]> {
  const tracks: Track[] = [];
  const settled: Promise<void>[] = [];
  let outstanding = 0;
  let wake: (() => void) | undefined;
  books.onTerminal(() => {
    outstanding--;
    wake?.();
  });
  for (let index = 0; index < count; index++) {
    while (outstanding >= window) await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
    const msg = makeMessage(index);
    outstanding++;
    if (draw(`via#${msg.to}`, SEED) < 0.5) {
      const pending = dispatcher.send(msg);
      // `queued` fired inside send(), synchronously: its id is this send's.
      const id = books.lastQueued();
      if (id?.to !== msg.to) throw new Error(`no queued event for ${msg.to}`);
      const t = books.adopt(id.id, { index, to: msg.to, via: 'send' });
      tracks.push(t);
      settled.push(
        pending.then(
          (result) => {
            t.outcome = { result };
          },
          (error: unknown) => {
            collectError(error);
            t.outcome = { error };
          },
        ),
      );
    } else {
      const id = dispatcher.enqueue(msg);
      tracks.push(books.adopt(id, { index, to: msg.to, via: 'enqueue' }));
    }
  }
  await Promise.all(settled);
  books.onTerminal(() => {});
  return tracks;
}

/** Checks the invariants every send must keep and returns the counts. */
function checkEverySend(tracks: readonly Track[]) {
  let sent = 0;
  let failed = 0;
  for (const t of tracks) {
    const where = `${t.via}() #${t.index} to ${t.to}`;
    expect(t.queued, `${where}: queued events`).toBe(1);
    expect(t.sent.length + t.failed.length, `${where}: terminal events`).toBe(1);
    if (t.via === 'send') {
      expect(t.outcome, `${where}: promise settled`).toBeDefined();
      if (t.sent.length === 1) {
        const event = t.sent[0]!;
        expect('result' in t.outcome!, `${where}: resolved`).toBe(true);
        const { result } = t.outcome as { result: DispatchResult };
        expect(result.id, `${where}: resolved with the sent id`).toBe(event.id);
        expect(result.messageId).toBe(event.receipt.messageId);
        expect(result.attempts).toBe(event.attempt);
        expect(result.unconfirmedAttempts).toBe(event.unconfirmedAttempts);
      } else {
        expect('error' in t.outcome! && t.outcome.error, `${where}: rejected with the failed error`).toBe(
          t.failed[0]!.error,
        );
      }
    }
    if (t.sent.length === 1) sent++;
    else failed++;
  }
  return { sent, failed };
}

beforeAll(() => {
  process.on('warning', onWarning);
  process.on('unhandledRejection', onUnhandled);
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    logSpies.push(vi.spyOn(console, method));
  }
  logSpies.push(vi.spyOn(process, 'emitWarning'));
});

afterAll(() => {
  process.off('warning', onWarning);
  process.off('unhandledRejection', onUnhandled);
  for (const spy of logSpies) spy.mockRestore();
});

const report = (line: string) => {
  summary.push(line);
  console.info(`FAULTS ${line}`);
};

describe('Kaleyra under injected faults (real HTTP server)', () => {
  it(`ends each of ${SENDS} sends exactly once, loses none, and explains every duplicate`, async () => {
    const vendor = await startVendor('faulty');
    // The breaker is set high rather than off: the faults are random and spread, never 1000 in a row,
    // so it must not open (it would turn this into a test of skipping), yet it stays in the path of
    // every attempt as in production.
    const dispatcher = createDispatcher({
      ...OPTIONS,
      providers: [kaleyra(vendor.url)],
      breaker: { failureThreshold: 1000, cooldownMs: 30_000 },
    });
    const books = watch(dispatcher);
    const before = listenerCounts(dispatcher);
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const started = performance.now();

    const tracks = await drive(dispatcher, books, SENDS, (index) =>
      message(index, String(731_000 + index), `+1${2_000_000_000 + index}`),
    );
    await dispatcher.close();
    const durationMs = Math.round(performance.now() - started);
    lag.disable();
    const stats = await vendor.close();

    // The vendor's books against the dispatcher's, counted first and asserted below.
    let sent = 0;
    let duplicated = 0;
    let extraCopies = 0;
    let failedButTaken = 0;
    let unconfirmedSends = 0;
    let unconfirmedAttempts = 0;
    const failures: FailedEvent[] = [];
    for (const t of tracks) {
      const terminal = t.sent[0] ?? t.failed[0];
      if (t.sent.length > 0) sent++;
      failures.push(...t.failed);
      const taken = stats.accepted.get(t.to) ?? 0;
      const unconfirmed = terminal?.unconfirmedAttempts ?? 0;
      unconfirmedAttempts += unconfirmed;
      if (unconfirmed > 0) unconfirmedSends++;
      if (taken > 1 && t.sent.length > 0) {
        duplicated++;
        extraCopies += taken - 1;
      }
      if (taken >= 1 && t.sent.length === 0) failedButTaken++;
    }
    const failed = failures.length;
    const byCode = new Map<string, number>();
    for (const event of failures) byCode.set(event.error.code, (byCode.get(event.error.code) ?? 0) + 1);
    const viaSend = tracks.filter((t) => t.via === 'send').length;
    const injected = Object.values(stats.faults).reduce((sum, n) => sum + n, 0);
    report(
      `run=faulty sends=${SENDS} (send()=${viaSend}, enqueue()=${SENDS - viaSend}) requests=${stats.requests} timeoutMs=${TIMEOUT_MS} slowReplyMs=${SLOW_REPLY_MS} retries=3 concurrency=64 seed=0x${SEED.toString(16)}`,
    );
    report(
      `run=faulty faults=${injected} (${((100 * injected) / stats.requests).toFixed(1)}% of requests) ${Object.entries(
        stats.faults,
      )
        .map(([kind, n]) => `${kind}=${n}`)
        .join(' ')}`,
    );
    report(
      `run=faulty retries=${books.retrying.length} failovers=${books.failovers.length} sent=${sent} failed=${failed} lost=${SENDS - sent - failed} failedBy=${
        [...byCode].map(([code, n]) => `${code}:${n}`).join(',') || 'none'
      }`,
    );
    report(
      `run=faulty duplicates=${duplicated} sent recipients got the code more than once (${extraCopies} extra copies) and ${failedButTaken} failed sends were taken by the vendor anyway; all explained by attempts that timed out in flight: unconfirmedAttempts=${unconfirmedAttempts} over ${unconfirmedSends} sends (slow replies injected: ${stats.faults.slow}; other attempts that missed the ${TIMEOUT_MS} ms limit on a busy event loop: ${Math.max(0, unconfirmedAttempts - stats.faults.slow)})`,
    );
    report(
      `run=faulty duration=${durationMs}ms eventLoopDelay p50=${(lag.percentile(50) / 1e6).toFixed(0)}ms p99=${(lag.percentile(99) / 1e6).toFixed(0)}ms max=${(lag.max / 1e6).toFixed(0)}ms`,
    );

    expect(tracks).toHaveLength(SENDS);
    expect(books.orphans()).toBe(0);
    expect(books.strays).toBe(0);
    expect(books.breakerOpened).toBe(0);
    expect(checkEverySend(tracks)).toEqual({ sent, failed });
    expect(sent + failed).toBe(SENDS);
    for (const t of tracks) {
      const taken = stats.accepted.get(t.to) ?? 0;
      const terminal = t.sent[0] ?? t.failed[0]!;
      const unconfirmed = terminal.unconfirmedAttempts;
      const confirmed = t.sent.length;
      if (confirmed === 1) {
        expect(t.sent[0]!.receipt.provider).toBe('kaleyra');
        expect(taken, `${t.to}: sent but never taken`).toBeGreaterThanOrEqual(1);
      }
      // Each request the vendor took is the confirmed one or an attempt that timed out in flight.
      expect(taken, `${t.to}: taken ${taken} times, ${unconfirmed} unconfirmed`).toBeLessThanOrEqual(
        confirmed + unconfirmed,
      );
      if (taken > 1 || (taken >= 1 && confirmed === 0)) {
        expect(unconfirmed, `${t.to}: a duplicate with no unconfirmed attempt`).toBeGreaterThan(0);
      }
    }
    for (const event of failures) {
      expect(isOtpError(event.error)).toBe(true);
      expect(INJECTED_CODES, `unexpected failure ${event.error.code}`).toContain(event.error.code);
    }
    expect(failed / SENDS).toBeLessThan(0.01);
    expect(listenerCounts(dispatcher)).toEqual(before);
    expect(dispatcher.queued + dispatcher.inFlight).toBe(0);
  }, 40_000);

  it.each([
    { mode: 'closed', breaker: false },
    { mode: 'all-503', breaker: undefined },
    { mode: 'all-reset', breaker: false },
  ] as const)(
    'a first vendor fully down ($mode) ends every send on the fallback',
    async ({ mode, breaker }) => {
      const count = 500;
      const vendor = await startVendor(mode === 'closed' ? 'faulty' : mode);
      const closedEarly = mode === 'closed' ? await vendor.close() : undefined;
      const fake = createFakeProvider();
      // `closed` and `all-reset` keep the breaker off so every send meets the dead vendor itself (and
      // fails over at once: NETWORK is in failFastOn); `all-503` keeps the default breaker, which opens
      // after 5 failures and then skips the vendor.
      const dispatcher = createDispatcher({
        ...OPTIONS,
        providers: [kaleyra(vendor.url), fake],
        ...(breaker === undefined ? {} : { breaker }),
      });
      const books = watch(dispatcher);
      const before = listenerCounts(dispatcher);
      const started = performance.now();
      const offset = { closed: 0, 'all-503': 1, 'all-reset': 2 }[mode] * 1000;
      const tracks = await drive(dispatcher, books, count, (index) =>
        message(index, String(741_000 + offset + index), `+1${3_000_000_000 + offset + index}`),
      );
      await dispatcher.close();
      const durationMs = Math.round(performance.now() - started);
      const stats = closedEarly ?? (await vendor.close());

      const { sent, failed } = checkEverySend(tracks);
      expect(failed).toBe(0);
      expect(sent).toBe(count);
      for (const t of tracks) {
        expect(t.sent[0]!.provider).toBe('fake');
        expect(t.sent[0]!.receipt.provider).toBe('fake');
      }
      expect(fake.messages).toHaveLength(count);
      expect(stats.accepted.size).toBe(0);
      expect(books.failovers.length).toBe(count);
      for (const event of books.failovers) {
        expect(event.nextProvider).toBe('fake');
        // A dead vendor looks like NETWORK (refused, reset) or PROVIDER_UNAVAILABLE (503, or skipped by
        // the open breaker); on a loaded machine an attempt can also run out its 200 ms first (TIMEOUT).
        expect(['NETWORK', 'PROVIDER_UNAVAILABLE', 'TIMEOUT']).toContain(event.error.code);
      }
      const failoverCodes = new Map<string, number>();
      for (const event of books.failovers) {
        failoverCodes.set(event.error.code, (failoverCodes.get(event.error.code) ?? 0) + 1);
      }
      expect(listenerCounts(dispatcher)).toEqual(before);
      report(
        `run=fallback-${mode} sends=${count} requests=${stats.requests} retries=${books.retrying.length} failovers=${books.failovers.length} (${[...failoverCodes].map(([code, n]) => `${code}:${n}`).join(',')}) breakerOpened=${books.breakerOpened} sent=${sent} (all on fake) failed=${failed} lost=${count - sent - failed} duration=${durationMs}ms`,
      );
    },
    15_000,
  );

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
        if (failedCodes.get(event.error.code) === 1) collectError(event.error);
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
        codes.add(code);
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
            collectError(error);
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
      report(
        `run=memory-${variant} enqueues=${total} accepted=${ids.length} refused(QUEUE_FULL)=${refusals.get('QUEUE_FULL')} queuedPeak=10000 heapGrowth=${(heapGrowth / 1024 / 1024).toFixed(1)}MB intake=${intakeMs}ms closeSettled=${ids.length} (${variant === 'drained' ? 'all sent' : 'all TIMEOUT at the deadline'}) duration=${durationMs}ms`,
      );
    },
    20_000,
  );

  it('leaks neither the API key nor any OTP body or code, and leaves no warning or unhandled rejection', async () => {
    // Let any late rejection surface.
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (const { kind, value } of evidence) {
      if (kind === 'event') corpus.push(JSON.stringify(value));
      else errorTexts(value);
    }
    for (const spy of logSpies) {
      for (const call of spy.mock.calls) corpus.push(call.map((arg) => inspect(arg, { depth: 6 })).join(' '));
    }
    const text = corpus.join('\n');
    expect(corpus.length).toBeGreaterThan(10_000);
    expect(text.includes(API_KEY), 'the API key leaked').toBe(false);
    for (const marker of BODY_MARKERS) expect(text.includes(marker), `a body leaked (${marker})`).toBe(false);
    const leakedCodes = (text.match(/\b\d{6}\b/g) ?? []).filter((token) => codes.has(token));
    expect(leakedCodes, 'OTP codes leaked').toEqual([]);

    expect(unhandled).toEqual([]);
    expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
    expect(warnings.map((warning) => `${warning.name}: ${warning.message}`)).toEqual([]);
    report(
      `secrets: ${corpus.length} texts checked (${(text.length / 1024 / 1024).toFixed(1)} MB), ${codes.size} codes: no API key, body or code; warnings=0 unhandledRejections=0`,
    );
  });
});
