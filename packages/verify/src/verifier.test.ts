import { createDispatcher, isOtpError, OtpError } from '@otpkit/core';
import { describe, expect, it } from 'vitest';
import { harness, rejection, SECRET, TO } from './__fixtures__/harness.js';
import { createMemoryStore } from './memory-store.js';
import { refusalReason } from './refusal.js';
import { createVerifier } from './verifier.js';

const TTL = 600_000;
const COOLDOWN = 30_000;

describe('createVerifier: the flow of the README', () => {
  it('start sends a code and resolves with the pending verification; check approves it; cancel finds nothing after', async () => {
    const { verifier, fake, now } = harness();
    const started = await verifier.start({ to: TO, locale: 'en' });
    expect(started).toMatchObject({
      to: TO,
      status: 'pending',
      sends: 1,
      expiresAt: new Date(now + TTL),
      resendAt: new Date(now + COOLDOWN),
    });
    expect(started.dispatch).toMatchObject({ provider: 'fake', to: TO, attempts: 1 });
    expect(fake.messages).toHaveLength(1);
    const code = fake.lastCode(TO)!;
    expect(code).toMatch(/^\d{6}$/);
    expect(fake.lastMessage(TO)!.body).toBe(`Your verification code is ${code}. It expires in 10 minutes.`);
    expect(await verifier.check({ to: TO, code })).toEqual({ status: 'approved', attemptsLeft: 5 });
    expect(await verifier.cancel(TO)).toBe(false);
  });

  it('works with the default memory store and Date.now when given only dispatcher and secret', async () => {
    const { dispatcher, fake } = harness();
    const verifier = createVerifier({ dispatcher, secret: SECRET });
    await verifier.start({ to: TO });
    expect((await verifier.check({ to: TO, code: fake.lastCode(TO)! })).status).toBe('approved');
  });
});

