import { describe, expect, it } from 'vitest';
import { BREAKER_CODES, Breaker } from './breaker.js';
import { OTP_ERROR_CODES, type OtpErrorCode } from './errors.js';

// Unit tests of the Breaker state machine. Time is passed in explicitly, so no timers are involved.

const T0 = 1_000_000;
const THRESHOLD = 5;
const COOLDOWN = 30_000;

const VENDOR_FAILURES: OtpErrorCode[] = ['NETWORK', 'TIMEOUT', 'PROVIDER_UNAVAILABLE'];
/** Outcomes that show the vendor answered: they reset the count and close a half-open breaker. */
const ANSWERED: (OtpErrorCode | undefined)[] = OTP_ERROR_CODES.filter(
  (code) => !VENDOR_FAILURES.includes(code) && code !== 'ABORTED',
);

/** A breaker that just opened at `at` after `THRESHOLD` NETWORK failures. */
function openedBreaker(at = T0): Breaker {
  const breaker = new Breaker(THRESHOLD, COOLDOWN);
  for (let index = 0; index < THRESHOLD; index++) breaker.record('NETWORK', at);
  expect(breaker.health().state).toBe('open');
  return breaker;
}

describe('Breaker: counting failures', () => {
  it('BREAKER_CODES are exactly NETWORK, TIMEOUT and PROVIDER_UNAVAILABLE', () => {
    expect([...BREAKER_CODES].sort()).toEqual([...VENDOR_FAILURES].sort());
  });

  it('starts closed with no failures, no openedAt and no probeAt', () => {
    const breaker = new Breaker(THRESHOLD, COOLDOWN);
    expect(breaker.health()).toEqual({ state: 'closed', consecutiveFailures: 0 });
    expect(breaker.wouldAllow(T0)).toBe(true);
    expect(breaker.tryAcquire(T0)).toBe(true);
    // A closed breaker lets every send through, any number of times.
    expect(breaker.tryAcquire(T0)).toBe(true);
  });

  it.each(VENDOR_FAILURES)('%s counts: the breaker opens on exactly the threshold-th failure', (code) => {
    const breaker = new Breaker(THRESHOLD, COOLDOWN);
    for (let index = 1; index < THRESHOLD; index++) {
      expect(breaker.record(code, T0 + index)).toBeUndefined();
      expect(breaker.health()).toEqual({ state: 'closed', consecutiveFailures: index });
      expect(breaker.wouldAllow(T0 + index)).toBe(true);
    }
    expect(breaker.record(code, T0 + THRESHOLD)).toBe('opened');
    expect(breaker.health()).toEqual({
      state: 'open',
      consecutiveFailures: THRESHOLD,
      openedAt: T0 + THRESHOLD,
      probeAt: T0 + THRESHOLD + COOLDOWN,
    });
  });

  it('mixes the three codes in one count', () => {
    const breaker = new Breaker(3, COOLDOWN);
    expect(breaker.record('NETWORK', T0)).toBeUndefined();
    expect(breaker.record('TIMEOUT', T0)).toBeUndefined();
    expect(breaker.record('PROVIDER_UNAVAILABLE', T0)).toBe('opened');
  });

  it('a threshold of 1 opens on the first failure', () => {
    const breaker = new Breaker(1, COOLDOWN);
    expect(breaker.record('TIMEOUT', T0)).toBe('opened');
    expect(breaker.tryAcquire(T0)).toBe(false);
  });

  it.each(ANSWERED.map((code) => [code ?? 'success', code] as const))(
    '%s does not count and resets the count (the vendor answered)',
    (_name, code) => {
      const breaker = new Breaker(THRESHOLD, COOLDOWN);
      for (let index = 0; index < THRESHOLD - 1; index++) breaker.record('NETWORK', T0);
      expect(breaker.record(code, T0)).toBeUndefined();
      expect(breaker.health()).toEqual({ state: 'closed', consecutiveFailures: 0 });
      // A full run of failures is needed again.
      for (let index = 0; index < THRESHOLD - 1; index++)
        expect(breaker.record('TIMEOUT', T0)).toBeUndefined();
      expect(breaker.health().state).toBe('closed');
      expect(breaker.record('TIMEOUT', T0)).toBe('opened');
    },
  );

  it('success resets the count too', () => {
    const breaker = new Breaker(THRESHOLD, COOLDOWN);
    breaker.record('NETWORK', T0);
    breaker.record('NETWORK', T0);
    expect(breaker.record(undefined, T0)).toBeUndefined();
    expect(breaker.health().consecutiveFailures).toBe(0);
  });

  it('ABORTED is neutral: it neither counts nor resets', () => {
    const breaker = new Breaker(THRESHOLD, COOLDOWN);
    for (let index = 0; index < THRESHOLD - 1; index++) breaker.record('NETWORK', T0);
    for (let index = 0; index < 10; index++) expect(breaker.record('ABORTED', T0)).toBeUndefined();
    expect(breaker.health()).toEqual({ state: 'closed', consecutiveFailures: THRESHOLD - 1 });
    expect(breaker.record('NETWORK', T0)).toBe('opened');
  });
});

