import { describe, expect, it, vi } from 'vitest';
import { harness, T0, TO } from './__fixtures__/harness.js';

const TTL = 600_000;

describe('events', () => {
  it('started, rejected, locked and approved carry the number, the reference and times', async () => {
    const h = harness({ maxAttempts: 2 });
    const events: [string, Record<string, unknown>][] = [];
    for (const name of ['started', 'approved', 'rejected', 'locked', 'refused'] as const) {
      h.verifier.on(name, (event: object) => events.push([name, { ...event }]));
    }
    const started = await h.verifier.start({ to: TO, reference: 'login-7' });
    expect(events.shift()).toEqual([
      'started',
      {
        to: TO,
        reference: 'login-7',
        sends: 1,
        testNumber: false,
        provider: 'fake',
        dispatchId: started.dispatch!.id,
        expiresAt: T0 + TTL,
        at: T0,
      },
    ]);
    await h.verifier.check({ to: TO, code: 'x' });
    expect(events.shift()).toEqual(['rejected', { to: TO, reference: 'login-7', attemptsLeft: 1, at: T0 }]);
    await h.verifier.check({ to: TO, code: 'y' });
    expect(events).toEqual([
      ['rejected', { to: TO, reference: 'login-7', attemptsLeft: 0, at: T0 }],
      ['locked', { to: TO, reference: 'login-7', lockedUntil: T0 + TTL, at: T0 }],
    ]);
    events.length = 0;
    await h.verifier.start({ to: TO, key: '203.0.113.9' }).catch(() => {});
    expect(events).toEqual([
      ['refused', { to: TO, reason: 'locked', key: '203.0.113.9', retryAfterMs: TTL, at: T0 }],
    ]);
    events.length = 0;
    await h.verifier.start({ to: '+14155550124', reference: 'login-8' });
    await h.verifier.check({ to: '+14155550124', code: h.code('+14155550124') });
    expect(events[1]).toEqual([
      'approved',
      { to: '+14155550124', reference: 'login-8', attemptsLeft: 2, at: T0 },
    ]);
  });

  it('a listener that throws or rejects breaks nothing; onListenerError hears of it', async () => {
    const onListenerError = vi.fn();
    const h = harness({ onListenerError });
    h.verifier.on('started', () => {
      throw new Error('boom');
    });
    h.verifier.on('approved', () => Promise.reject(new Error('later')));
    await h.verifier.start({ to: TO });
    expect((await h.verifier.check({ to: TO, code: h.code() })).status).toBe('approved');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(onListenerError.mock.calls.map(([, event]) => event)).toEqual(['started', 'approved']);
  });

  it('once, off and listenerCount', async () => {
    const h = harness({ resendAfterMs: 0 });
    const listener = vi.fn();
    h.verifier.once('started', listener);
    expect(h.verifier.listenerCount('started')).toBe(1);
    await h.verifier.start({ to: TO });
    await h.verifier.start({ to: TO });
    expect(listener).toHaveBeenCalledTimes(1);
    h.verifier.on('started', listener).off('started', listener);
    h.verifier.on('refused', listener).off('refused');
    expect(h.verifier.listenerCount('started') + h.verifier.listenerCount('refused')).toBe(0);
  });
});
