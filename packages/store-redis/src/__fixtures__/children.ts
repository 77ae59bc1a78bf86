import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { ClientKind } from './clients.js';
import type { ChildCommand, ChildReply } from './store-child.js';

const here = dirname(fileURLToPath(import.meta.url));
/** Inside the package, so the bundle resolves the Redis clients from the package's node_modules. */
const outDir = join(here, '..', '..', 'node_modules', '.cache', 'store-redis-test');

/**
 * Bundles a child script of this folder (default store-child.ts) and the otpkit sources it imports into
 * one ESM file; the clients stay external.
 */
export async function bundleChild(name = 'store-child'): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, `${name}-${process.pid}.mjs`);
  await build({
    entryPoints: [join(here, `${name}.ts`)],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    conditions: ['@otpkit/source'],
    external: ['ioredis', 'ioredis5', 'redis', 'redis5'],
    logLevel: 'warning',
  });
  return outfile;
}

export interface Child<Command extends object = ChildCommand, Reply extends { id: number } = ChildReply> {
  request(command: Command): Promise<Reply>;
  exit(): Promise<void>;
}

/** Forks one app process on `bundle` and resolves once its client is connected. */
export function startChild<Command extends object = ChildCommand, Reply extends { id: number } = ChildReply>(
  bundle: string,
  env: { client: ClientKind; port: number; prefix: string; secret: string },
): Promise<Child<Command, Reply>> {
  const child: ChildProcess = fork(bundle, {
    env: {
      ...process.env,
      CHILD_CLIENT: env.client,
      CHILD_REDIS_PORT: String(env.port),
      CHILD_PREFIX: env.prefix,
      CHILD_SECRET: env.secret,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let next = 1;
  const waiting = new Map<number, (reply: Reply) => void>();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`child exited early (${code})`)));
    child.on('message', (reply: Reply) => {
      if (reply.id === 0) {
        resolve({
          request(command) {
            const id = next++;
            return new Promise((done) => {
              waiting.set(id, done);
              child.send({ ...command, id });
            });
          },
          async exit() {
            child.send({ id: next++, op: 'exit' });
            const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
            await exited;
            clearTimeout(timer);
          },
        });
        return;
      }
      waiting.get(reply.id)?.(reply);
      waiting.delete(reply.id);
    });
  });
}
