import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { bundleChild, type Child, startChild } from './__fixtures__/children.js';
import { type ClientKind, uniquePrefix } from './__fixtures__/clients.js';

const redis = inject('redis');

const count = (statuses: string[] | undefined, status: string) =>
  (statuses ?? []).filter((item) => item === status).length;

// Two app processes, each with its own client (one ioredis, one node-redis), on one Redis.
describe.skipIf(redis === null)('two processes sharing one Redis', () => {
  let bundle: string;
  let a: Child;
  let b: Child;
  beforeAll(async () => {
    bundle = await bundleChild();
    const shared = {
      port: redis!.port,
      prefix: uniquePrefix('processes'),
      secret: randomBytes(32).toString('base64'),
    };
    [a, b] = await Promise.all([
      startChild(bundle, { ...shared, client: 'ioredis 6' satisfies ClientKind }),
      startChild(bundle, { ...shared, client: 'node-redis 6' satisfies ClientKind }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a?.exit(), b?.exit()]);
    if (process.env.KEEP_BUNDLE !== '1') rmSync(bundle, { force: true });
  });

  it('a code started in one process is approved in the other, once', async () => {
    const to = '+14155550100';
    const started = await a.request({ op: 'start', to });
    expect(started.code).toMatch(/^\d{6}$/);
    expect((await b.request({ op: 'check', to, code: started.code!, times: 1 })).statuses).toEqual([
      'approved',
    ]);
    expect((await a.request({ op: 'check', to, code: started.code!, times: 1 })).statuses).toEqual([
      'not_found',
    ]);
  });

  it('of 100 concurrent checks of the right code over both, exactly one is approved', async () => {
    const to = '+14155550101';
    const { code } = await b.request({ op: 'start', to });
    const [left, right] = await Promise.all([
      a.request({ op: 'check', to, code: code!, times: 50 }),
      b.request({ op: 'check', to, code: code!, times: 50 }),
    ]);
    const all = [...left.statuses!, ...right.statuses!];
    expect(all).toHaveLength(100);
    expect(count(all, 'approved')).toBe(1);
    expect(count(all, 'not_found')).toBe(99);
  });

  it('of 40 concurrent wrong codes over both, exactly maxAttempts (5) are pending', async () => {
    const to = '+14155550102';
    const { code } = await a.request({ op: 'start', to });
    const wrong = code === '000000' ? '111111' : '000000';
    const [left, right] = await Promise.all([
      a.request({ op: 'check', to, code: wrong, times: 20 }),
      b.request({ op: 'check', to, code: wrong, times: 20 }),
    ]);
    const all = [...left.statuses!, ...right.statuses!];
    expect(count(all, 'pending')).toBe(5);
    expect(count(all, 'max_attempts_reached')).toBe(35);
    // The right code no longer works: the number is locked.
    expect((await b.request({ op: 'check', to, code: code!, times: 1 })).statuses).toEqual([
      'max_attempts_reached',
    ]);
  });

  it('a per-number limit of 5 holds over starts alternating between the two', async () => {
    const to = '+14155550103';
    const outcomes: string[] = [];
    for (let i = 0; i < 8; i++) {
      const reply = await (i % 2 === 0 ? a : b).request({ op: 'start', to });
      outcomes.push(reply.error ?? 'sent');
    }
    expect(outcomes).toEqual([
      'sent',
      'sent',
      'sent',
      'sent',
      'sent',
      'RATE_LIMITED',
      'RATE_LIMITED',
      'RATE_LIMITED',
    ]);
  });
});
