// What the bench runs: a vendor-like server, clients in fresh processes against it, cold starts, the
// dispatcher and verifier alone, the Redis store, packed sizes. Each returns its medians; main.ts judges
// and reports them.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ClientResult, median } from './stats.js';

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, '../../..');

/** The run's size, from the command line. */
export interface BenchSettings {
  smoke: boolean;
  n: number;
  concurrency: number;
  rounds: number;
  coldRuns: number;
  dispatcherN: number;
  verifyN: number;
}

/** Set once by main.ts from the command line. */
export const settings: BenchSettings = {
  smoke: false,
  n: 20_000,
  concurrency: 64,
  rounds: 5,
  coldRuns: 21,
  dispatcherN: 200_000,
  verifyN: 100_000,
};

export function log(line: string) {
  process.stderr.write(`${line}\n`);
}

async function startServer(kind: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(here, 'server.js'), kind], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((done, fail) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /LISTENING (\d+)/.exec(text);
      if (match) done(Number(match[1]));
    });
    child.once('exit', () => fail(new Error('server exited')));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

function runClient(kind: string, url: string): ClientResult {
  const result = spawnSync(
    process.execPath,
    [join(here, 'client.js'), kind, url, String(settings.n), String(settings.concurrency)],
    {
      encoding: 'utf8',
      cwd: here,
      maxBuffer: 10 * 1024 * 1024,
    },
  );
  const line = result.stdout.trim().split('\n').at(-1) ?? '';
  if (result.status !== 0 || !line.startsWith('{')) {
    throw new Error(`client ${kind} failed: ${result.stderr || result.stdout}`);
  }
  return JSON.parse(line) as ClientResult;
}

export interface Summary {
  kind: string;
  /** Each round's result, in round order. */
  rounds: ClientResult[];
  throughput: number;
  p50: number;
  p99: number;
  cpuUsPerSend: number;
  errors: number;
}

function summarise(kind: string, results: ClientResult[]): Summary {
  return {
    kind,
    rounds: results,
    throughput: median(results.map((r) => r.throughput)),
    p50: median(results.map((r) => r.p50)),
    p99: median(results.map((r) => r.p99)),
    cpuUsPerSend: median(results.map((r) => r.cpuUsPerSend)),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
  };
}

export async function httpRound(serverKind: string, kinds: readonly string[]): Promise<Summary[]> {
  const server = await startServer(serverKind);
  const results = new Map<string, ClientResult[]>(kinds.map((kind) => [kind, []]));
  try {
    for (let round = 0; round < settings.rounds; round++) {
      const order = round % 2 === 0 ? kinds : [...kinds].reverse();
      for (const kind of order) {
        const result = runClient(kind, server.url);
        results.get(kind)!.push(result);
        log(
          `  round ${round + 1} ${kind}: ${Math.round(result.throughput)}/s p50 ${result.p50.toFixed(2)} ms p99 ${result.p99.toFixed(2)} ms`,
        );
      }
    }
  } finally {
    server.child.kill('SIGTERM');
  }
  return kinds.map((kind) => summarise(kind, results.get(kind)!));
}

export function coldStart(): { medians: Record<string, number>; runs: Map<string, number[]> } {
  const coreEntry = join(root, 'packages/core/dist/index.js');
  const kaleyraEntry = join(root, 'packages/provider-kaleyra/dist/index.js');
  const scripts: Record<string, string> = {
    bare: '0',
    ky: "await import('ky')",
    'twilio SDK': "await import('twilio')",
    'otpkit (core + kaleyra)': `await import(${JSON.stringify(coreEntry)}); await import(${JSON.stringify(kaleyraEntry)})`,
  };
  const times = new Map<string, number[]>(Object.keys(scripts).map((key) => [key, []]));
  for (let run = 0; run < settings.coldRuns; run++) {
    for (const [name, script] of Object.entries(scripts)) {
      const started = process.hrtime.bigint();
      const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: here });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (result.status !== 0) throw new Error(`cold start of ${name} failed: ${result.stderr}`);
      times.get(name)!.push(ms);
    }
  }
  return {
    medians: Object.fromEntries([...times].map(([name, list]) => [name, median(list)])),
    runs: times,
  };
}

