import { describe, expect, it } from 'vitest';
import type { VerificationStore } from './store.js';
import {
  A,
  B,
  begin,
  check,
  fakeHash,
  MAX,
  T0,
  TO,
  TTL,
  type WithStore,
  WRONG,
} from './store-conformance-fixtures.js';

/** The kit's cases of the windows, concurrency and expiry. */
export function describeLimitCases<S extends VerificationStore>(withStore: WithStore<S>): void {
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
        const results = await Promise.all(Array.from({ length: N }, () => store.check(TO, check(T0 + 1, A))));
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
}
