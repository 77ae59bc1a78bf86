import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** What the global setup hands to the test files (through vitest's `provide`). */
export interface RedisInfo {
  /** The redis-server binary. */
  binary: string;
  /** A standalone server shared by the test files (each store under its own prefix). */
  port: number;
  /** A one-node Redis Cluster (all 16384 slots on one server), for the Cluster clients. */
  clusterPort: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    redis: RedisInfo | null;
  }
}

/** The redis-server binary: `OTPKIT_REDIS_SERVER`, else the first on `PATH`; `undefined` when none. */
export function findRedisServer(): string | undefined {
  const candidates = process.env.OTPKIT_REDIS_SERVER
    ? [process.env.OTPKIT_REDIS_SERVER]
    : (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'redis-server'));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}

/** A port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Sends one inline command over a fresh socket and resolves with the first reply line ('' on failure). */
export function rawCommand(port: number, command: string, timeoutMs = 500): Promise<string> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let data = '';
    const done = (value: string) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(timeoutMs, () => done(''));
    socket.once('error', () => done(''));
    socket.on('data', (chunk) => {
      data += chunk.toString('utf8');
      if (data.includes('\r\n')) done(data.split('\r\n')[0]!);
    });
    socket.connect(port, '127.0.0.1', () => socket.write(`${command}\r\n`));
  });
}

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  readonly process: ChildProcess;
  /** What the server wrote, for a failure message. */
  log(): string;
  /** Stops the server (SIGTERM; SIGKILL after 5 s) and removes its directory. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** The port; a free one when absent. */
  port?: number;
  /** Run as a one-node cluster holding every slot. */
  cluster?: boolean;
}

/**
 * Starts `redis-server` on 127.0.0.1 with nothing persisted (`--save '' --appendonly no`) in a temp
 * dir, and resolves once it answers PING (and, for a cluster, once the cluster state is ok).
 */
export async function startRedisServer(binary: string, options: StartOptions = {}): Promise<RedisServer> {
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'otpkit-redis-'));
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'no',
    '--protected-mode',
    'no',
    '--daemonize',
    'no',
  ];
  if (options.cluster) {
    // A lone node announces no address unless told: the Cluster clients need one to route to.
    args.push('--cluster-enabled', 'yes', '--cluster-config-file', join(dir, 'nodes.conf'));
    args.push('--cluster-announce-ip', '127.0.0.1');
  }
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);

  const server: RedisServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    process: child,
    log: () => output,
    async stop() {
      process.off('exit', kill);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(kill, 5_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };

  const deadline = Date.now() + 10_000;
  const waitFor = async (command: string, ok: (line: string) => boolean) => {
    while (!ok(await rawCommand(port, command))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await server.stop();
        throw new Error(`redis-server did not start on port ${port}:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  await waitFor('PING', (line) => line === '+PONG');
  if (options.cluster) {
    await rawCommand(port, 'CLUSTER ADDSLOTSRANGE 0 16383');
    await waitFor('CLUSTER INFO', (line) => line.startsWith('$'));
    // CLUSTER INFO is a bulk reply: read it whole until the state is ok.
    while (!(await clusterOk(port))) {
      if (Date.now() > deadline) {
        await server.stop();
        throw new Error(`redis-server cluster on port ${port} did not reach cluster_state:ok:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  return server;
}

function clusterOk(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let data = '';
    const done = (value: boolean) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.on('data', (chunk) => {
      data += chunk.toString('utf8');
      if (data.includes('cluster_state:ok')) done(true);
      else if (data.includes('cluster_state:fail')) done(false);
    });
    socket.connect(port, '127.0.0.1', () => socket.write('CLUSTER INFO\r\n'));
  });
}
