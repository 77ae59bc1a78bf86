import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runSecretsScan } from './secrets-scan.js';
import type { BeginRequest, CheckRequest, VerificationStore } from './store.js';

/** How the kit treats a store beyond the cases every store runs. */
export interface StoreConformanceOptions<S extends VerificationStore> {
  /** Name shown in the suite title, e.g. `"memory"`. Default `"store"`. */
  name?: string;
  /**
   * Every value the store holds (any JSON-able shape), for the case that no stored value holds a code
   * or the secret. Without it, that case is skipped, visibly.
   */
  dump?: (store: S) => unknown | Promise<unknown>;
  /** Called after each case with its store (close a client, delete keys). */
  cleanup?: (store: S) => void | Promise<void>;
}

const T0 = 1_700_000_000_000;
const TTL = 600_000;
const COOLDOWN = 30_000;
const LOCK = TTL;
const MAX = 5;
const TO = '+14155550123';

/** A stand-in for the verifier's HMAC: the store only ever sees such strings. */
export const fakeHash = (label: string) =>
  createHmac('sha256', 'conformance').update(label).digest('base64url');
const A = fakeHash('a');
const B = fakeHash('b');
const WRONG = fakeHash('wrong');

const begin = (at: number, codeHash: string, extra: Partial<BeginRequest> = {}): BeginRequest => ({
  now: at,
  codeHash,
  ttlMs: TTL,
  resendAfterMs: COOLDOWN,
  maxSends: { count: 100, windowMs: TTL },
  ...extra,
});
const check = (at: number, codeHash: string, extra: Partial<CheckRequest> = {}): CheckRequest => ({
  now: at,
  codeHash,
  maxAttempts: MAX,
  lockMs: LOCK,
  ...extra,
});

/**
 * Registers the vitest suite every `VerificationStore` passes: what each method answers, expiry judged
 * by the callers' clock, the concurrency cases (of N concurrent right checks exactly one is approved; of
 * N concurrent wrong ones exactly `maxAttempts` are `pending`), and, with `dump`, that no stored value
 * holds a code or the secret. `makeStore` is called once per case and must give an empty store.
 */
