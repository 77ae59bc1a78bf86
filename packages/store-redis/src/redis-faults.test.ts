import { randomBytes } from 'node:crypto';
import { createServer, Socket as NetSocket, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createDispatcher, type OtpError } from '@otpkit/core';
import { createFakeProvider } from '@otpkit/provider-fake';
import { createVerifier, type VerificationStore } from '@otpkit/verify';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ClientKind, type OpenClient, openClient, uniquePrefix } from './__fixtures__/clients.js';
import { freePort, rawCommand, startRedisServer } from './__fixtures__/redis-server.js';
import { createRedisStore } from './redis-store.js';

const redis = inject('redis');
const STANDALONE: ClientKind[] = ['ioredis 6', 'ioredis 5', 'node-redis 6', 'node-redis 5'];
const TIMEOUT = 300;
/** Scheduling slack on a shared 2-core machine, on top of commandTimeoutMs. */
const SLACK = 250;
const secret = randomBytes(32).toString('base64');

function app(store: VerificationStore) {
  const fake = createFakeProvider();
  const dispatcher = createDispatcher({ providers: [fake], retry: { retries: 0 } });
  const verifier = createVerifier({ dispatcher, secret, store, resendAfterMs: 0 });
  return { fake, dispatcher, verifier };
}

/** Resolves with the error and how long the call took. */
async function failure(run: () => Promise<unknown>): Promise<{ error: OtpError; ms: number }> {
  const start = performance.now();
  try {
    await run();
  } catch (error) {
    return { error: error as OtpError, ms: performance.now() - start };
  }
  throw new Error('expected a rejection');
}

const wrongFor = (code: string) => (code === '000000' ? '111111' : '000000');

/** One field of `INFO <section>` over a raw socket. */
async function infoField(port: number, section: string, field: string): Promise<number> {
  const text = await new Promise<string>((resolve) => {
    const socket = createConnectionText(port, `INFO ${section}`, resolve);
    socket.setTimeout(1_000, () => resolve(''));
  });
  const line = text
    .split('\r\n')
    .find((item) => item.startsWith(`${field}:`) || item.startsWith(`${field}=`));
  const match = /[:=](?:calls=)?(\d+)/.exec(line ?? '');
  return match ? Number(match[1]) : 0;
}
function createConnectionText(port: number, command: string, done: (text: string) => void): Socket {
  const socket = new NetSocket();
  let data = '';
  socket.on('data', (chunk) => {
    data += chunk.toString('utf8');
    const header = /^\$(\d+)\r\n/.exec(data);
    if (header && data.length >= header[0].length + Number(header[1])) {
      socket.destroy();
      done(data);
    }
  });
  socket.once('error', () => done(''));
  socket.connect(port, '127.0.0.1', () => socket.write(`${command}\r\n`));
  return socket;
}

