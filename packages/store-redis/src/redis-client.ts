import { OtpError } from '@otpkit/core';

/**
 * The part of an ioredis `Redis` or `Cluster` (5.x, 6.x) the store uses. Declared here, so the store's
 * types need neither client installed.
 */
export interface IoRedisClient {
  readonly status: string;
  evalsha(sha1: string, numkeys: number, ...keysAndArgs: string[]): Promise<unknown>;
  eval(script: string, numkeys: number, ...keysAndArgs: string[]): Promise<unknown>;
}

/** The part of a node-redis client or cluster (the `redis` package, 5.x, 6.x) the store uses. */
export interface NodeRedisClient {
  readonly isOpen: boolean;
  evalSha(sha1: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/** A client the store can run its scripts on. */
export type RedisClient = IoRedisClient | NodeRedisClient;

/** Which client library a store runs on. */
export type RedisDriver = 'ioredis' | 'node-redis';

/** Runs one script: `EVALSHA`, or `EVAL` (which caches the script on that server) after `NOSCRIPT`. */
export interface ScriptRunner {
  readonly driver: RedisDriver;
  evalsha(sha: string, keys: string[], args: string[]): Promise<unknown>;
  eval(source: string, keys: string[], args: string[]): Promise<unknown>;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  (typeof value === 'object' || typeof value === 'function') && value !== null;

/** Tells the two clients apart by shape (no `instanceof`: the app may hold another copy of either). */
export function runnerFor(client: unknown): ScriptRunner {
  if (isObject(client) && typeof client.evalsha === 'function' && typeof client.status === 'string') {
    const io = client as unknown as IoRedisClient;
    return {
      driver: 'ioredis',
      evalsha: (sha, keys, args) => io.evalsha(sha, keys.length, ...keys, ...args),
      eval: (source, keys, args) => io.eval(source, keys.length, ...keys, ...args),
    };
  }
  if (isObject(client) && typeof client.evalSha === 'function' && typeof client.isOpen === 'boolean') {
    const node = client as unknown as NodeRedisClient;
    return {
      driver: 'node-redis',
      evalsha: (sha, keys, args) => node.evalSha(sha, { keys, arguments: args }),
      eval: (source, keys, args) => node.eval(source, { keys, arguments: args }),
    };
  }
  const message =
    'expected an ioredis Redis or Cluster, or a node-redis client or cluster (createClient, createCluster)';
  throw new OtpError('INVALID_CONFIG', `client: ${message}`, { issues: [{ path: 'client', message }] });
}

/** What the store needs of a connection it made itself (`{ url }`): run scripts, then close. */
export interface OwnConnection {
  readonly runner: ScriptRunner;
  /** The last connection error the client reported, for the `STORE_UNAVAILABLE` message. */
  lastError(): string | undefined;
  close(): Promise<void>;
}

type IoRedisConstructor = new (url: string, options: Record<string, unknown>) => IoRedisClient & Closable;
interface IoRedisModule {
  Redis?: IoRedisConstructor;
  default: IoRedisConstructor;
}
interface NodeRedisModule {
  createClient(options: { url: string }): NodeRedisClient & Closable & { connect(): Promise<unknown> };
}
interface Closable {
  on(event: 'error', listener: (error: Error) => void): unknown;
  quit(): Promise<unknown>;
  disconnect?(): void;
  destroy?(): void;
}

/** Waits for a graceful close at most 1 s; past it, or when it fails, `force` drops the connection. */
async function bounded(graceful: Promise<unknown>, force: () => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), 1_000);
  });
  const outcome = await Promise.race([graceful.then(() => 'done' as const), late]).catch(
    () => 'failed' as const,
  );
  clearTimeout(timer);
  if (outcome !== 'done') force();
}

/**
 * Opens a connection to `url` with `driver` (default: ioredis when installed, else node-redis). The
 * client keeps its own reconnect strategy; its `error` events are kept (the last one) instead of
 * crashing the process.
 */
export async function connect(url: string, driver: RedisDriver | undefined): Promise<OwnConnection> {
  let last: string | undefined;
  const remember = (error: Error) => {
    last = (error as { code?: string }).code ?? error.message;
  };
  const load = async <T>(name: string): Promise<T | undefined> => {
    try {
      return (await import(name)) as T;
    } catch {
      return undefined;
    }
  };
  const io = driver === 'node-redis' ? undefined : await load<IoRedisModule>('ioredis');
  if (io !== undefined) {
    const Redis = io.Redis ?? io.default;
    const client = new Redis(url, { maxRetriesPerRequest: 1 });
    client.on('error', remember);
    return {
      runner: runnerFor(client),
      lastError: () => last,
      async close() {
        // QUIT waits in the offline queue while there is no connection: then drop it at once.
        if (client.status !== 'ready') return client.disconnect?.();
        await bounded(client.quit(), () => client.disconnect?.());
      },
    };
  }
  const node = driver === 'ioredis' ? undefined : await load<NodeRedisModule>('redis');
  if (node === undefined) {
    const wanted = driver === undefined ? 'ioredis or redis' : driver === 'ioredis' ? 'ioredis' : 'redis';
    throw new OtpError(
      'INVALID_CONFIG',
      `url: the store needs the ${wanted} package to connect (npm install ${wanted.split(' or ')[0]})`,
      { issues: [{ path: 'url', message: `install ${wanted}` }] },
    );
  }
  const client = node.createClient({ url });
  client.on('error', remember);
  // The first connection may fail: the client retries by its own strategy; commands meanwhile wait
  // in its queue and the store's timeout answers the caller.
  client.connect().catch(remember);
  return {
    runner: runnerFor(client),
    lastError: () => last,
    async close() {
      if (!client.isOpen) return;
      if (!(client as { isReady?: boolean }).isReady) return client.destroy?.();
      await bounded(client.quit(), () => client.destroy?.());
    },
  };
}
