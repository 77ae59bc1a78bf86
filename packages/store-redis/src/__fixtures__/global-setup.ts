import { findRedisServer, type RedisInfo, type RedisServer, startRedisServer } from './redis-server.js';

/** The part of vitest's TestProject used here (its own type drags in untyped modules). */
interface Project {
  provide(key: 'redis', value: RedisInfo | null): void;
}

const BANNER = '!'.repeat(100);

/**
 * Starts the Redis servers the tests use (a standalone one and a one-node cluster) and stops them at
 * the end. Without a redis-server binary the Redis tests are skipped, loudly; with
 * OTPKIT_REQUIRE_REDIS=1 (set by .ci/run) that is an error instead.
 */
export default async function setup(project: Project): Promise<() => Promise<void>> {
  const binary = findRedisServer();
  if (binary === undefined) {
    const message =
      'store-redis: no redis-server binary (PATH or OTPKIT_REDIS_SERVER): every Redis test is SKIPPED. ' +
      'Install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis).';
    if (process.env.OTPKIT_REQUIRE_REDIS === '1') {
      throw new Error(`${message} OTPKIT_REQUIRE_REDIS=1 forbids skipping them.`);
    }
    console.warn(`\n${BANNER}\n${message}\n${BANNER}\n`);
    project.provide('redis', null);
    return async () => {};
  }
  const servers: RedisServer[] = [];
  try {
    servers.push(await startRedisServer(binary));
    servers.push(await startRedisServer(binary, { cluster: true }));
  } catch (error) {
    await Promise.all(servers.map((server) => server.stop()));
    throw error;
  }
  project.provide('redis', { binary, port: servers[0]!.port, clusterPort: servers[1]!.port });
  return async () => {
    await Promise.all(servers.map((server) => server.stop()));
  };
}
