import { isOtpError } from '@otpkit/core';
import { describe, expect, it } from 'vitest';
import { harness, rejection, TO } from './__fixtures__/harness.js';
import type { RefusedEvent } from './events.js';
import { destinationRefusal } from './limits.js';
import { refusalReason } from './refusal.js';

const COOLDOWN = 30_000;
const number = (n: number) => `+1415555${String(n).padStart(4, '0')}`;

describe('the resend cool-down', () => {
  it('refuses a second start within resendAfterMs with RATE_LIMITED and the time left, before any SMS', async () => {
    const h = harness();
    await h.verifier.start({ to: TO });
    h.advance(10_000);
    const error = await rejection(h.verifier.start({ to: TO }));
    expect(isOtpError(error, 'RATE_LIMITED')).toBe(true);
    expect(error.retryAfterMs).toBe(20_000);
    expect(error.message).toBe('A code was sent to this number moments ago; try again in 20 s');
    expect(refusalReason(error)).toBe('cooldown');
    expect(h.fake.messages).toHaveLength(1);
    h.advance(20_000);
    expect((await h.verifier.start({ to: TO })).sends).toBe(2);
  });

  it('follows resendAfterMs', async () => {
    const h = harness({ resendAfterMs: 0 });
    await h.verifier.start({ to: TO });
    expect((await h.verifier.start({ to: TO })).sends).toBe(2);
  });
});

describe('the per-number window (maxSends)', () => {
  it('refuses past count sends in windowMs, across approvals, until the window ends', async () => {
    const h = harness({ maxSends: { count: 2, windowMs: 120_000 } });
    await h.verifier.start({ to: TO });
    await h.verifier.check({ to: TO, code: h.code() });
    h.advance(COOLDOWN);
    await h.verifier.start({ to: TO });
    h.advance(COOLDOWN);
    const error = await rejection(h.verifier.start({ to: TO }));
    expect(refusalReason(error)).toBe('max_sends');
    expect(error.retryAfterMs).toBe(60_000);
    expect(await h.verifier.start({ to: number(1) })).toMatchObject({ sends: 1 });
    h.advance(60_000);
    await h.verifier.start({ to: TO });
  });

  it('defaults to 5 sends per 10 minutes, as Twilio Verify', async () => {
    const h = harness();
    for (let i = 0; i < 5; i++) {
      await h.verifier.start({ to: TO });
      h.advance(COOLDOWN);
    }
    expect(refusalReason(await rejection(h.verifier.start({ to: TO })))).toBe('max_sends');
  });
});

describe('the per-key window (maxSendsPerKey)', () => {
  it('refuses past count starts with the same key, whatever the number; other keys and no key go on', async () => {
    const h = harness({ maxSendsPerKey: { count: 2, windowMs: 60_000 } });
    const events: RefusedEvent[] = [];
    h.verifier.on('refused', (event) => events.push(event));
    await h.verifier.start({ to: number(1), key: '203.0.113.9' });
    await h.verifier.start({ to: number(2), key: '203.0.113.9' });
    const error = await rejection(h.verifier.start({ to: number(3), key: '203.0.113.9' }));
    expect(isOtpError(error, 'RATE_LIMITED')).toBe(true);
    expect(error.retryAfterMs).toBe(60_000);
    expect(refusalReason(error)).toBe('max_sends_per_key');
    expect(events).toMatchObject([{ to: number(3), reason: 'max_sends_per_key', key: '203.0.113.9' }]);
    await h.verifier.start({ to: number(3), key: '198.51.100.1' });
    await h.verifier.start({ to: number(4) });
    h.advance(60_000);
    await h.verifier.start({ to: number(5), key: '203.0.113.9' });
    expect(h.fake.messages).toHaveLength(5);
  });

  it('defaults to 10 per 10 minutes', async () => {
    const h = harness();
    for (let i = 0; i < 10; i++) await h.verifier.start({ to: number(i), key: 'user-1' });
    expect(refusalReason(await rejection(h.verifier.start({ to: number(10), key: 'user-1' })))).toBe(
      'max_sends_per_key',
    );
  });
});