describe('check', () => {
  it('is single use: after approved, the same code and any other answer not_found', async () => {
    const h = harness();
    await h.verifier.start({ to: TO });
    const code = h.code();
    expect((await h.verifier.check({ to: TO, code })).status).toBe('approved');
    expect(await h.verifier.check({ to: TO, code })).toEqual({ status: 'not_found', attemptsLeft: 0 });
    expect((await h.verifier.check({ to: TO, code: '000000' })).status).toBe('not_found');
  });

  it('counts maxAttempts wrong codes down to 0, then answers max_attempts_reached even to the right code', async () => {
    const h = harness({ maxAttempts: 3 });
    await h.verifier.start({ to: TO });
    const code = h.code();
    const wrong = code === '111111' ? '222222' : '111111';
    expect(await h.verifier.check({ to: TO, code: wrong })).toEqual({ status: 'pending', attemptsLeft: 2 });
    expect(await h.verifier.check({ to: TO, code: wrong })).toEqual({ status: 'pending', attemptsLeft: 1 });
    expect(await h.verifier.check({ to: TO, code: wrong })).toEqual({ status: 'pending', attemptsLeft: 0 });
    expect(await h.verifier.check({ to: TO, code })).toEqual({
      status: 'max_attempts_reached',
      attemptsLeft: 0,
    });
  });

  it('counts codes of the wrong length or with non-digits as wrong codes, without throwing', async () => {
    const h = harness();
    await h.verifier.start({ to: TO });
    const code = h.code();
    const odd = [
      '',
      '1',
      `${code}0`,
      code.slice(1),
      `${code.slice(0, 5)}a`,
      ` ${code}`,
      '٤٨٢٩١٣',
      'x'.repeat(10_000),
    ];
    let left = 5;
    for (const given of odd.slice(0, 4)) {
      expect(await h.verifier.check({ to: TO, code: given })).toEqual({
        status: 'pending',
        attemptsLeft: --left,
      });
    }
    expect((await h.verifier.check({ to: TO, code })).status).toBe('approved');
    await h.verifier.start({ to: '+14155550124' });
    for (const given of odd.slice(4)) {
      expect((await h.verifier.check({ to: '+14155550124', code: given })).status).not.toBe('approved');
    }
  });

  it('locks the number after maxAttempts: start is refused RATE_LIMITED until ttlMs after the lock', async () => {
    const h = harness({ maxAttempts: 2 });
    await h.verifier.start({ to: TO });
    h.advance(1_000);
    await h.verifier.check({ to: TO, code: 'nope' });
    await h.verifier.check({ to: TO, code: 'nope' });
    h.advance(COOLDOWN);
    const error = await rejection(h.verifier.start({ to: TO }));
    expect(isOtpError(error, 'RATE_LIMITED')).toBe(true);
    expect(error.retryAfterMs).toBe(TTL - COOLDOWN);
    expect(refusalReason(error)).toBe('locked');
    expect(h.fake.messages).toHaveLength(1);
    h.advance(TTL - COOLDOWN - 1);
    await expect(h.verifier.start({ to: TO })).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    h.advance(1);
    await h.verifier.start({ to: TO });
    expect((await h.verifier.check({ to: TO, code: h.code() })).status).toBe('approved');
  });

  it('answers expired for the right code from ttlMs after the send, for another ttlMs', async () => {
    const h = harness();
    await h.verifier.start({ to: TO });
    const code = h.code();
    h.advance(TTL - 1);
    h.advance(1);
    expect(await h.verifier.check({ to: TO, code })).toEqual({ status: 'expired', attemptsLeft: 5 });
    h.advance(TTL - 1);
    expect((await h.verifier.check({ to: TO, code })).status).toBe('expired');
    h.advance(1);
    expect((await h.verifier.check({ to: TO, code })).status).toBe('not_found');
  });

  it('of 20 concurrent checks with the right code exactly one is approved', async () => {
    const h = harness();
    await h.verifier.start({ to: TO });
    const code = h.code();
    const results = await Promise.all(Array.from({ length: 20 }, () => h.verifier.check({ to: TO, code })));
    expect(results.filter((result) => result.status === 'approved')).toHaveLength(1);
  });

  it('of 20 concurrent wrong checks exactly maxAttempts are pending', async () => {
    const h = harness();
    await h.verifier.start({ to: TO });
    const results = await Promise.all(
      Array.from({ length: 20 }, () => h.verifier.check({ to: TO, code: 'x' })),
    );
    expect(results.filter((result) => result.status === 'pending')).toHaveLength(5);
    expect(results.filter((result) => result.status === 'max_attempts_reached')).toHaveLength(15);
  });

  it('a code of one number is worthless for another', async () => {
    const h = harness();
    await h.verifier.start({ to: TO });
    await h.verifier.start({ to: '+14155550124' });
    expect((await h.verifier.check({ to: '+14155550124', code: h.code(TO) })).status).not.toBe('approved');
    expect((await h.verifier.check({ to: TO, code: h.code(TO) })).status).toBe('approved');
  });

  it('does not approve a code stored under another secret', async () => {
    const h = harness();
    const other = createVerifier({
      dispatcher: h.dispatcher,
      secret: `${SECRET}-other`,
      store: h.store,
      now: () => h.now,
    });
    await other.start({ to: TO });
    expect((await h.verifier.check({ to: TO, code: h.code() })).status).toBe('pending');
  });
});

describe('resend', () => {
  it('does not reset the attempt budget (3 wrong, resend, 2 wrong locks with the default 5)', async () => {
    const h = harness();
    await h.verifier.start({ to: TO });
    for (let i = 0; i < 3; i++) await h.verifier.check({ to: TO, code: 'wrong' });
    h.advance(COOLDOWN);
    const again = await h.verifier.start({ to: TO });
    expect(again.sends).toBe(2);
    expect(await h.verifier.check({ to: TO, code: 'wrong' })).toEqual({ status: 'pending', attemptsLeft: 1 });
    expect(await h.verifier.check({ to: TO, code: 'wrong' })).toEqual({ status: 'pending', attemptsLeft: 0 });
    expect((await h.verifier.check({ to: TO, code: h.code() })).status).toBe('max_attempts_reached');
  });

  it('issues a new code and keeps the earlier one valid until it expires', async () => {
    const h = harness();
    await h.verifier.start({ to: TO });
    const first = h.code();
    h.advance(COOLDOWN);
    await h.verifier.start({ to: TO });
    const second = h.code();
    expect(h.fake.messages).toHaveLength(2);
    expect((await h.verifier.check({ to: TO, code: first })).status).toBe('approved');
    // Either code works, once: the verification is done.
    expect((await h.verifier.check({ to: TO, code: second })).status).toBe('not_found');
  });

  it('lets the earlier code expire on its own time while the later one still works', async () => {
    const h = harness();
    await h.verifier.start({ to: TO });
    const first = h.code();
    h.advance(COOLDOWN);
    await h.verifier.start({ to: TO });
    const second = h.code();
    h.advance(TTL - COOLDOWN);
    if (first !== second) expect((await h.verifier.check({ to: TO, code: first })).status).toBe('expired');
    expect((await h.verifier.check({ to: TO, code: second })).status).toBe('approved');
  });
});

