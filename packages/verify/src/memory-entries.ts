import { OtpError } from '@otpkit/core';

// What the memory store holds: its entries, each kind bounded, and dropped once expired as calls come.

export interface Verification {
  /** HMACs of the codes, oldest first. */
  hashes: string[];
  /** When each code expires (epoch ms), in the same order. */
  expiries: number[];
  attempts: number;
  sends: number;
  sentAt: number;
  /** When the lock ends (epoch ms); 0 when not locked. */
  lockedUntil: number;
  /** When the whole entry goes (epoch ms). */
  keepUntil: number;
  /** How long a code answers `expired` after expiring, in ms (the ttl it was sent with). */
  graceMs: number;
  provider: string | undefined;
  reference: string | undefined;
  /** The latest settled send: its message id, dispatch id, locale, and what its receipt said. */
  send: LatestSend | undefined;
  /** True once the verification had its resend after a failed delivery (one per verification). */
  resentOnFailure: boolean;
}

export interface LatestSend {
  messageId: string;
  dispatchId: string | undefined;
  locale: string | undefined;
  delivery: 'delivered' | 'undelivered' | 'unknown';
}

export interface Counter {
  count: number;
  approved: number;
  resetAt: number;
}

/** A number's send window. */
export interface Window {
  count: number;
  resetAt: number;
}

/** Checks all expired entries at most this often (by the callers' clock) when the store is not full. */
const SWEEP_EVERY_MS = 60_000;
/** When full, sweeps at most this often before refusing, so a full store is not swept on every call. */
const FULL_SWEEP_EVERY_MS = 1_000;

/** The memory store's maps, bounded to `maxEntries` each, with their sweeping. */
export function createEntries(maxEntries: number) {
  const verifications = new Map<string, Verification>();
  /** Send windows of numbers, keyed by the number (the same string as its verification). */
  const numberWindows = new Map<string, Window>();
  /** `hit` windows and `tally` counters, by key. */
  const counters = new Map<string, Counter>();
  let sweptAt = Number.NEGATIVE_INFINITY;
  let fullSweptAt = Number.NEGATIVE_INFINITY;

  const sweep = (now: number) => {
    sweptAt = now;
    for (const [key, entry] of verifications) if (entry.keepUntil <= now) verifications.delete(key);
    for (const [key, counter] of numberWindows) if (counter.resetAt <= now) numberWindows.delete(key);
    for (const [key, counter] of counters) if (counter.resetAt <= now) counters.delete(key);
  };
  const maybeSweep = (now: number) => {
    if (now - sweptAt >= SWEEP_EVERY_MS || now < sweptAt) sweep(now);
  };
  /** Makes room for one more entry in `map`, or throws `QUEUE_FULL`. */
  const room = (map: Map<string, unknown>, what: string, now: number) => {
    if (map.size < maxEntries) return;
    if (now - fullSweptAt >= FULL_SWEEP_EVERY_MS || now < fullSweptAt) {
      fullSweptAt = now;
      sweep(now);
    }
    if (map.size >= maxEntries) {
      throw new OtpError(
        'QUEUE_FULL',
        `The verification store is full (${maxEntries} ${what}); try again later or raise maxEntries`,
      );
    }
  };
  const liveVerification = (to: string, now: number) => {
    const entry = verifications.get(to);
    if (entry === undefined) return undefined;
    if (entry.keepUntil > now) return entry;
    verifications.delete(to);
    return undefined;
  };
  const liveCounter = <T extends { resetAt: number }>(map: Map<string, T>, key: string, now: number) => {
    const counter = map.get(key);
    if (counter === undefined) return undefined;
    if (counter.resetAt > now) return counter;
    map.delete(key);
    return undefined;
  };
  return { verifications, numberWindows, counters, maybeSweep, room, liveVerification, liveCounter };
}
