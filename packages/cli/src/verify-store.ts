import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { OtpError } from '@otpkit/core';
import { createMemoryStore, type VerificationStore } from '@otpkit/verify';

/** The store `otpkit verify` uses, and how to let it go. */
export interface OpenedStore {
  store: VerificationStore;
  /** True for the memory store: its verifications end with the process. */
  perProcess: boolean;
  /** What to print about it: `memory (this process only)`, `redis://host:6379/0`. */
  description: string;
  close(): Promise<void>;
}

export const REDIS_INSTALL_HINT =
  'the Redis store is not installed: install it where you run otpkit, with a Redis client, e.g. `npm install @otpkit/store-redis ioredis` (or `redis`)';

/**
 * Opens the store named by `--store`: none is the memory store (per process); `redis://` or
 * `rediss://` loads `@otpkit/store-redis` and a Redis client (ioredis, else node-redis) when they are
 * installed, beside the CLI or in the working directory, and says how to install them when not.
 */
export async function openStore(url: string | undefined, cwd = process.cwd()): Promise<OpenedStore> {
  if (url === undefined) {
    return {
      store: createMemoryStore(),
      perProcess: true,
      description: 'memory (this process only)',
      close: async () => {},
    };
  }
  if (!URL.canParse(url) || !/^rediss?:$/.test(new URL(url).protocol)) {
    throw new OtpError('INVALID_CONFIG', '--store: expected a redis:// or rediss:// URL', {
      issues: [{ path: '--store', message: 'expected a redis:// or rediss:// URL' }],
    });
  }
  const parsed = new URL(url);
  const description = `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  const storeModule = await importOptional('@otpkit/store-redis', cwd);
  if (!storeModule) {
    throw new OtpError('INVALID_CONFIG', `--store ${description}: ${REDIS_INSTALL_HINT}`, {
      issues: [{ path: '--store', message: REDIS_INSTALL_HINT }],
    });
  }
  const create = storeModule.createRedisStore as
    | ((options: { client: unknown }) => VerificationStore)
    | undefined;
  if (typeof create !== 'function') {
    throw new OtpError('INVALID_CONFIG', '--store: @otpkit/store-redis has no createRedisStore; update it');
  }
  const client = await connectClient(url, cwd, description);
  return {
    store: create({ client: client.client }),
    perProcess: false,
    description,
    close: client.close,
  };
}

async function connectClient(
  url: string,
  cwd: string,
  description: string,
): Promise<{ client: unknown; close(): Promise<void> }> {
  const ioredis = await importOptional('ioredis', cwd);
  if (ioredis) {
    const Redis = (ioredis.default ?? ioredis.Redis) as new (
      url: string,
      options: object,
    ) => { quit(): Promise<unknown>; disconnect(): void; connect(): Promise<void> };
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
    try {
      await client.connect();
    } catch (error) {
      client.disconnect();
      throw unreachable(description, error);
    }
    return { client, close: async () => void (await client.quit().catch(() => client.disconnect())) };
  }
  const redis = await importOptional('redis', cwd);
  if (redis) {
    const createClient = redis.createClient as (options: object) => {
      connect(): Promise<unknown>;
      quit?(): Promise<unknown>;
      close?(): Promise<unknown>;
      destroy?(): void;
      on(event: string, listener: (error: unknown) => void): unknown;
    };
    const client = createClient({ url, socket: { reconnectStrategy: false } });
    client.on('error', () => {});
    try {
      await client.connect();
    } catch (error) {
      throw unreachable(description, error);
    }
    return {
      client,
      close: async () => void (await (client.close ?? client.quit)?.call(client).catch(() => {})),
    };
  }
  throw new OtpError('INVALID_CONFIG', `--store ${description}: ${REDIS_INSTALL_HINT}`, {
    issues: [{ path: '--store', message: 'no Redis client (ioredis or redis) is installed' }],
  });
}

function unreachable(description: string, error: unknown): OtpError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return new OtpError(
    'STORE_UNAVAILABLE',
    `--store ${description}: cannot connect${code ? ` (${code})` : ''}`,
    {
      retryable: true,
    },
  );
}

async function importOptional(specifier: string, cwd: string): Promise<Record<string, unknown> | undefined> {
  try {
    return (await import(specifier)) as Record<string, unknown>;
  } catch {
    try {
      const require = createRequire(join(cwd, 'package.json'));
      return (await import(pathToFileURL(require.resolve(specifier)).href)) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }
}