export function dispatcherOnly(otel = false): { sendsPerSecond: number; heapBytesPerQueued: number } {
  const runs = settings.smoke ? 1 : 3;
  const results: { sendsPerSecond: number; heapBytesPerQueued: number }[] = [];
  for (let run = 0; run < runs; run++) {
    const out = execFileSync(
      process.execPath,
      [
        '--expose-gc',
        join(here, 'dispatcher-only.js'),
        String(settings.dispatcherN),
        ...(otel ? ['otel'] : []),
      ],
      {
        encoding: 'utf8',
        cwd: here,
      },
    );
    results.push(JSON.parse(out.trim().split('\n').at(-1)!));
  }
  return {
    sendsPerSecond: median(results.map((r) => r.sendsPerSecond)),
    heapBytesPerQueued: median(results.map((r) => r.heapBytesPerQueued)),
  };
}

export interface VerifyOnly {
  startsPerSecond: number;
  wrongChecksPerSecond: number;
  approvingChecksPerSecond: number;
  heapBytesPerPending: number;
  sendsPerSecond: number;
  sendsPerSecondWithStartWith: number;
}

export function verifyOnly(): VerifyOnly {
  const runs = settings.smoke ? 1 : 3;
  const results: VerifyOnly[] = [];
  for (let run = 0; run < runs; run++) {
    const out = execFileSync(
      process.execPath,
      ['--expose-gc', join(here, 'verify-only.js'), String(settings.verifyN)],
      {
        encoding: 'utf8',
        cwd: here,
      },
    );
    results.push(JSON.parse(out.trim().split('\n').at(-1)!));
  }
  const of = (key: keyof VerifyOnly) => median(results.map((r) => r[key]));
  return {
    startsPerSecond: of('startsPerSecond'),
    wrongChecksPerSecond: of('wrongChecksPerSecond'),
    approvingChecksPerSecond: of('approvingChecksPerSecond'),
    heapBytesPerPending: of('heapBytesPerPending'),
    sendsPerSecond: of('sendsPerSecond'),
    sendsPerSecondWithStartWith: of('sendsPerSecondWithStartWith'),
  };
}

export interface StoreRedisOnly {
  skipped?: string;
  bareEvalshaPerSecond: number;
  storeChecksPerSecond: number;
  storeCheckOverBare: number;
  wrongChecksPerSecond: number;
  approvingChecksPerSecond: number;
  startsPerSecond: number;
  checkOverBare: number;
  checkOverBareRounds: number[];
  commandsPerCheck: number;
  commandsPerStart: number;
}

/** @otpkit/store-redis over a local redis-server it starts itself (skipped without the binary). */
export function storeRedisOnly(): StoreRedisOnly {
  const out = execFileSync(
    process.execPath,
    [
      join(here, 'store-redis-only.js'),
      String(settings.smoke ? 2_000 : 20_000),
      String(settings.smoke ? 1 : 3),
    ],
    { encoding: 'utf8', cwd: here },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!) as StoreRedisOnly;
}

export function packedSizes(): Record<string, number> {
  const out = mkdtempSync(join(os.tmpdir(), 'otpkit-pack-'));
  const sizes: Record<string, number> = {};
  try {
    for (const dir of readdirSync(join(root, 'packages'))) {
      const manifest = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as {
        name: string;
        private?: boolean;
      };
      if (manifest.private) continue;
      const before = new Set(readdirSync(out));
      execFileSync('pnpm', ['pack', '--pack-destination', out], {
        cwd: join(root, 'packages', dir),
        stdio: 'ignore',
      });
      const file = readdirSync(out).find((name) => !before.has(name))!;
      sizes[manifest.name] = statSync(join(out, file)).size;
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  return sizes;
}
