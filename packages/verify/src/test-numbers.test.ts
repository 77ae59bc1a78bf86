import { describe, expect, it } from 'vitest';
import { harness, T0 } from './__fixtures__/harness.js';
import type { StartedEvent } from './events.js';

const REVIEWER = '+15005550006';
const validUntil = new Date(T0 + 86_400_000);

describe('test numbers', () => {
  it('get no SMS, resolve without a dispatch, and accept their fixed code', async () => {
    const h = harness({ testNumbers: { [REVIEWER]: '123456' }, testNumbersValidUntil: validUntil });
    const events: StartedEvent[] = [];
    h.verifier.on('started', (event) => events.push(event));
    const started = await h.verifier.start({ to: REVIEWER });
    expect(started).toMatchObject({ to: REVIEWER, status: 'pending', sends: 1 });
    expect(started.dispatch).toBeUndefined();
    expect(h.fake.calls).toBe(0);
    expect(events).toMatchObject([{ to: REVIEWER, testNumber: true }]);
    expect(events[0]!.provider).toBeUndefined();
    expect(await h.verifier.check({ to: REVIEWER, code: '123456' })).toEqual({
      status: 'approved',
      attemptsLeft: 5,
    });
  });

  it('still take only their own code and keep the attempt limit', async () => {
    const h = harness({
      testNumbers: { [REVIEWER]: '123456' },
      testNumbersValidUntil: validUntil,
      maxAttempts: 2,
    });
    await h.verifier.start({ to: REVIEWER });
    expect((await h.verifier.check({ to: REVIEWER, code: '654321' })).status).toBe('pending');
    expect((await h.verifier.check({ to: REVIEWER, code: '654321' })).attemptsLeft).toBe(0);
    expect((await h.verifier.check({ to: REVIEWER, code: '123456' })).status).toBe('max_attempts_reached');
  });

  it('are not limited by the send windows (no SMS is sent), but keep the cool-down', async () => {
    const h = harness({
      testNumbers: { [REVIEWER]: '123456' },
      testNumbersValidUntil: validUntil,
      maxSends: { count: 1, windowMs: 600_000 },
      resendAfterMs: 1_000,
    });
    await h.verifier.start({ to: REVIEWER, key: 'reviewer' });
    await expect(h.verifier.start({ to: REVIEWER })).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    for (let i = 0; i < 3; i++) {
      h.advance(1_000);
      await h.verifier.start({ to: REVIEWER });
    }
  });

  it('are ordinary numbers again from testNumbersValidUntil: an SMS with a random code, the fixed code refused', async () => {
    const h = harness({ testNumbers: { [REVIEWER]: '123456' }, testNumbersValidUntil: validUntil });
    h.advance(86_400_000);
    const started = await h.verifier.start({ to: REVIEWER });
    expect(started.dispatch?.provider).toBe('fake');
    expect(h.fake.messages).toHaveLength(1);
    const sent = h.code(REVIEWER);
    if (sent !== '123456') {
      expect((await h.verifier.check({ to: REVIEWER, code: '123456' })).status).toBe('pending');
    }
    expect((await h.verifier.check({ to: REVIEWER, code: sent })).status).toBe('approved');
  });

  it('do not change other numbers', async () => {
    const h = harness({ testNumbers: { [REVIEWER]: '123456' }, testNumbersValidUntil: validUntil });
    await h.verifier.start({ to: '+14155550123' });
    expect(h.fake.messages).toHaveLength(1);
    expect((await h.verifier.check({ to: '+14155550123', code: '123456' })).status).not.toBe('approved');
  });
});
