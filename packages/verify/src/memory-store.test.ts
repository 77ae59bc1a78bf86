import { describe, expect, it, vi } from 'vitest';
import { createMemoryStore, MAX_CODES_PER_VERIFICATION } from './memory-store.js';
import { fakeHash } from './store-conformance-fixtures.js';
import { describeStoreConformance } from './testing.js';

describeStoreConformance(() => createMemoryStore(), { name: 'memory', dump: (store) => store.dump() });

const T0 = 1_700_000_000_000;
const begin = (now: number, codeHash: string) => ({
  now,
  codeHash,
  ttlMs: 60_000,
  resendAfterMs: 0,
  maxSends: { count: 1_000, windowMs: 60_000 },
});

describe('createMemoryStore', () => {
  it('refuses new verifications past maxEntries with QUEUE_FULL, before counting anything', async () => {
    const store = createMemoryStore({ maxEntries: 3 });
    for (let i = 0; i < 3; i++) await store.begin(`+1415555000${i}`, begin(T0, fakeHash(`${i}`)));
    const error = await store
      .begin('+14155550009', begin(T0 + 1, fakeHash('x')))
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'OtpError', code: 'QUEUE_FULL' });
    expect((error as Error).message).toBe(
      'The verification store is full (3 verifications); try again later or raise maxEntries',
    );
    // Starts of numbers it holds still work.
    expect((await store.begin('+14155550000', begin(T0 + 2, fakeHash('y')))).ok).toBe(true);
  });

  it('drops expired entries to make room, without a timer', async () => {
    const store = createMemoryStore({ maxEntries: 2 });
    await store.begin('+14155550000', begin(T0, fakeHash('a')));
    await store.begin('+14155550001', begin(T0, fakeHash('b')));
    // Each entry lasts ttl + ttl (the `expired` answers), then its window is gone too.
    const later = T0 + 120_000;
    expect((await store.begin('+14155550002', begin(later, fakeHash('c')))).ok).toBe(true);
    expect(store.size.verifications).toBe(1);
  });

  it('sweeps expired entries as calls come, so an idle store shrinks', async () => {
    const store = createMemoryStore();
    for (let i = 0; i < 50; i++)
      await store.begin(`+1415555${String(i).padStart(4, '0')}`, begin(T0, fakeHash(`${i}`)));
    await store.hit('key:a', { now: T0, windowMs: 1_000, limit: 5 });
    expect(store.size).toEqual({ verifications: 50, windows: 51 });
    await store.hit('key:b', { now: T0 + 10 * 60_000, windowMs: 1_000, limit: 5 });
    expect(store.size).toEqual({ verifications: 0, windows: 1 });
  });

  it('refuses new windows past maxEntries too', async () => {
    const store = createMemoryStore({ maxEntries: 2 });
    await store.hit('key:a', { now: T0, windowMs: 1_000, limit: 5 });
    await store.hit('key:b', { now: T0, windowMs: 1_000, limit: 5 });
    await expect(store.hit('key:c', { now: T0, windowMs: 1_000, limit: 5 })).rejects.toMatchObject({
      code: 'QUEUE_FULL',
    });
    expect((await store.hit('key:a', { now: T0, windowMs: 1_000, limit: 5 })).count).toBe(2);
  });

  it(`keeps the newest ${MAX_CODES_PER_VERIFICATION} codes of a verification`, async () => {
    const store = createMemoryStore();
    const to = '+14155550123';
    for (let i = 0; i <= MAX_CODES_PER_VERIFICATION; i++)
      await store.begin(to, begin(T0 + i, fakeHash(`${i}`)));
    const request = (hash: string) => ({ now: T0 + 100, codeHash: hash, maxAttempts: 5, lockMs: 60_000 });
    expect((await store.check(to, request(fakeHash('0')))).status).toBe('pending');
    expect((await store.check(to, request(fakeHash('1')))).status).toBe('approved');
  });

  it('sets no timer: nothing keeps the process alive', async () => {
    vi.useFakeTimers();
    try {
      const store = createMemoryStore();
      await store.begin('+14155550000', begin(T0, fakeHash('a')));
      await store.check('+14155550000', { now: T0, codeHash: fakeHash('b'), maxAttempts: 5, lockMs: 1 });
      await store.hit('key:a', { now: T0, windowMs: 1_000, limit: 5 });
      await store.tally('pumping:+1', { now: T0, windowMs: 1_000, sent: 1 });
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses a wrong maxEntries with INVALID_CONFIG', () => {
    expect(() => createMemoryStore({ maxEntries: 0 })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG' }),
    );
    expect(() => createMemoryStore({ maxEntries: 1.5 })).toThrow(/maxEntries: expected an integer >= 1/);
  });
});
