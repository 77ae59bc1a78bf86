import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { bundleChild, type Child, startChild } from './__fixtures__/children.js';
import { type ClientKind, uniquePrefix } from './__fixtures__/clients.js';
import type { ReceiptCommand, ReceiptReply } from './__fixtures__/receipt-child.js';

const redis = inject('redis');

// The receipt path over two app processes on one Redis: process A sends, process B gets the vendor's
// callback (each with its own client: one ioredis, one node-redis).
describe.skipIf(redis === null)('delivery receipts across two processes sharing one Redis', () => {
  let bundle: string;
  let a: Child<ReceiptCommand, ReceiptReply>;
  let b: Child<ReceiptCommand, ReceiptReply>;
  beforeAll(async () => {
    bundle = await bundleChild('receipt-child');
    const shared = {
      port: redis!.port,
      prefix: uniquePrefix('receipts'),
      secret: randomBytes(32).toString('base64'),
    };
    [a, b] = await Promise.all([
      startChild<ReceiptCommand, ReceiptReply>(bundle, {
        ...shared,
        client: 'ioredis 6' satisfies ClientKind,
      }),
      startChild<ReceiptCommand, ReceiptReply>(bundle, {
        ...shared,
        client: 'node-redis 6' satisfies ClientKind,
      }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a?.exit(), b?.exit()]);
    if (process.env.KEEP_BUNDLE !== '1') rmSync(bundle, { force: true });
  });

  it('an undelivered receipt for a send of A, handled in B, resends exactly once through the next provider', async () => {
    const to = '+14155550110';
    const started = await a.request({ op: 'start', to, reference: 'login-a' });
    expect(started).toMatchObject({ provider: 'first', messageId: 'first-1' });
    const receipt = {
      op: 'receipt',
      to,
      provider: 'first',
      messageId: started.messageId!,
      status: 'undelivered',
    } as const;
    // The vendor calls three times (retries are normal), twice at once on B and once on A.
    const [left, right] = await Promise.all([b.request(receipt), b.request(receipt)]);
    const onA = await a.request(receipt);
    for (const answer of [left, right, onA]) expect(answer.error).toBeUndefined();
    expect([left, right, onA].filter((answer) => answer.resending)).toHaveLength(1);
    const last = await b.request(receipt);
    expect(last.resent).toEqual([
      { provider: 'second', previousProvider: 'first', dispatchId: expect.any(String), sends: 2 },
    ]);
    expect(last.sent).toEqual({ first: 0, second: 1 });
    expect(onA.resent).toEqual([]);
    expect(onA.sent).toEqual({ first: 1, second: 0 });
    // The code B sent is the one that works, in A as anywhere.
    expect((await a.request({ op: 'check', to, code: last.resentCode! })).status).toBe('approved');
  });

  it('a delivered receipt for a send of A, handled in B, reaches B\'s "delivered" event with A\'s dispatch id and reference', async () => {
    const to = '+14155550111';
    const started = await a.request({ op: 'start', to, reference: 'login-b' });
    const answer = await b.request({
      op: 'receipt',
      to,
      provider: 'first',
      messageId: started.messageId!,
      status: 'delivered',
    });
    expect(answer).toMatchObject({ matched: true, resending: false });
    expect(answer.delivered).toEqual([
      { provider: 'first', messageId: started.messageId, id: started.dispatchId, reference: 'login-b' },
    ]);
    expect(answer.sent).toEqual({ first: 0, second: 1 });
  });
});
