import { describe, expect, it } from 'vitest';
import type { VerificationStore } from './store.js';
import {
  A,
  B,
  begin,
  COOLDOWN,
  check,
  LOCK,
  MAX,
  T0,
  TO,
  TTL,
  type WithStore,
  WRONG,
} from './store-conformance-fixtures.js';

/** The kit's cases of begin, check, settle and cancel. */
export function describeVerificationCases<S extends VerificationStore>(withStore: WithStore<S>): void {
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
}