describe.skipIf(redis === null)('faults: fail closed, fast, and recover', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeAll(() => {
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(async () => {
    // Late replies (after a timeout) must land nowhere: give them a moment, then look.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(unhandled).toEqual([]);
  });
  afterAll(() => {
    process.off('unhandledRejection', onUnhandled);
  });

  for (const kind of STANDALONE) {
    it(`${kind}: Redis stopped mid-run rejects with STORE_UNAVAILABLE in bounded time, approves nothing, sends nothing; restarted (scripts flushed: NOSCRIPT) it works again without a reconnect storm`, async () => {
      const server = await startRedisServer(redis!.binary);
      const open = await openClient(kind, server.port);
      const store = createRedisStore({
        client: open.client,
        commandTimeoutMs: TIMEOUT,
        prefix: uniquePrefix(kind),
      });
      const { fake, dispatcher, verifier } = app(store);
      try {
        const to = '+14155550110';
        await verifier.start({ to });
        const code = fake.lastCode(to)!;
        expect((await verifier.check({ to, code: wrongFor(code) })).status).toBe('pending');

        await server.stop();
        for (const attempt of [wrongFor(code), code, code]) {
          const { error, ms } = await failure(() => verifier.check({ to, code: attempt }));
          expect(error).toMatchObject({ name: 'OtpError', code: 'STORE_UNAVAILABLE', retryable: true });
          expect(error.message).not.toContain(code);
          expect(ms).toBeLessThan(TIMEOUT + SLACK);
        }
        const sent = fake.calls;
        const { error, ms } = await failure(() => verifier.start({ to: '+14155550111' }));
        expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE' });
        expect(ms).toBeLessThan(TIMEOUT + SLACK);
        expect(fake.calls).toBe(sent);

        // Back on the same port, empty (nothing was persisted) and without the scripts.
        const again = await startRedisServer(redis!.binary, { port: server.port });
        try {
          const deadline = Date.now() + 15_000;
          for (;;) {
            try {
              await store.check('+14155550199', {
                now: Date.now(),
                codeHash: 'A'.repeat(43),
                maxAttempts: 5,
                lockMs: 1,
              });
              break;
            } catch (error) {
              if (Date.now() > deadline) throw error;
              await new Promise((resolve) => setTimeout(resolve, 50));
            }
          }
          expect(await infoField(again.port, 'commandstats', 'cmdstat_eval')).toBeGreaterThanOrEqual(1);
          // The old code never approves: its verification went with the old server.
          expect((await verifier.check({ to, code })).status).toBe('not_found');
          const fresh = '+14155550112';
          await verifier.start({ to: fresh });
          expect((await verifier.check({ to: fresh, code: fake.lastCode(fresh)! })).status).toBe('approved');
          // One connection from the client (plus this INFO's own), not a storm of them.
          expect(await infoField(again.port, 'stats', 'total_connections_received')).toBeLessThanOrEqual(4);
        } finally {
          await open.close().catch(() => {});
          await again.stop();
        }
      } finally {
        await dispatcher.close();
      }
    });
  }

  for (const kind of STANDALONE) {
    it(`${kind}: a server that accepts the connection and never answers: STORE_UNAVAILABLE within commandTimeoutMs, no SMS`, async () => {
      const sockets: Socket[] = [];
      const blackHole = createServer((socket) => {
        sockets.push(socket);
        socket.on('error', () => {});
      });
      const port = await freePort();
      await new Promise<void>((resolve) => blackHole.listen(port, '127.0.0.1', resolve));
      // node-redis's connect() waits for a handshake that never comes: this app does not await it.
      const open: OpenClient = await openClient(kind, port, { awaitConnect: false });
      try {
        const store = createRedisStore({ client: open.client, commandTimeoutMs: TIMEOUT });
        const { fake, dispatcher, verifier } = app(store);
        const { error, ms } = await failure(() => verifier.check({ to: '+14155550120', code: '123456' }));
        expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE' });
        expect(error.message).toMatch(/no reply from Redis within 300 ms/);
        expect(ms).toBeGreaterThanOrEqual(TIMEOUT - 5);
        expect(ms).toBeLessThan(TIMEOUT + SLACK);
        const started = await failure(() => verifier.start({ to: '+14155550120' }));
        expect(started.error).toMatchObject({ code: 'STORE_UNAVAILABLE' });
        expect(started.ms).toBeLessThan(TIMEOUT + SLACK);
        expect(fake.calls).toBe(0);
        await dispatcher.close();
      } finally {
        await Promise.race([
          open.close().catch(() => {}),
          new Promise((resolve) => setTimeout(resolve, 200)),
        ]);
        for (const socket of sockets) socket.destroy();
        await new Promise((resolve) => blackHole.close(resolve));
      }
    });
  }

  it('Redis killed with 200 wrong and 200 right checks in flight: each ends approved once at most, or STORE_UNAVAILABLE, in bounded time', async () => {
    const server = await startRedisServer(redis!.binary);
    const open = await openClient('ioredis 6', server.port);
    const store = createRedisStore({
      client: open.client,
      commandTimeoutMs: TIMEOUT,
      prefix: uniquePrefix('killed'),
    });
    const { fake, dispatcher, verifier } = app(store);
    try {
      const numbers = Array.from({ length: 20 }, (_, i) => `+1415555${String(200 + i).padStart(4, '0')}`);
      for (const to of numbers) await verifier.start({ to });
      const started = performance.now();
      const calls = numbers.flatMap((to) => {
        const code = fake.lastCode(to)!;
        return Array.from({ length: 10 }, () => [
          verifier
            .check({ to, code: wrongFor(code) })
            .then((result) => ({ to, right: false, status: result.status })),
          verifier.check({ to, code }).then((result) => ({ to, right: true, status: result.status })),
        ]).flat();
      });
      server.process.kill('SIGKILL');
      const outcomes = await Promise.allSettled(calls);
      const elapsed = performance.now() - started;
      expect(elapsed).toBeLessThan(TIMEOUT + SLACK);
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') {
          expect(outcome.reason).toMatchObject({ code: 'STORE_UNAVAILABLE' });
        } else if (outcome.value.status === 'approved') {
          expect(outcome.value.right).toBe(true);
        }
      }
      // The kill came mid-run: some calls never got their reply.
      expect(outcomes.some((outcome) => outcome.status === 'rejected')).toBe(true);
      for (const to of numbers) {
        const approvals = outcomes.filter(
          (outcome) =>
            outcome.status === 'fulfilled' && outcome.value.to === to && outcome.value.status === 'approved',
        );
        expect(approvals.length).toBeLessThanOrEqual(1);
      }
    } finally {
      await dispatcher.close();
      await Promise.race([open.close().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 200))]);
      await server.stop();
    }
  });

  it('SCRIPT FLUSH under 25 concurrent checks: reloaded on NOSCRIPT, exactly one approved', async () => {
    const server = await startRedisServer(redis!.binary);
    const open = await openClient('ioredis 6', server.port);
    try {
      const store = createRedisStore({ client: open.client });
      const { fake, dispatcher, verifier } = app(store);
      const to = '+14155550130';
      await verifier.start({ to });
      expect(await rawCommand(server.port, 'SCRIPT FLUSH')).toBe('+OK');
      const code = fake.lastCode(to)!;
      const results = await Promise.all(Array.from({ length: 25 }, () => verifier.check({ to, code })));
      expect(results.filter((result) => result.status === 'approved')).toHaveLength(1);
      expect(results.filter((result) => result.status === 'not_found')).toHaveLength(24);
      await dispatcher.close();
    } finally {
      await open.close();
      await server.stop();
    }
  });

  it('{ url } with either driver: its own connection, closed by close(); a refused port says why, never the password', async () => {
    for (const driver of ['ioredis', 'node-redis'] as const) {
      const store = createRedisStore({
        url: `redis://127.0.0.1:${redis!.port}`,
        driver,
        prefix: uniquePrefix(driver),
      });
      const check = { now: Date.now(), codeHash: 'A'.repeat(43), maxAttempts: 5, lockMs: 1 };
      expect(await store.check('+14155550140', check)).toEqual({ status: 'not_found', attemptsLeft: 0 });
      expect(store.driver).toBe(driver);
      await store.close();
      const closed = await failure(() => store.check('+14155550140', check));
      expect(closed.error).toMatchObject({ code: 'STORE_UNAVAILABLE' });

      const port = await freePort();
      const refused = createRedisStore({
        url: `redis://:hunter2-secret@127.0.0.1:${port}`,
        driver,
        commandTimeoutMs: TIMEOUT,
      });
      const { error, ms } = await failure(() => refused.check('+14155550140', check));
      expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE' });
      expect(ms).toBeLessThan(TIMEOUT + SLACK);
      expect(`${error.message} ${JSON.stringify(error)}`).not.toContain('hunter2');
      await refused.close();
    }
  });
});
