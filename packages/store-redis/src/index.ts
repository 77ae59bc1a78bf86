export type {
  IoRedisClient,
  NodeRedisClient,
  RedisClient,
  RedisDriver,
} from './redis-client.js';
export type {
  RedisStore,
  RedisStoreClientOptions,
  RedisStoreOptions,
  RedisStoreUrlOptions,
} from './redis-store.js';
export { createRedisStore, REDIS_STORE_DEFAULTS } from './redis-store.js';
