import { OtpError } from '@otpkit/core';
import { createMemoryStore, type VerificationStore } from '@otpkit/verify';
import { importFromApp } from './import-from-app.js';

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
  const storeModule = await importFromApp('@otpkit/store-redis', cwd);
  if (!storeModule) {
    throw new OtpError('INVALID_CONFIG', `--store ${description}: ${REDIS_INSTALL_HINT}`, {
      issues: [{ path: '--store', message: REDIS_INSTALL_HINT }],
    });
  }
  const create = storeModule.createRedisStore as
    | ((options: { url: string }) => VerificationStore & { close(): Promise<void> })
    | undefined;
  if (typeof create !== 'function') {
    throw new OtpError('INVALID_CONFIG', '--store: @otpkit/store-redis has no createRedisStore; update it');
  }
  // The store opens its own connection from the URL, with whichever client (ioredis, redis) is
  // installed beside it, and fails closed with STORE_UNAVAILABLE when Redis cannot be reached.
  const store = create({ url });
  return { store, perProcess: false, description, close: () => store.close() };
}
