import { timingSafeEqual } from 'node:crypto';
import { OtpError } from '@otpkit/core';
import { createEntries, type Verification, type Window } from './memory-entries.js';
import type {
  BeginRequest,
  BeginResult,
  CheckRequest,
  DeliverRequest,
  DeliverResult,
  HitRequest,
  SettleRequest,
  StoreCheckResult,
  TallyRequest,
  TallyState,
  VerificationStore,
  WindowState,
} from './store.js';

export interface MemoryStoreOptions {
  /**
   * Entries of each kind the store holds at most (verifications, send windows of numbers, other
   * windows); past it, once expired entries are dropped, a new one is refused with `OtpError`
   * `QUEUE_FULL` instead of growing the heap. @default 100000
   */
  maxEntries?: number;
}

/** The memory store: a `VerificationStore` for one process. */
export interface MemoryStore extends VerificationStore {
  /** Entries held now, by kind (expired ones may linger until the next sweep). */
  readonly size: { verifications: number; windows: number };
  /** Every value held, for tests and debugging: HMACs, counts and times, never a code. */
  dump(): Record<string, unknown>;
}

/** Codes a verification keeps at most: the newest; an older one is dropped past it. */
export const MAX_CODES_PER_VERIFICATION = 16;

/**
 * Creates a store that keeps everything in this process's memory: for one process, tests and demos.
 * Bounded (`maxEntries` of each kind); expired entries are dropped as calls come (no timer, so it never
 * keeps a process alive). Every method runs to its end without yielding, which makes each atomic.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const maxEntries = options?.maxEntries ?? 100_000;
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
    throw new OtpError('INVALID_CONFIG', 'maxEntries: expected an integer >= 1', {
      issues: [{ path: 'maxEntries', message: 'expected an integer >= 1' }],
    });
  }
  const { verifications, numberWindows, counters, maybeSweep, room, liveVerification, liveCounter } =
    createEntries(maxEntries);
  const hasValidCode = (entry: Verification, now: number) => entry.expiries.some((expiry) => expiry > now);

  const store: MemoryStore = {
    get size() {
      return { verifications: verifications.size, windows: numberWindows.size + counters.size };
    },

    async begin(to: string, request: BeginRequest): Promise<BeginResult> {
      const { now, codeHash, ttlMs, resendAfterMs, maxSends, reference } = request;
      maybeSweep(now);
      let entry = liveVerification(to, now);
      if (entry !== undefined && entry.lockedUntil > now) {
        return { ok: false, reason: 'locked', retryAfterMs: entry.lockedUntil - now };
      }
      if (entry !== undefined && now < entry.sentAt + resendAfterMs) {
        return { ok: false, reason: 'cooldown', retryAfterMs: entry.sentAt + resendAfterMs - now };
      }
      let window: Window | undefined;
      if (maxSends !== undefined) {
        window = liveCounter(numberWindows, to, now);
        if (window !== undefined && window.count >= maxSends.count) {
          return { ok: false, reason: 'max_sends', retryAfterMs: window.resetAt - now };
        }
      }
      if (entry === undefined) room(verifications, 'verifications', now);
      if (maxSends !== undefined && window === undefined) room(numberWindows, 'numbers in send windows', now);
      // Every refusal and capacity check is behind us: from here on the call only writes.
      if (maxSends !== undefined) {
        if (window === undefined) {
          numberWindows.set(to, { count: 1, resetAt: now + maxSends.windowMs });
        } else {
          window.count++;
        }
      }
      const resend = entry !== undefined && hasValidCode(entry, now);
      const provider = resend ? entry!.provider : undefined;
      if (entry === undefined) {
        // Array literals of one: most verifications hold one code, and an array grown by push would
        // reserve room for 16 (the heap per pending verification is a budget).
        entry = {
          hashes: [codeHash],
          expiries: [now + ttlMs],
          attempts: 0,
          sends: 0,
          sentAt: now,
          lockedUntil: 0,
          keepUntil: 0,
          graceMs: ttlMs,
          provider: undefined,
          reference: undefined,
          send: undefined,
          resentOnFailure: false,
        };
        verifications.set(to, entry);
      } else {
        if (!resend) {
          // Nothing valid left: a new verification, with its attempts, over the codes that answer `expired`.
          entry.attempts = 0;
          entry.sends = 0;
          entry.provider = undefined;
          entry.resentOnFailure = false;
        }
        // Codes whose `expired` answer has run out go, and past the cap the oldest; the arrays are
        // rebuilt at their exact length.
        let drop = 0;
        const { hashes, expiries, graceMs } = entry;
        while (
          drop < hashes.length &&
          (expiries[drop]! + graceMs <= now || hashes.length - drop >= MAX_CODES_PER_VERIFICATION)
        ) {
          drop++;
        }
        entry.hashes = hashes.slice(drop).concat(codeHash);
        entry.expiries = expiries.slice(drop).concat(now + ttlMs);
      }
      entry.sends++;
      entry.sentAt = now;
      // A new send is in flight: receipts of the one before are no longer of the latest send.
      entry.send = undefined;
      entry.graceMs = Math.max(entry.graceMs, ttlMs);
      entry.keepUntil = Math.max(entry.keepUntil, now + ttlMs + entry.graceMs);
      if (reference !== undefined) entry.reference = reference;
      return provider === undefined
        ? { ok: true, sends: entry.sends, resend }
        : { ok: true, sends: entry.sends, resend, provider };
    },

    async settle(to: string, request: SettleRequest): Promise<void> {
      const entry = liveVerification(to, request.now);
      if (entry === undefined) return;
      const index = entry.hashes.indexOf(request.codeHash);
      if (index < 0) return;
      if (request.provider !== undefined) {
        entry.provider = request.provider;
        const { messageId, dispatchId, locale } = request;
        entry.send =
          messageId === undefined ? undefined : { messageId, dispatchId, locale, delivery: 'unknown' };
      } else {
        entry.hashes.splice(index, 1);
        entry.expiries.splice(index, 1);
      }
    },

    async deliver(to: string, request: DeliverRequest): Promise<DeliverResult> {
      const { now, provider, messageId, status, claimResend } = request;
      const entry = liveVerification(to, now);
      const send = entry?.send;
      if (
        entry === undefined ||
        send === undefined ||
        entry.provider !== provider ||
        send.messageId !== messageId
      ) {
        return { found: false };
      }
      if (status !== 'overdue') send.delivery = status;
      const failed = status === 'undelivered' || (status === 'overdue' && send.delivery === 'unknown');
      const resend =
        claimResend &&
        failed &&
        !entry.resentOnFailure &&
        entry.lockedUntil <= now &&
        hasValidCode(entry, now);
      if (resend) entry.resentOnFailure = true;
      const result: DeliverResult = { found: true, delivery: send.delivery, resend };
      if (send.dispatchId !== undefined) result.dispatchId = send.dispatchId;
      if (entry.reference !== undefined) result.reference = entry.reference;
      if (send.locale !== undefined) result.locale = send.locale;
      return result;
    },

    async check(to: string, request: CheckRequest): Promise<StoreCheckResult> {
      const { now, codeHash, maxAttempts, lockMs } = request;
      const entry = liveVerification(to, now);
      if (entry === undefined) return { status: 'not_found', attemptsLeft: 0 };
      const withReference = (result: StoreCheckResult): StoreCheckResult => {
        if (entry.reference !== undefined) result.reference = entry.reference;
        return result;
      };
      if (entry.lockedUntil > now) {
        return withReference({
          status: 'max_attempts_reached',
          attemptsLeft: 0,
          lockedUntil: entry.lockedUntil,
        });
      }
      if (entry.hashes.length === 0) return withReference({ status: 'not_found', attemptsLeft: 0 });
      // Every code is compared, valid or not, each in constant time.
      const given = Buffer.from(codeHash, 'base64url');
      let matchedValid = false;
      let matchedExpired = false;
      let anyValid = false;
      for (let index = 0; index < entry.hashes.length; index++) {
        const stored = Buffer.from(entry.hashes[index]!, 'base64url');
        const valid = entry.expiries[index]! > now;
        anyValid ||= valid;
        const same = stored.length === given.length && timingSafeEqual(stored, given);
        if (same && valid) matchedValid = true;
        else if (same) matchedExpired = true;
      }
      const attemptsLeft = Math.max(0, maxAttempts - entry.attempts);
      if (matchedValid) {
        verifications.delete(to);
        return withReference({ status: 'approved', attemptsLeft });
      }
      if (matchedExpired || !anyValid) return withReference({ status: 'expired', attemptsLeft });
      entry.attempts++;
      const left = Math.max(0, maxAttempts - entry.attempts);
      if (left > 0) return withReference({ status: 'pending', attemptsLeft: left });
      entry.lockedUntil = now + lockMs;
      // A locked number is kept for the lock only: after it, a start begins afresh.
      entry.keepUntil = entry.lockedUntil;
      return withReference({
        status: 'pending',
        attemptsLeft: 0,
        locked: true,
        lockedUntil: entry.lockedUntil,
      });
    },

    async cancel(to: string, request: { now: number }): Promise<boolean> {
      const entry = liveVerification(to, request.now);
      if (entry === undefined || entry.lockedUntil > request.now) return false;
      verifications.delete(to);
      return true;
    },

    async hit(key: string, request: HitRequest): Promise<WindowState> {
      const { now, windowMs, limit } = request;
      maybeSweep(now);
      const counter = liveCounter(counters, key, now);
      if (counter === undefined) {
        if (limit < 1) return { allowed: false, count: 0, resetAt: now + windowMs };
        room(counters, 'rate-limit windows', now);
        counters.set(key, { count: 1, approved: 0, resetAt: now + windowMs });
        return { allowed: true, count: 1, resetAt: now + windowMs };
      }
      if (counter.count >= limit) return { allowed: false, count: counter.count, resetAt: counter.resetAt };
      counter.count++;
      return { allowed: true, count: counter.count, resetAt: counter.resetAt };
    },

    async tally(key: string, request: TallyRequest): Promise<TallyState> {
      const { now, windowMs, sent = 0, approved = 0 } = request;
      let counter = liveCounter(counters, key, now);
      if (counter === undefined) {
        if (sent === 0 && approved === 0) return { sent: 0, approved: 0, resetAt: now };
        maybeSweep(now);
        room(counters, 'rate-limit windows', now);
        counter = { count: 0, approved: 0, resetAt: now + windowMs };
        counters.set(key, counter);
      }
      counter.count += sent;
      counter.approved += approved;
      return { sent: counter.count, approved: counter.approved, resetAt: counter.resetAt };
    },

    dump() {
      return {
        verifications: Object.fromEntries(verifications),
        numberWindows: Object.fromEntries(numberWindows),
        counters: Object.fromEntries(counters),
      };
    },
  };
  return store;
}
