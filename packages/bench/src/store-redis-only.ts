// @otpkit/store-redis over a local redis-server, in a fresh process:
//   node store-redis-only.js <n> <rounds>
// verifier.check() per second (a wrong code: `pending`; the right one: `approved`) and the store's own
// check() beside a bare EVALSHA of a trivial script over the same ioredis client, in alternating rounds;
// start() per second; the commands per check() and start(), counted with MONITOR. Starts its own redis-server (free port, temp dir, nothing
// persisted) and stops it; prints {"skipped": "..."} when there is no redis-server binary.
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { createDispatcher, type OtpProvider } from '@otpkit/core';
import { createFakeProvider } from '@otpkit/provider-fake';
import { createRedisStore } from '@otpkit/store-redis';
import { createVerifier } from '@otpkit/verify';
import { Redis } from 'ioredis';
import { median, perSecond } from './stats.js';

const n = Number(process.argv[2] ?? '20000');
const rounds = Number(process.argv[3] ?? '3');
const concurrency = 64;
const number = (index: number) => `+1415${String(index).padStart(7, '0')}`;

function redisServer(): string | undefined {
  const candidates = process.env.OTPKIT_REDIS_SERVER
    ? [process.env.OTPKIT_REDIS_SERVER]
    : (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'redis-server'));
  return candidates.find((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const binary = redisServer();
if (binary === undefined) {
  process.stdout.write(`${JSON.stringify({ skipped: 'no redis-server binary' })}\n`);
  process.exit(0);
}
const port = await freePort();
const dir = mkdtempSync(join(tmpdir(), 'otpkit-bench-redis-'));
const server: ChildProcess = spawn(
  binary,
  ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'],
  { stdio: 'ignore' },
);
const client = new Redis(port, '127.0.0.1', { lazyConnect: true });
// Connection errors of a stopping server are not the measurement's business.
client.on('error', () => {});
try {
  for (let attempt = 0; ; attempt++) {
    try {
      await client.connect();
      break;
    } catch (error) {
      if (attempt > 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  const fake = createFakeProvider();
  const codes = new Map<string, string>();
  const recording: OtpProvider = {
    id: 'fake',
    send(message, context) {
      codes.set(message.to, /\d{6}/.exec(message.body)![0]);
      if (fake.messages.length > 10_000) fake.reset();
      return fake.send(message, context);
    },
  };
  const dispatcher = createDispatcher({ providers: [recording], concurrency, maxQueue: n });
  const limits = { count: 1_000_000, windowMs: 600_000 };
  const store = createRedisStore({ client, prefix: 'bench:' });
  const verifier = createVerifier({
    dispatcher,
    secret: 'b'.repeat(32),
    store,
    maxSends: limits,
    resendAfterMs: 0,
  });
  const trivial = 'return 1';
  const sha = String(await client.script('LOAD', trivial));
  const bare = () => client.evalsha(sha, 0);
  const wrongFor = (to: string) => (codes.get(to) === '000000' ? '111111' : '000000');

  // Warm-up (scripts loaded, code optimised) on numbers apart from the measured ones.
  const warm = Math.min(5_000, n);
  const base = rounds * n;
  await perSecond(warm, concurrency, (index) => verifier.start({ to: number(base + index) }));
  await perSecond(warm, concurrency, (index) => verifier.check({ to: number(base + index), code: '000000' }));
  await perSecond(warm, concurrency, bare);

  // The store's own check() of numbers never started (`not_found`): the store without the verifier.
  const storeCheck = (index: number) =>
    store.check(number(5 * n + index), {
      now: Date.now(),
      codeHash: 'A'.repeat(43),
      maxAttempts: 5,
      lockMs: 1,
    });
  const bareRounds: number[] = [];
  const storeRounds: number[] = [];
  const wrongRounds: number[] = [];
  const rightRounds: number[] = [];
  const startRounds: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const offset = round * n;
    startRounds.push(
      await perSecond(n, concurrency, (index) => verifier.start({ to: number(offset + index) })),
    );
    // The order alternates, so neither side always runs on a warmer (or busier) machine.
    const measureBare = async () => bareRounds.push(await perSecond(n, concurrency, bare));
    if (round % 2 === 1) await measureBare();
    storeRounds.push(await perSecond(n, concurrency, storeCheck));
    wrongRounds.push(
      await perSecond(n, concurrency, (index) => {
        const to = number(offset + index);
        return verifier.check({ to, code: wrongFor(to) });
      }),
    );
    rightRounds.push(
      await perSecond(n, concurrency, (index) => {
        const to = number(offset + index);
        return verifier.check({ to, code: codes.get(to)! });
      }),
    );
    if (round % 2 === 0) await measureBare();
  }

  // Commands the client sends per call, seen by MONITOR (commands a script runs show up as "lua").
  const watcher = client.duplicate();
  watcher.on('error', () => {});
  const monitor = await watcher.monitor();
  monitor.on('error', () => {});
  let commands = 0;
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (source !== 'lua' && args.some((arg) => arg.includes('bench:'))) commands++;
  });
  const sample = 200;
  const sampleBase = (rounds + 1) * n;
  await perSecond(sample, concurrency, (index) => verifier.start({ to: number(sampleBase + index) }));
  await new Promise((resolve) => setTimeout(resolve, 200));
  const commandsPerStart = commands / sample;
  commands = 0;
  await perSecond(sample, concurrency, (index) => {
    const to = number(sampleBase + index);
    return verifier.check({ to, code: codes.get(to)! });
  });
  await new Promise((resolve) => setTimeout(resolve, 200));
  const commandsPerCheck = commands / sample;
  monitor.disconnect();
  watcher.disconnect();
  await dispatcher.close();

  const ratios = wrongRounds.map((wrong, round) => Math.min(wrong, rightRounds[round]!) / bareRounds[round]!);
  process.stdout.write(
    `${JSON.stringify({
      bareEvalshaPerSecond: median(bareRounds),
      wrongChecksPerSecond: median(wrongRounds),
      approvingChecksPerSecond: median(rightRounds),
      startsPerSecond: median(startRounds),
      storeChecksPerSecond: median(storeRounds),
      storeCheckOverBare: median(storeRounds.map((value, round) => value / bareRounds[round]!)),
      checkOverBare: median(ratios),
      checkOverBareRounds: ratios,
      commandsPerCheck,
      commandsPerStart,
    })}\n`,
  );
} finally {
  client.disconnect();
  server.kill('SIGTERM');
  await new Promise((resolve) => server.once('exit', resolve));
  rmSync(dir, { recursive: true, force: true });
}
