import { isOtpError } from '@otpkit/core';
import { describe, expect, it } from 'vitest';
import { harness } from './__fixtures__/harness.js';
import type { RefusedEvent } from './events.js';
import { refusalReason } from './refusal.js';

const guard = { prefixLength: 4, windowMs: 3_600_000, minSends: 20, minConversion: 0.1 };
const attacked = (n: number) => `+447911${String(n).padStart(6, '0')}`;
const legitimate = (n: number) => `+1415555${String(n).padStart(4, '0')}`;

describe('the pumping guard', () => {
  it('holds a prefix that gets many codes nobody enters, while legitimate traffic on another prefix flows', async () => {
    const h = harness({ pumpingGuard: guard, maxSendsPerKey: { count: 1_000, windowMs: 600_000 } });
    const refused: RefusedEvent[] = [];
    h.verifier.on('refused', (event) => refused.push(event));
    let attackSent = 0;
    let attackHeld = 0;
    let legitimateApproved = 0;
    for (let i = 0; i < 60; i++) {
      h.advance(1_000);
      try {
        await h.verifier.start({ to: attacked(i), key: 'bot' });
        attackSent++;
      } catch (error) {
        expect(isOtpError(error, 'REJECTED')).toBe(true);
        expect(refusalReason(error)).toBe('pumping');
        attackHeld++;
      }
      await h.verifier.start({ to: legitimate(i) });
      const result = await h.verifier.check({ to: legitimate(i), code: h.code(legitimate(i)) });
      if (result.status === 'approved') legitimateApproved++;
    }
    expect(attackSent).toBe(guard.minSends);
    expect(attackHeld).toBe(60 - guard.minSends);
    expect(legitimateApproved).toBe(60);
    expect(refused[0]).toMatchObject({ reason: 'pumping', prefix: '+4479', key: 'bot' });
    expect(refused[0]!.retryAfterMs).toBeGreaterThan(0);
  });

  it('lets the prefix through again once the window has passed', async () => {
    const h = harness({ pumpingGuard: guard });
    for (let i = 0; i < guard.minSends; i++) await h.verifier.start({ to: attacked(i) });
    const held = await h.verifier.start({ to: attacked(100) }).catch((error: unknown) => error);
    expect(refusalReason(held)).toBe('pumping');
    expect((held as { retryAfterMs: number }).retryAfterMs).toBe(guard.windowMs);
    h.advance(guard.windowMs);
    await h.verifier.start({ to: attacked(100) });
  });

  it('judges conversion only after minSends, and keeps a prefix whose codes are entered often enough', async () => {
    const h = harness({ pumpingGuard: { ...guard, minSends: 10, minConversion: 0.5 } });
    for (let i = 0; i < 40; i++) {
      await h.verifier.start({ to: legitimate(i) });
      // Every other user enters the code: 50 %, at the threshold.
      if (i % 2 === 0) await h.verifier.check({ to: legitimate(i), code: h.code(legitimate(i)) });
    }
    expect(h.fake.messages).toHaveLength(40);
  });

  it('holds a prefix whose conversion falls just below minConversion', async () => {
    const h = harness({ pumpingGuard: { ...guard, minSends: 10, minConversion: 0.5 } });
    for (let i = 0; i < 10; i++) {
      await h.verifier.start({ to: legitimate(i) });
      if (i < 4) await h.verifier.check({ to: legitimate(i), code: h.code(legitimate(i)) });
    }
    await expect(h.verifier.start({ to: legitimate(99) })).rejects.toMatchObject({ code: 'REJECTED' });
  });

  it('is off unless asked for', async () => {
    const h = harness();
    for (let i = 0; i < 50; i++) await h.verifier.start({ to: attacked(i) });
    expect(h.fake.messages).toHaveLength(50);
  });

  it('counts by the first prefixLength digits after +', async () => {
    const h = harness({ pumpingGuard: { ...guard, prefixLength: 2, minSends: 3 } });
    for (let i = 0; i < 3; i++) await h.verifier.start({ to: attacked(i) });
    // +44 2071… shares the two digits +44 with +44 7911…
    await expect(h.verifier.start({ to: '+442071234567' })).rejects.toMatchObject({ code: 'REJECTED' });
    await h.verifier.start({ to: '+4520123456' });
  });
});
