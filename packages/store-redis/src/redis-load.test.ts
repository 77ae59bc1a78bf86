import { randomBytes } from 'node:crypto';
import { createDispatcher } from '@otpkit/core';
import { createFakeProvider } from '@otpkit/provider-fake';
import { createVerifier } from '@otpkit/verify';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dumpKeys, inspector, type OpenClient, openClient } from './__fixtures__/clients.js';
import { type RedisServer, startRedisServer } from './__fixtures__/redis-server.js';
import { createRedisStore } from './redis-store.js';

const redis = inject('redis');
const VERIFICATIONS = 10_000;
const FLOWS = 64;
const PREFIX = 'load:';
const number = (i: number) => `+1415${String(i).padStart(7, '0')}`;

/** Keys in db0 by INFO keyspace (what Redis itself counts). */
async function keyCount(look: Redis): Promise<number> {
  const match = /db0:keys=(\d+)/.exec(await look.info('keyspace'));
  return match ? Number(match[1]) : 0;
}

describe.skipIf(redis === null)('load on a dedicated redis-server', () => {
  let server: RedisServer;
  let open: OpenClient;
  let look: Redis;
  const secret = randomBytes(32).toString('base64');
  beforeAll(async () => {
    server = await startRedisServer(redis!.binary);
    open = await openClient('ioredis 6', server.port);
    look = inspector(server.port);
  });
  afterAll(async () => {
    await open?.close();
    look?.disconnect();
    await server?.stop();
  });

  it(`${VERIFICATIONS} verifications over ${FLOWS} concurrent flows: each approved exactly once, every key expiring, only the windows left; no value holds a code or the secret`, async () => {
    const store = createRedisStore({ client: open.client, prefix: PREFIX });
    const fake = createFakeProvider({ codePattern: /\b\d{10}\b/ });
    const dispatcher = createDispatcher({ providers: [fake], concurrency: FLOWS, maxQueue: FLOWS });
    const verifier = createVerifier({ dispatcher, secret, store, codeLength: 10, resendAfterMs: 0 });
    const codes = new Map<string, string>();

    // First, 200 of them left pending: what a verification holds in Redis, and what it costs.
    for (let i = 0; i < 200; i++) {
      await verifier.start({ to: number(i), reference: `ref-${i}` });
      codes.set(number(i), fake.lastCode(number(i))!);
    }
    const pending = await dumpKeys(look, `${PREFIX}*`);
    const texts: string[] = [];
    let verificationBytes = 0;
    let windowBytes = 0;
    for (const [key, { pttl, value }] of Object.entries(pending)) {
      expect(pttl, key).toBeGreaterThan(0);
      const bytes = Number(await look.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'));
      if (key.endsWith(':v')) {
        verificationBytes += bytes;
        // `m` and `d`: the latest send's message id and dispatch id, for delivery receipts.
        expect(Object.keys(value).sort()).toEqual([
          'a',
          'd',
          'e1',
          'g',
          'h1',
          'k',
          'l',
          'm',
          'n',
          'p',
          'r',
          's',
          't',
        ]);
        expect(value.h1).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(value.p).toBe('fake');
        for (const field of ['a', 'e1', 'g', 'k', 'l', 'n', 's', 't']) expect(value[field]).toMatch(/^\d+$/);
      } else {
        windowBytes += bytes;
        expect(key.endsWith(':w')).toBe(true);
        expect(Object.keys(value).sort()).toEqual(['c', 'r']);
      }
      texts.push(key, ...Object.values(value));
    }
    const stored = texts.join('\n');
    for (const code of codes.values()) expect(stored.includes(code), 'a code in Redis').toBe(false);
    for (const form of [secret, Buffer.from(secret, 'base64').toString('hex')])
      expect(stored.includes(form)).toBe(false);
    console.log(
      `store-redis sizing: MEMORY USAGE per pending verification ${Math.round(verificationBytes / 200)} B (its hash) + ${Math.round(windowBytes / 200)} B (its number's send window)`,
    );
    for (let i = 0; i < 200; i++) {
      expect((await verifier.check({ to: number(i), code: codes.get(number(i))! })).status).toBe('approved');
    }

    // Then the whole load: start, check the right code (approved), check it again (not_found).
    let next = 200;
    const outcomes = { approved: 0, again: 0, other: [] as string[] };
    const started = performance.now();
    const flow = async () => {
      for (let i = next++; i < VERIFICATIONS; i = next++) {
        const to = number(i);
        await verifier.start({ to });
        const code = fake.lastCode(to)!;
        const first = await verifier.check({ to, code });
        const second = await verifier.check({ to, code });
        if (first.status === 'approved') outcomes.approved++;
        else outcomes.other.push(`${to}: ${first.status}`);
        if (second.status === 'not_found') outcomes.again++;
        else outcomes.other.push(`${to} again: ${second.status}`);
      }
    };
    await Promise.all(Array.from({ length: FLOWS }, flow));
    const seconds = (performance.now() - started) / 1000;
    await dispatcher.close();
    expect(outcomes.other).toEqual([]);
    expect(outcomes.approved).toBe(VERIFICATIONS - 200);
    expect(outcomes.again).toBe(VERIFICATIONS - 200);
    console.log(
      `store-redis load: ${VERIFICATIONS - 200} verifications (start + 2 checks) over ${FLOWS} flows in ${seconds.toFixed(1)} s`,
    );

    // Left: the send window of each number, nothing else, every key with an expiry.
    const left = await dumpKeys(look, '*');
    const keys = Object.keys(left);
    expect(await keyCount(look)).toBe(VERIFICATIONS);
    expect(keys).toHaveLength(VERIFICATIONS);
    expect(keys.filter((key) => !key.endsWith(':w'))).toEqual([]);
    expect(Object.entries(left).filter(([, { pttl }]) => !(pttl > 0 && pttl <= 600_000))).toEqual([]);
  });
});
