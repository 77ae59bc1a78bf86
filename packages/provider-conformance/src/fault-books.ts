import { inspect } from 'node:util';
import type {
  Dispatcher,
  DispatcherEventName,
  DispatchResult,
  FailedEvent,
  FailoverEvent,
  OtpMessage,
  RetryingEvent,
  SentEvent,
} from '@otpkit/core';
import { expect } from 'vitest';

// The books of the fault suite: what the dispatcher said about every send, what the suite produced
// that could leak a secret, and the invariants every send keeps.

/** mulberry32 over an FNV-1a hash of `key`: a float in [0, 1) that depends only on the key and seed. */
export function draw(key: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let index = 0; index < key.length; index++) {
    h ^= key.charCodeAt(index);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  let t = (h + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

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
/** How many listeners the dispatcher has for each of its events: equal before and after a run. */
export const listenerCounts = (dispatcher: Dispatcher) =>
  Object.fromEntries(EVENTS.map((event) => [event, dispatcher.listenerCount(event)]));

/** Events and errors kept during the runs, turned into text at the end, off the hot path. */
export interface Evidence {
  collect(kind: 'event' | 'error', value: unknown): void;
  /** Every error message, cause, JSON form and event payload, as text. */
  texts(): string[];
}

export function createEvidence(): Evidence {
  const kept: { kind: 'event' | 'error'; value: unknown }[] = [];
  return {
    collect: (kind, value) => void kept.push({ kind, value }),
    texts() {
      const corpus: string[] = [];
      for (const { kind, value } of kept) {
        if (kind === 'event') {
          corpus.push(JSON.stringify(value));
          continue;
        }
        corpus.push(inspect(value, { depth: 6 }));
        let current: unknown = value;
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
      return corpus;
    },
  };
}

/** Per-send record of what the dispatcher said. */
export interface Track {
  index: number;
  to: string;
  via: 'send' | 'enqueue';
  queued: number;
  sent: SentEvent[];
  failed: FailedEvent[];
  outcome?: { result: DispatchResult } | { error: unknown };
}

/** Subscribes to every dispatch event, recording per dispatch id; returns the books. */
export function watch(dispatcher: Dispatcher, evidence: Evidence) {
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
  const record = (event: unknown) => evidence.collect('event', event);
  let lastQueued: { id: string; to: string } | undefined;
  dispatcher.on('queued', (event) => {
    record(event);
    lastQueued = { id: event.id, to: event.to };
    const t = track(event.id);
    t.queued = (t.queued ?? 0) + 1;
  });
  dispatcher.on('retrying', (event) => {
    record(event);
    evidence.collect('error', event.error);
    retrying.push(event);
  });
  dispatcher.on('failover', (event) => {
    record(event);
    evidence.collect('error', event.error);
    failovers.push(event);
  });
  dispatcher.on('sent', (event) => {
    record(event);
    track(event.id).sent!.push(event);
    terminal?.();
  });
  dispatcher.on('failed', (event) => {
    record(event);
    evidence.collect('error', event.error);
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

export type Books = ReturnType<typeof watch>;

/**
 * Feeds `count` sends, half through send() and half through enqueue() (chosen by the seed), keeping at
 * most `window` outstanding so that queueing stays within the deadline, as with real traffic.
 */
export async function drive(
  dispatcher: Dispatcher,
  books: Books,
  evidence: Evidence,
  { count, seed, window = 256 }: { count: number; seed: number; window?: number },
  makeMessage: (index: number) => OtpMessage,
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
    if (draw(`via#${msg.to}`, seed) < 0.5) {
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
            evidence.collect('error', error);
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
export function checkEverySend(tracks: readonly Track[]) {
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