export function describeStoreConformance<S extends VerificationStore>(
  makeStore: () => S | Promise<S>,
  options: StoreConformanceOptions<S> = {},
): void {
  const withStore = (run: (store: S) => Promise<void>) => async () => {
    const store = await makeStore();
    try {
      await run(store);
    } finally {
      await options.cleanup?.(store);
    }
  };

  describe(`VerificationStore conformance: ${options.name ?? 'store'}`, () => {
    describe('begin and check', () => {
      it(
        'answers not_found for a number never started',
        withStore(async (store) => {
          expect(await store.check(TO, check(T0, A))).toEqual({ status: 'not_found', attemptsLeft: 0 });
        }),
      );

      it(
        'approves the right code once: after that every code is not_found (single use)',
        withStore(async (store) => {
          expect(await store.begin(TO, begin(T0, A, { reference: 'r-1' }))).toEqual({
            ok: true,
            sends: 1,
            resend: false,
          });
          expect(await store.check(TO, check(T0 + 1, A))).toEqual({
            status: 'approved',
            attemptsLeft: MAX,
            reference: 'r-1',
          });
          expect((await store.check(TO, check(T0 + 2, A))).status).toBe('not_found');
          expect((await store.check(TO, check(T0 + 3, WRONG))).status).toBe('not_found');
        }),
      );

      it(
        'counts wrong codes down to 0, locks on the last, then answers max_attempts_reached to every code',
        withStore(async (store) => {
          await store.begin(TO, begin(T0, A));
          for (let left = MAX - 1; left > 0; left--) {
            expect(await store.check(TO, check(T0 + 1, WRONG))).toEqual({
              status: 'pending',
              attemptsLeft: left,
            });
          }
          expect(await store.check(TO, check(T0 + 2, WRONG))).toEqual({
            status: 'pending',
            attemptsLeft: 0,
            locked: true,
            lockedUntil: T0 + 2 + LOCK,
          });
          const after = await store.check(TO, check(T0 + 3, A));
          expect(after).toMatchObject({
            status: 'max_attempts_reached',
            attemptsLeft: 0,
            lockedUntil: T0 + 2 + LOCK,
          });
        }),
      );

      it(
        'refuses begin while locked, keeps the lock through cancel, and starts afresh once it ends',
        withStore(async (store) => {
          await store.begin(TO, begin(T0, A));
          for (let i = 0; i < MAX; i++) await store.check(TO, check(T0 + 10, WRONG));
          expect(await store.begin(TO, begin(T0 + 10 + COOLDOWN, B))).toEqual({
            ok: false,
            reason: 'locked',
            retryAfterMs: LOCK - COOLDOWN,
          });
          expect(await store.cancel(TO, { now: T0 + 20 })).toBe(false);
          expect((await store.check(TO, check(T0 + 30, A))).status).toBe('max_attempts_reached');
          const end = T0 + 10 + LOCK;
          expect(await store.begin(TO, begin(end, B))).toEqual({ ok: true, sends: 1, resend: false });
          expect(await store.check(TO, check(end + 1, B))).toMatchObject({
            status: 'approved',
            attemptsLeft: MAX,
          });
        }),
      );

      it(
        'answers expired for a code after ttlMs, wrong or right, for another ttlMs; then not_found',
        withStore(async (store) => {
          await store.begin(TO, begin(T0, A));
          await store.check(TO, check(T0 + 1, WRONG));
          expect(await store.check(TO, check(T0 + TTL, A))).toEqual({
            status: 'expired',
            attemptsLeft: MAX - 1,
          });
          expect(await store.check(TO, check(T0 + TTL + 1, WRONG))).toEqual({
            status: 'expired',
            attemptsLeft: MAX - 1,
          });
          expect((await store.check(TO, check(T0 + 2 * TTL - 1, A))).status).toBe('expired');
          expect((await store.check(TO, check(T0 + 2 * TTL, A))).status).toBe('not_found');
        }),
      );

      it(
        'keeps the attempts across a resend, and the earlier code valid until it expires',
        withStore(async (store) => {
          await store.begin(TO, begin(T0, A));
          await store.check(TO, check(T0 + 1, WRONG));
          await store.check(TO, check(T0 + 2, WRONG));
          await store.settle(TO, { now: T0 + 3, codeHash: A, provider: 'first' });
          expect(await store.begin(TO, begin(T0 + COOLDOWN, B))).toEqual({
            ok: true,
            sends: 2,
            resend: true,
            provider: 'first',
          });
          expect(await store.check(TO, check(T0 + COOLDOWN + 1, WRONG))).toEqual({
            status: 'pending',
            attemptsLeft: MAX - 3,
          });
          expect(await store.check(TO, check(T0 + TTL - 1, A))).toEqual({
            status: 'approved',
            attemptsLeft: MAX - 3,
          });
        }),
      );

      it(
        'answers expired for an expired earlier code while a later one is still valid, without counting it',
        withStore(async (store) => {
          await store.begin(TO, begin(T0, A));
          await store.begin(TO, begin(T0 + COOLDOWN, B));
          expect(await store.check(TO, check(T0 + TTL, A))).toEqual({ status: 'expired', attemptsLeft: MAX });
          expect(await store.check(TO, check(T0 + TTL + 1, B))).toEqual({
            status: 'approved',
            attemptsLeft: MAX,
          });
        }),
      );

      it(
        'starts a new verification, with fresh attempts, once no code is valid; old codes still answer expired',
        withStore(async (store) => {
          await store.begin(TO, begin(T0, A));
          await store.check(TO, check(T0 + 1, WRONG));
          expect(await store.begin(TO, begin(T0 + TTL, B))).toEqual({ ok: true, sends: 1, resend: false });
          expect(await store.check(TO, check(T0 + TTL + 1, A))).toEqual({
            status: 'expired',
            attemptsLeft: MAX,
          });
          expect(await store.check(TO, check(T0 + TTL + 2, B))).toEqual({
            status: 'approved',
            attemptsLeft: MAX,
          });
        }),
      );

      it(
        'drops the code of a failed send: alone it leaves not_found, beside another it is a wrong code',
        withStore(async (store) => {
          await store.begin(TO, begin(T0, A));
          await store.settle(TO, { now: T0 + 1, codeHash: A });
          expect((await store.check(TO, check(T0 + 2, A))).status).toBe('not_found');
          const other = '+14155550124';
          await store.begin(other, begin(T0, A));
          await store.begin(other, begin(T0 + COOLDOWN, B));
          await store.settle(other, { now: T0 + COOLDOWN, codeHash: B });
          expect(await store.check(other, check(T0 + COOLDOWN + 1, B))).toEqual({
            status: 'pending',
            attemptsLeft: MAX - 1,
          });
          expect((await store.check(other, check(T0 + COOLDOWN + 2, A))).status).toBe('approved');
        }),
      );

      it(
        'refuses a resend within resendAfterMs of the last send, failed or not',
        withStore(async (store) => {
          await store.begin(TO, begin(T0, A));
          await store.settle(TO, { now: T0, codeHash: A });
          expect(await store.begin(TO, begin(T0 + COOLDOWN - 1, B))).toEqual({
            ok: false,
            reason: 'cooldown',
            retryAfterMs: 1,
          });
          expect((await store.begin(TO, begin(T0 + COOLDOWN, B))).ok).toBe(true);
        }),
      );

      it(
        "counts the number's sends in its window, across approval and cancel; resets after the window",
        withStore(async (store) => {
          const maxSends = { count: 3, windowMs: 60_000 };
          const at = (ms: number, hash: string) => begin(T0 + ms, hash, { maxSends, resendAfterMs: 0 });
          await store.begin(TO, at(0, A));
          await store.check(TO, check(T0 + 1, A));
          await store.begin(TO, at(2, A));
          await store.cancel(TO, { now: T0 + 3 });
          await store.begin(TO, at(4, A));
          expect(await store.begin(TO, at(10_000, B))).toEqual({
            ok: false,
            reason: 'max_sends',
            retryAfterMs: 50_000,
          });
          // A start without a window (a test number) is not refused by it, nor counted in it.
          expect(
            (await store.begin(TO, begin(T0 + 10_001, B, { resendAfterMs: 0, maxSends: undefined }))).ok,
          ).toBe(true);
          expect((await store.begin('+14155550199', at(10_002, B))).ok).toBe(true);
          expect((await store.begin(TO, at(60_000, B))).ok).toBe(true);
        }),
      );

      it(
        'cancels a pending verification once',
        withStore(async (store) => {
          await store.begin(TO, begin(T0, A));
          expect(await store.cancel(TO, { now: T0 + 1 })).toBe(true);
          expect(await store.cancel(TO, { now: T0 + 2 })).toBe(false);
          expect((await store.check(TO, check(T0 + 3, A))).status).toBe('not_found');
          expect((await store.begin(TO, begin(T0 + 4, B))).ok).toBe(true);
        }),
      );

      it(
        'keeps numbers apart',
        withStore(async (store) => {
          await store.begin(TO, begin(T0, A));
          expect((await store.check('+14155550124', check(T0 + 1, A))).status).toBe('not_found');
          expect((await store.check(TO, check(T0 + 2, A))).status).toBe('approved');
        }),
      );
    });

    describe('windows', () => {
      it(
        'hit counts up to the limit, refuses without counting, and opens again after windowMs',
        withStore(async (store) => {
          const request = (at: number) => ({ now: T0 + at, windowMs: 1_000, limit: 2 });
          expect(await store.hit('key:a', request(0))).toEqual({
            allowed: true,
            count: 1,
            resetAt: T0 + 1_000,
          });
          expect(await store.hit('key:a', request(1))).toEqual({
            allowed: true,
            count: 2,
            resetAt: T0 + 1_000,
          });
          expect(await store.hit('key:a', request(2))).toEqual({
            allowed: false,
            count: 2,
            resetAt: T0 + 1_000,
          });
          expect((await store.hit('key:b', request(3))).allowed).toBe(true);
          expect(await store.hit('key:a', request(1_000))).toEqual({
            allowed: true,
            count: 1,
            resetAt: T0 + 2_000,
          });
        }),
      );

      it(
        'tally reads, adds sends and approvals, and starts over after windowMs',
        withStore(async (store) => {
          expect(await store.tally('pumping:+44', { now: T0, windowMs: 1_000 })).toEqual({
            sent: 0,
            approved: 0,
            resetAt: T0,
          });
          await store.tally('pumping:+44', { now: T0, windowMs: 1_000, sent: 3 });
          expect(await store.tally('pumping:+44', { now: T0 + 1, windowMs: 1_000, approved: 1 })).toEqual({
            sent: 3,
            approved: 1,
            resetAt: T0 + 1_000,
          });
          expect((await store.tally('pumping:+44', { now: T0 + 1_000, windowMs: 1_000 })).sent).toBe(0);
        }),
      );
    });

    describe('concurrency (each method is one atomic step)', () => {
      const N = 25;
      it(
        `of ${N} concurrent checks with the right code exactly one is approved`,
        withStore(async (store) => {
          await store.begin(TO, begin(T0, A));
          const results = await Promise.all(
            Array.from({ length: N }, () => store.check(TO, check(T0 + 1, A))),
          );
          expect(results.filter((result) => result.status === 'approved')).toHaveLength(1);
          expect(results.filter((result) => result.status === 'not_found')).toHaveLength(N - 1);
        }),
      );

      it(
        `of ${N} concurrent wrong checks exactly maxAttempts are pending, one of them locking`,
        withStore(async (store) => {
          await store.begin(TO, begin(T0, A));
          const results = await Promise.all(
            Array.from({ length: N }, () => store.check(TO, check(T0 + 1, WRONG))),
          );
          const pending = results.filter((result) => result.status === 'pending');
          expect(pending).toHaveLength(MAX);
          expect(pending.map((result) => result.attemptsLeft).sort()).toEqual([0, 1, 2, 3, 4]);
          expect(results.filter((result) => result.locked)).toHaveLength(1);
          expect(results.filter((result) => result.status === 'max_attempts_reached')).toHaveLength(N - MAX);
        }),
      );

      it(
        `of ${N} concurrent starts of one number exactly one begins (the cool-down holds the rest)`,
        withStore(async (store) => {
          const results = await Promise.all(
            Array.from({ length: N }, (_, i) => store.begin(TO, begin(T0, fakeHash(`c${i}`)))),
          );
          expect(results.filter((result) => result.ok)).toHaveLength(1);
        }),
      );

      it(
        `of ${N} concurrent hits on a window of 7 exactly 7 are allowed`,
        withStore(async (store) => {
          const results = await Promise.all(
            Array.from({ length: N }, () => store.hit('key:x', { now: T0, windowMs: 1_000, limit: 7 })),
          );
          expect(results.filter((result) => result.allowed)).toHaveLength(7);
        }),
      );
    });

    describe('expiry', () => {
      it(
        "forgets everything once every expiry has passed by the callers' clock",
        withStore(async (store) => {
          await store.begin(TO, begin(T0, A));
          await store.hit('key:a', { now: T0, windowMs: 1_000, limit: 1 });
          await store.tally('pumping:+1', { now: T0, windowMs: 1_000, sent: 5 });
          const later = T0 + 2 * TTL + 1;
          expect((await store.check(TO, check(later, A))).status).toBe('not_found');
          expect(await store.begin(TO, begin(later, B))).toEqual({ ok: true, sends: 1, resend: false });
          expect((await store.hit('key:a', { now: later, windowMs: 1_000, limit: 1 })).allowed).toBe(true);
          expect((await store.tally('pumping:+1', { now: later, windowMs: 1_000 })).sent).toBe(0);
        }),
      );
    });

    describe('what is stored', () => {
      it.skipIf(options.dump === undefined)(
        'holds no code and no secret, only HMACs, counts and times (needs dump)',
        withStore(async (store) => {
          await runSecretsScan(store, () => options.dump!(store), 300);
        }),
      );
    });
  });
}