describe('a failed send', () => {
  it("rejects with the dispatcher's OtpError, leaves its code unusable, and still counts toward the limits", async () => {
    const bodies: string[] = [];
    const refusing = {
      id: 'refusing',
      send: (message: { body: string }) => {
        bodies.push(message.body);
        return Promise.reject(new OtpError('REJECTED', 'refusing: scripted', { provider: 'refusing' }));
      },
    };
    const h = harness({ maxSends: { count: 1, windowMs: TTL } }, [refusing]);
    const error = await rejection(h.verifier.start({ to: TO }));
    expect(error).toMatchObject({ name: 'OtpError', code: 'REJECTED', message: 'refusing: scripted' });
    const code = /\d{6}/.exec(bodies[0]!)![0];
    expect((await h.verifier.check({ to: TO, code })).status).toBe('not_found');
    // The cool-down and the number's window both saw it.
    await expect(h.verifier.start({ to: TO })).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterMs: COOLDOWN,
    });
    h.advance(COOLDOWN);
    const window = await rejection(h.verifier.start({ to: TO }));
    expect(refusalReason(window)).toBe('max_sends');
    expect(bodies).toHaveLength(1);
  });

  it('aborted by the signal: ABORTED, and the code unusable', async () => {
    const h = harness();
    h.fake.hangNext();
    const controller = new AbortController();
    const pending = h.verifier.start({ to: TO, signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('a signal aborted before start: ABORTED before anything is counted', async () => {
    const h = harness();
    await expect(h.verifier.start({ to: TO, signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'ABORTED',
    });
    expect((await h.verifier.start({ to: TO })).sends).toBe(1);
  });
});

describe('cancel', () => {
  it('ends a pending verification once; its codes stop working', async () => {
    const h = harness();
    await h.verifier.start({ to: TO });
    expect(await h.verifier.cancel(TO)).toBe(true);
    expect(await h.verifier.cancel(TO)).toBe(false);
    expect((await h.verifier.check({ to: TO, code: h.code() })).status).toBe('not_found');
  });

  it('does not lift a lock', async () => {
    const h = harness({ maxAttempts: 1 });
    await h.verifier.start({ to: TO });
    await h.verifier.check({ to: TO, code: 'x' });
    expect(await h.verifier.cancel(TO)).toBe(false);
    h.advance(COOLDOWN);
    await expect(h.verifier.start({ to: TO })).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });
});

describe('the store it is given', () => {
  it('is where the verification lives: a second verifier on the same store and secret checks it', async () => {
    const store = createMemoryStore();
    const h = harness({ store });
    const dispatcher = createDispatcher({ providers: [h.fake] });
    const other = createVerifier({ dispatcher, secret: SECRET, store, now: () => h.now });
    await h.verifier.start({ to: TO });
    expect((await other.check({ to: TO, code: h.code() })).status).toBe('approved');
  });
});

describe('a store that fails after the fact', () => {
  it('a failure to note the provider after a delivered SMS, or to count an approval, changes no answer', async () => {
    const store = createMemoryStore();
    const failing = {
      ...store,
      settle: () => Promise.reject(new OtpError('PROVIDER_UNAVAILABLE', 'store down')),
      tally: (key: string, request: Parameters<typeof store.tally>[1]) =>
        request.approved
          ? Promise.reject(new OtpError('PROVIDER_UNAVAILABLE', 'store down'))
          : store.tally(key, request),
    };
    const h = harness({ store: failing, pumpingGuard: true });
    const started = await h.verifier.start({ to: TO });
    expect(started.dispatch?.provider).toBe('fake');
    expect((await h.verifier.check({ to: TO, code: h.code() })).status).toBe('approved');
  });
});
