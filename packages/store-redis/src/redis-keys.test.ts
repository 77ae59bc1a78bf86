import { createDispatcher } from '@otpkit/core';
import { createFakeProvider } from '@otpkit/provider-fake';
import { createVerifier } from '@otpkit/verify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uniquePrefix } from './__fixtures__/clients.js';
import { checkPrefix, storeKeys } from './redis-keys.js';
import { SCRIPTS } from './redis-scripts.js';
import { createRedisStore } from './redis-store.js';

/** CRC16/XMODEM, as Redis Cluster computes it (its `crc16.c`), written here apart from the store. */
function crc16(bytes: Buffer): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** The Cluster slot of a key: the hash tag (first `{`, the next `}`, not empty) or the whole key. */
function slot(key: string): number {
  const bytes = Buffer.from(key, 'utf8');
  const open = bytes.indexOf('{');
  if (open >= 0) {
    const close = bytes.indexOf('}', open + 1);
    if (close > open + 1) return crc16(bytes.subarray(open + 1, close)) % 16384;
  }
  return crc16(bytes) % 16384;
}

const IDS = ['+14155550123', '+919876543210', 'key:a}b{c', 'prefix:{+44}', 'key:%7B', 'pumping:+1', 'key:ü}'];

describe('hash slots', () => {
  it('crc16 matches the known Redis Cluster vectors', () => {
    expect(crc16(Buffer.from('123456789'))).toBe(0x31c3);
    expect(slot('foo')).toBe(12182);
    expect(slot('{user1000}.following')).toBe(slot('{user1000}.followers'));
    expect(slot('foo{}{bar}')).toBe(crc16(Buffer.from('foo{}{bar}')) % 16384);
  });

  it("gives a number's verification and send window one slot, whatever the number or prefix", () => {
    for (const prefix of ['otpkit:', '', 'app:1:']) {
      const keys = storeKeys(prefix);
      for (const id of IDS) {
        expect(slot(keys.verification(id)), id).toBe(slot(keys.sendWindow(id)));
        expect(slot(keys.verification(id)), id).toBe(
          crc16(Buffer.from(id.replace(/[%{}]/g, (c) => encodeURIComponent(c)))) % 16384,
        );
      }
    }
  });

  it('keeps distinct ids on distinct keys (the escaping is one-to-one)', () => {
    const keys = storeKeys('p:');
    const all = ['a}', 'a%7D', 'a%257D', '{a', '%7Ba'].map((id) => keys.counter(id));
    expect(new Set(all).size).toBe(all.length);
  });
});

const redis = inject('redis');

describe.skipIf(redis === null)('the keys each script gets, seen by MONITOR on a real server', () => {
  let monitor: Awaited<ReturnType<Redis['monitor']>>;
  let cluster: Redis;
  const seen: string[][] = [];
  beforeAll(async () => {
    const source = new Redis(redis!.port, '127.0.0.1');
    monitor = await source.monitor();
    source.disconnect();
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (args[0]?.toUpperCase().startsWith('EVAL')) seen.push(args);
    });
    cluster = new Redis(redis!.clusterPort, '127.0.0.1');
  });
  afterAll(() => {
    monitor.disconnect();
    cluster.disconnect();
  });

  it('every script call gets keys of one slot, and that slot is what Redis Cluster computes', async () => {
    const client = new Redis(redis!.port, '127.0.0.1');
    const prefix = uniquePrefix('slots');
    const store = createRedisStore({ client, prefix });
    const fake = createFakeProvider();
    const dispatcher = createDispatcher({ providers: [fake] });
    const verifier = createVerifier({
      dispatcher,
      secret: 'x'.repeat(32),
      store,
      maxSendsPerKey: { count: 10, windowMs: 60_000 },
      prefixLimits: [{ prefix: '+1415', count: 10, windowMs: 60_000 }],
      pumpingGuard: { prefixLength: 3 },
    });
    for (const to of ['+14155550123', '+14155550199']) {
      await verifier.start({ to, key: 'ip:{203.0.113.7}' });
      await verifier.check({ to, code: '000000' });
      const messageId = fake.messages.at(-1)!.messageId;
      await store.deliver(to, {
        now: Date.now(),
        provider: 'fake',
        messageId,
        status: 'delivered',
        claimResend: false,
      });
      await verifier.check({ to, code: fake.lastCode(to)! });
      await verifier.cancel(to);
    }
    await dispatcher.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const mine = seen.filter((args) => args.some((arg) => arg.startsWith(prefix)));
    const shas = new Set(Object.values(SCRIPTS).map((script) => script.sha));
    const ran = new Set(mine.map((args) => args[1]));
    // Every script ran: begin, settle, deliver, check, cancel, hit (key and prefix windows), tally (the guard).
    expect([...shas].every((sha) => ran.has(sha))).toBe(true);
    for (const args of mine) {
      const count = Number(args[2]);
      const keys = args.slice(3, 3 + count);
      expect(keys.length).toBeGreaterThan(0);
      const slots = new Set(keys.map(slot));
      expect(slots.size, keys.join(' ')).toBe(1);
      expect(await cluster.call('CLUSTER', 'KEYSLOT', keys[0]!)).toBe(slot(keys[0]!));
    }
    client.disconnect();
  });
});