describe('prefix windows (prefixLimits)', () => {
  it('refuses past count sends to numbers with the prefix; other prefixes go on', async () => {
    const h = harness({
      prefixLimits: [
        { prefix: '+44', count: 2, windowMs: 60_000 },
        { prefix: '+4479', count: 1, windowMs: 60_000 },
      ],
    });
    await h.verifier.start({ to: '+447911123456' });
    const narrow = await rejection(h.verifier.start({ to: '+447911123457' }));
    expect(refusalReason(narrow)).toBe('prefix_limit');
    expect(narrow.message).toBe('Too many codes were sent to numbers starting with +4479; try again in 60 s');
    await h.verifier.start({ to: '+442071234567' });
    const wide = await rejection(h.verifier.start({ to: '+442071234568' }));
    expect(wide.message).toMatch(/starting with \+44;/);
    await h.verifier.start({ to: TO });
    h.advance(60_000);
    await h.verifier.start({ to: '+442071234568' });
  });
});

describe('allowed and blocked prefixes', () => {
  it('refuses a number outside allowedPrefixes with REJECTED, before any SMS', async () => {
    const h = harness({ allowedPrefixes: ['+91', '+1'] });
    const events: RefusedEvent[] = [];
    h.verifier.on('refused', (event) => events.push(event));
    const error = await rejection(h.verifier.start({ to: '+447911123456', reference: 'r' }));
    expect(isOtpError(error, 'REJECTED')).toBe(true);
    expect(error.retryable).toBe(false);
    expect(refusalReason(error)).toBe('blocked');
    expect(events).toMatchObject([{ to: '+447911123456', reference: 'r', reason: 'blocked' }]);
    await h.verifier.start({ to: TO });
    await h.verifier.start({ to: '+919876543210' });
    expect(h.fake.messages.map((message) => message.to)).toEqual([TO, '+919876543210']);
  });

  it('refuses a number inside blockedPrefixes, even when allowed', async () => {
    const h = harness({ allowedPrefixes: ['+1'], blockedPrefixes: ['+1900'] });
    const error = await rejection(h.verifier.start({ to: '+19005550123' }));
    expect(isOtpError(error, 'REJECTED')).toBe(true);
    expect(h.fake.messages).toHaveLength(0);
  });

  it('destinationRefusal names the blocked prefix', () => {
    expect(destinationRefusal('+19005550123', undefined, ['+1900'])).toEqual({
      reason: 'blocked',
      prefix: '+1900',
    });
    expect(destinationRefusal('+14155550123', ['+1'], [])).toBeUndefined();
    expect(destinationRefusal('+14155550123', ['+91'], [])).toEqual({ reason: 'blocked' });
  });
});

describe('order of the checks', () => {
  it('a refused start sends nothing and leaves the earlier code working', async () => {
    const h = harness({ maxSendsPerKey: { count: 1, windowMs: 60_000 } });
    await h.verifier.start({ to: TO, key: 'k' });
    const code = h.code();
    h.advance(COOLDOWN);
    await expect(h.verifier.start({ to: TO, key: 'k' })).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(h.fake.messages).toHaveLength(1);
    expect((await h.verifier.check({ to: TO, code })).status).toBe('approved');
  });

  it('a start refused by a key window does not count in the number window', async () => {
    const h = harness({
      maxSendsPerKey: { count: 1, windowMs: 600_000 },
      maxSends: { count: 1, windowMs: 600_000 },
    });
    await h.verifier.start({ to: number(1), key: 'k' });
    await expect(h.verifier.start({ to: TO, key: 'k' })).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect((await h.verifier.start({ to: TO })).sends).toBe(1);
  });
});
