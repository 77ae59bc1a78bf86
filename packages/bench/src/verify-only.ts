// @otpkit/verify cost without I/O, in a fresh process (run with --expose-gc):
//   node --expose-gc verify-only.js <n>
// check() and start() per second with the memory store and the fake provider, heap per pending
// verification in the memory store, and the dispatcher's sends per second with and without startWith.
import { createHmac, randomBytes } from 'node:crypto';
import { createDispatcher, type OtpProvider } from '@otpkit/core';
import { createFakeProvider } from '@otpkit/provider-fake';
import { createMemoryStore, createVerifier } from '@otpkit/verify';
import { perSecond } from './stats.js';

const n = Number(process.argv[2] ?? '100000');
const concurrency = 64;
const gc = (globalThis as { gc?: () => void }).gc;
const number = (index: number) => `+1415${String(5_000_000 + index).padStart(7, '0')}`;
const limits = { count: 1_000_000, windowMs: 600_000 };

async function startsAndChecks() {
  const fake = createFakeProvider();
  // The fake, noting each code as it passes (the fake's own log is cleared now and then).
  const sentCodes = new Map<string, string>();
  const recording: OtpProvider = {
    id: 'fake',
    send(message, context) {
      sentCodes.set(message.to, message.body.slice(26, 32));
      if (fake.messages.length > 10_000) fake.reset();
      return fake.send(message, context);
    },
  };
  const dispatcher = createDispatcher({ providers: [recording], concurrency, maxQueue: n });
  const verifier = createVerifier({
    dispatcher,
    secret: randomBytes(32),
    store: createMemoryStore({ maxEntries: 3 * n }),
    maxSends: limits,
    maxSendsPerKey: limits,
    resendAfterMs: 0,
  });
  const start = (index: number) => verifier.start({ to: number(index) });
  const wrong = (index: number) =>
    verifier.check({
      to: number(index),
      code: sentCodes.get(number(index)) === '000000' ? '111111' : '000000',
    });
  const right = (index: number) => verifier.check({ to: number(index), code: sentCodes.get(number(index))! });
  // Warm-up on other numbers (from n on), so the measured passes run optimised code.
  const warm = Math.min(20_000, n);
  await perSecond(warm, concurrency, (index) => start(n + index));
  await perSecond(warm, concurrency, (index) => wrong(n + index));
  await perSecond(warm, concurrency, (index) => right(n + index));
  const startsPerSecond = await perSecond(n, concurrency, start);
  // A wrong code for each pending verification (answered `pending`), then the right one (`approved`).
  const wrongChecksPerSecond = await perSecond(n, concurrency, wrong);
  const approvingChecksPerSecond = await perSecond(n, concurrency, right);
  await dispatcher.close();
  return { startsPerSecond, wrongChecksPerSecond, approvingChecksPerSecond };
}

/** Heap the memory store holds per pending verification (its entry and its number's send window). */
async function heapPerPending(): Promise<number> {
  const count = 50_000;
  const store = createMemoryStore({ maxEntries: count });
  const key = randomBytes(32);
  const now = Date.now();
  gc?.();
  gc?.();
  const before = process.memoryUsage().heapUsed;
  for (let index = 0; index < count; index++) {
    // The number and the HMAC are made here, as for a real start: the store keeps both.
    const to = number(index);
    const codeHash = createHmac('sha256', key)
      .update(`${to}\u0000${String(index).padStart(6, '0')}`)
      .digest('base64url');
    await store.begin(to, { now, codeHash, ttlMs: 600_000, resendAfterMs: 30_000, maxSends: limits });
    await store.settle(to, { now, codeHash, provider: 'fake' });
  }
  gc?.();
  gc?.();
  const after = process.memoryUsage().heapUsed;
  if (store.size.verifications !== count) throw new Error('not all pending');
  return (after - before) / count;
}

/** The dispatcher's sends per second, without and with `startWith`, in alternating passes. */
async function startWithCost() {
  const providers: OtpProvider[] = ['a', 'b'].map((id) => ({
    id,
    send: (message) =>
      Promise.resolve({ provider: id, messageId: id, to: message.to, acceptedAt: new Date() }),
  }));
  const dispatcher = createDispatcher({ providers, concurrency, maxQueue: n });
  const message = { to: number(1), body: 'Your verification code is 482913.' };
  const without: number[] = [];
  const withStartWith: number[] = [];
  for (let pass = 0; pass < 3; pass++) {
    without.push(await perSecond(n, concurrency, () => dispatcher.send(message)));
    withStartWith.push(await perSecond(n, concurrency, () => dispatcher.send(message, { startWith: 'b' })));
  }
  await dispatcher.close();
  const best = (list: number[]) => Math.max(...list);
  return { sendsPerSecond: best(without), sendsPerSecondWithStartWith: best(withStartWith) };
}

const speed = await startsAndChecks();
const heapBytesPerPending = await heapPerPending();
const dispatch = await startWithCost();
process.stdout.write(`${JSON.stringify({ ...speed, heapBytesPerPending, ...dispatch, gc: Boolean(gc) })}\n`);
process.exit(0);