describe.skipIf(redis === null)('round trips, seen by MONITOR on a real server', () => {
  it('check() is one command, start() two (begin, settle) once the scripts are loaded', async () => {
    const source = new Redis(redis!.port, '127.0.0.1');
    const monitor = await source.monitor();
    source.disconnect();
    const prefix = uniquePrefix('trips');
    const commands: string[] = [];
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      // Commands a script runs show up too, with the source "lua": only the client's own count.
      if (source !== 'lua' && args.some((arg) => arg.includes(prefix))) commands.push(args[0]!.toUpperCase());
    });
    const client = new Redis(redis!.port, '127.0.0.1');
    const fake = createFakeProvider();
    const dispatcher = createDispatcher({ providers: [fake] });
    const verifier = createVerifier({
      dispatcher,
      secret: 'y'.repeat(32),
      store: createRedisStore({ client, prefix }),
      resendAfterMs: 0,
    });
    const settle = () => new Promise((resolve) => setTimeout(resolve, 100));
    // Warm-up: the first call of a script on a server is EVALSHA, NOSCRIPT, then EVAL (other test
    // files may have loaded them already).
    await verifier.start({ to: '+14155550150' });
    await verifier.check({ to: '+14155550150', code: fake.lastCode('+14155550150')! });
    await settle();
    expect(commands.filter((command) => command === 'EVALSHA')).toHaveLength(3);
    expect(commands.filter((command) => command !== 'EVALSHA' && command !== 'EVAL')).toEqual([]);
    commands.length = 0;
    await verifier.start({ to: '+14155550151' });
    await settle();
    expect(commands).toEqual(['EVALSHA', 'EVALSHA']);
    commands.length = 0;
    await verifier.check({ to: '+14155550151', code: '000000' });
    await verifier.check({ to: '+14155550151', code: fake.lastCode('+14155550151')! });
    await settle();
    expect(commands).toEqual(['EVALSHA', 'EVALSHA']);
    await dispatcher.close();
    client.disconnect();
    monitor.disconnect();
  });
});

describe('options and inputs', () => {
  const client = { status: 'ready', evalsha: async () => 0, eval: async () => 0 };

  it('names the field of every bad option with INVALID_CONFIG', () => {
    const cases: [unknown, string][] = [
      [undefined, 'options'],
      [{}, 'client'],
      [{ client: {} }, 'client'],
      [{ client, url: 'redis://x' }, 'url'],
      [{ url: 'http://x' }, 'url'],
      [{ url: 'redis://x', driver: 'memcached' }, 'driver'],
      [{ client, prefix: 'a{b' }, 'prefix'],
      [{ client, prefix: 'x'.repeat(129) }, 'prefix'],
      [{ client, commandTimeoutMs: 0 }, 'commandTimeoutMs'],
      [{ client, commandTimeoutMs: 1.5 }, 'commandTimeoutMs'],
    ];
    for (const [options, path] of cases) {
      expect(() => createRedisStore(options as never), path).toThrow(
        expect.objectContaining({
          name: 'OtpError',
          code: 'INVALID_CONFIG',
          message: expect.stringMatching(new RegExp(`^${path}:`)),
        }),
      );
    }
    expect(checkPrefix(undefined)).toBe('otpkit:');
  });

  it('refuses bad inputs with INVALID_INPUT before any command', async () => {
    let calls = 0;
    const counting = { status: 'ready', evalsha: async () => void calls++, eval: async () => void calls++ };
    const store = createRedisStore({ client: counting });
    const hash = 'A'.repeat(43);
    const refusals = [
      store.check('', { now: 1, codeHash: hash, maxAttempts: 5, lockMs: 1 }),
      store.check('+1', { now: 1, codeHash: 'not,base64url', maxAttempts: 5, lockMs: 1 }),
      store.check('+1', { now: Number.NaN, codeHash: hash, maxAttempts: 5, lockMs: 1 }),
      store.hit('x'.repeat(513), { now: 1, windowMs: 1, limit: 1 }),
      store.begin('+1', {
        now: 1,
        codeHash: hash,
        ttlMs: 1,
        resendAfterMs: 0,
        maxSends: { count: Number.POSITIVE_INFINITY, windowMs: 1 },
      }),
    ];
    for (const refusal of refusals) await expect(refusal).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(calls).toBe(0);
  });
});