describe('Breaker: open and cool-down', () => {
  it('skips the provider until the cool-down ends, without changing state while asked', () => {
    const breaker = openedBreaker();
    for (const at of [T0, T0 + 1, T0 + COOLDOWN / 2, T0 + COOLDOWN - 1]) {
      expect(breaker.wouldAllow(at)).toBe(false);
      expect(breaker.tryAcquire(at)).toBe(false);
    }
    expect(breaker.health()).toEqual({
      state: 'open',
      consecutiveFailures: THRESHOLD,
      openedAt: T0,
      probeAt: T0 + COOLDOWN,
    });
  });

  it('wouldAllow says yes once the cool-down is over but does not start a probe', () => {
    const breaker = openedBreaker();
    expect(breaker.wouldAllow(T0 + COOLDOWN)).toBe(true);
    expect(breaker.wouldAllow(T0 + COOLDOWN + 1)).toBe(true);
    expect(breaker.health().state).toBe('open');
  });

  it('failures recorded while open (sends already in flight) neither re-open nor move the cool-down', () => {
    const breaker = openedBreaker();
    expect(breaker.record('TIMEOUT', T0 + 1000)).toBeUndefined();
    expect(breaker.record('NETWORK', T0 + 2000)).toBeUndefined();
    expect(breaker.health()).toEqual({
      state: 'open',
      consecutiveFailures: THRESHOLD + 2,
      openedAt: T0,
      probeAt: T0 + COOLDOWN,
    });
  });

  it('an answer from a send already in flight closes an open breaker (the vendor is up)', () => {
    const breaker = openedBreaker();
    expect(breaker.record(undefined, T0 + 1000)).toBe('closed');
    expect(breaker.health()).toEqual({ state: 'closed', consecutiveFailures: 0 });
    expect(breaker.tryAcquire(T0 + 1000)).toBe(true);
  });

  it('a cool-down of 0 lets a probe through at once', () => {
    const breaker = new Breaker(1, 0);
    expect(breaker.record('NETWORK', T0)).toBe('opened');
    expect(breaker.health().probeAt).toBe(T0);
    expect(breaker.tryAcquire(T0)).toBe(true);
    expect(breaker.tryAcquire(T0)).toBe(false);
  });
});

