import { Cluster as Cluster6, Redis as Redis6 } from 'ioredis';
import { Redis as Redis5 } from 'ioredis5';
import { createClient as createClient6, createCluster as createCluster6 } from 'redis';
import { createClient as createClient5 } from 'redis5';
import type { RedisClient } from '../redis-client.js';

/** Every client the store is proven on: both libraries, both current majors, and both Cluster clients. */
export const CLIENT_KINDS = [
  'ioredis 6',
  'ioredis 5',
  'node-redis 6',
  'node-redis 5',
  'ioredis 6 Cluster',
  'node-redis 6 cluster',
] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];

export const isCluster = (kind: ClientKind) => kind.toLowerCase().endsWith('cluster');

export interface OpenClient {
  client: RedisClient;
  close(): Promise<void>;
}

/**
 * Opens a client of `kind` on 127.0.0.1:`port` (a cluster node's port for the Cluster kinds). With
 * `awaitConnect: false`, a node-redis client is returned while its `connect()` is still under way.
 */
export async function openClient(
  kind: ClientKind,
  port: number,
  options: { awaitConnect?: boolean } = {},
): Promise<OpenClient> {
  const url = `redis://127.0.0.1:${port}`;
  const connected = async (client: { connect(): Promise<unknown> }) => {
    const connecting = client.connect();
    if (options.awaitConnect === false) connecting.catch(() => {});
    else await connecting;
  };
  switch (kind) {
    case 'ioredis 6': {
      const client = new Redis6(port, '127.0.0.1');
      client.on('error', () => {});
      return { client, close: async () => void (await client.quit()) };
    }
    case 'ioredis 5': {
      const client = new Redis5(port, '127.0.0.1');
      client.on('error', () => {});
      return { client, close: async () => void (await client.quit()) };
    }
    case 'ioredis 6 Cluster': {
      const client = new Cluster6([{ host: '127.0.0.1', port }]);
      client.on('error', () => {});
      return { client, close: async () => void (await client.quit()) };
    }
    case 'node-redis 6': {
      const client = createClient6({ url });
      client.on('error', () => {});
      await connected(client);
      return { client, close: () => client.close() };
    }
    case 'node-redis 5': {
      const client = createClient5({ url });
      client.on('error', () => {});
      await connected(client);
      return { client, close: () => client.close() };
    }
    case 'node-redis 6 cluster': {
      const client = createCluster6({ rootNodes: [{ url }] });
      client.on('error', () => {});
      await connected(client);
      return { client, close: () => client.close() };
    }
  }
}

/** A plain ioredis connection for the tests' own looks at Redis (SCAN, PTTL, INFO, MEMORY USAGE). */
export function inspector(port: number): Redis6 {
  return new Redis6(port, '127.0.0.1');
}

/** Every key under `pattern` with its hash value and its PTTL. */
export async function dumpKeys(
  redis: Redis6,
  pattern: string,
): Promise<Record<string, { pttl: number; value: Record<string, string> }>> {
  const out: Record<string, { pttl: number; value: Record<string, string> }> = {};
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) out[key] = { pttl: await redis.pttl(key), value: await redis.hgetall(key) };
  } while (cursor !== '0');
  return out;
}

/** Deletes every key under `pattern`. */
export async function deleteKeys(redis: Redis6, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) await redis.unlink(key);
  } while (cursor !== '0');
}

let prefixes = 0;
/** A prefix no other store of this run uses, so test files and cases share one server. */
export const uniquePrefix = (label: string) =>
  `t:${label.replace(/[^a-z0-9]/gi, '')}:${process.pid}:${++prefixes}:${Date.now().toString(36)}:`;