describe('Breaker: the half-open probe', () => {
  it('lets exactly one send probe after the cool-down; the others are skipped while it runs', () => {
    const breaker = openedBreaker();
    expect(breaker.tryAcquire(T0 + COOLDOWN)).toBe(true);
    expect(breaker.health()).toEqual({
      state: 'half-open',
      consecutiveFailures: THRESHOLD,
      openedAt: T0,
      probeAt: T0 + COOLDOWN,
    });
    for (const at of [T0 + COOLDOWN, T0 + COOLDOWN + 1, T0 + 10 * COOLDOWN]) {
      expect(breaker.wouldAllow(at)).toBe(false);
      expect(breaker.tryAcquire(at)).toBe(false);
    }
  });

  it('a successful probe closes the breaker: everyone goes through again', () => {
    const breaker = openedBreaker();
    breaker.tryAcquire(T0 + COOLDOWN);
    expect(breaker.record(undefined, T0 + COOLDOWN + 5)).toBe('closed');
    expect(breaker.health()).toEqual({ state: 'closed', consecutiveFailures: 0 });
    expect(breaker.tryAcquire(T0 + COOLDOWN + 6)).toBe(true);
    expect(breaker.tryAcquire(T0 + COOLDOWN + 6)).toBe(true);
    // And the count starts over.
    for (let index = 0; index < THRESHOLD - 1; index++) breaker.record('NETWORK', T0 + COOLDOWN + 7);
    expect(breaker.health().state).toBe('closed');
  });

  it.each(['REJECTED', 'AUTHENTICATION', 'RATE_LIMITED', 'INVALID_RESPONSE'] as const)(
    'a probe answered with %s closes the breaker too (a refusal shows the vendor is up)',
    (code) => {
      const breaker = openedBreaker();
      breaker.tryAcquire(T0 + COOLDOWN);
      expect(breaker.record(code, T0 + COOLDOWN + 5)).toBe('closed');
      expect(breaker.health()).toEqual({ state: 'closed', consecutiveFailures: 0 });
    },
  );

  it.each(VENDOR_FAILURES)('a probe failing with %s re-opens at once, for a new cool-down', (code) => {
    const breaker = openedBreaker();
    const probeFailedAt = T0 + COOLDOWN + 10_000;
    expect(breaker.tryAcquire(T0 + COOLDOWN)).toBe(true);
    expect(breaker.record(code, probeFailedAt)).toBe('opened');
    expect(breaker.health()).toEqual({
      state: 'open',
      consecutiveFailures: THRESHOLD + 1,
      openedAt: probeFailedAt,
      probeAt: probeFailedAt + COOLDOWN,
    });
    expect(breaker.tryAcquire(probeFailedAt + COOLDOWN - 1)).toBe(false);
    // The next cool-down ends with another single probe.
    expect(breaker.tryAcquire(probeFailedAt + COOLDOWN)).toBe(true);
    expect(breaker.tryAcquire(probeFailedAt + COOLDOWN)).toBe(false);
  });

  it('an aborted probe teaches nothing: still half-open, and the next send may probe', () => {
    const breaker = openedBreaker();
    expect(breaker.tryAcquire(T0 + COOLDOWN)).toBe(true);
    expect(breaker.record('ABORTED', T0 + COOLDOWN + 5)).toBeUndefined();
    expect(breaker.health()).toMatchObject({ state: 'half-open', consecutiveFailures: THRESHOLD });
    expect(breaker.wouldAllow(T0 + COOLDOWN + 6)).toBe(true);
    expect(breaker.tryAcquire(T0 + COOLDOWN + 6)).toBe(true);
    expect(breaker.tryAcquire(T0 + COOLDOWN + 6)).toBe(false);
  });

  it('goes closed → open → half-open → open → half-open → closed, reporting each change once', () => {
    const breaker = new Breaker(2, 100);
    const changes: string[] = [];
    const note = (change: string | undefined) => {
      if (change) changes.push(change);
    };
    note(breaker.record('NETWORK', 0));
    note(breaker.record('NETWORK', 10));
    note(breaker.record('NETWORK', 20));
    expect(breaker.tryAcquire(109)).toBe(false);
    expect(breaker.tryAcquire(110)).toBe(true);
    note(breaker.record('TIMEOUT', 150));
    expect(breaker.tryAcquire(249)).toBe(false);
    expect(breaker.tryAcquire(250)).toBe(true);
    note(breaker.record(undefined, 260));
    note(breaker.record(undefined, 270));
    expect(changes).toEqual(['opened', 'opened', 'closed']);
    expect(breaker.health()).toEqual({ state: 'closed', consecutiveFailures: 0 });
  });
});
