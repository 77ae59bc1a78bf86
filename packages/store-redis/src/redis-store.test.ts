import { describeStoreConformance } from '@otpkit/verify/testing';
import { afterAll, describe, inject } from 'vitest';
import {
  CLIENT_KINDS,
  type ClientKind,
  deleteKeys,
  dumpKeys,
  inspector,
  isCluster,
  type OpenClient,
  openClient,
  uniquePrefix,
} from './__fixtures__/clients.js';
import { createRedisStore, type RedisStore } from './redis-store.js';

const redis = inject('redis');

describe.skipIf(redis === null)('createRedisStore on a real redis-server', () => {
  for (const kind of CLIENT_KINDS) {
    describe(kind, () => {
      const port = () => (isCluster(kind) ? redis!.clusterPort : redis!.port);
      let open: Promise<OpenClient> | undefined;
      const look = () => inspector(port());
      const inspect = look();
      afterAll(async () => {
        await (await open)?.close();
        inspect.disconnect();
      });
      describeStoreConformance(
        async () => {
          open ??= openClient(kind as ClientKind, port());
          const store = createRedisStore({ client: (await open).client, prefix: uniquePrefix(kind) });
          return store;
        },
        {
          name: `redis (${kind})`,
          dump: (store: RedisStore) => dumpKeys(inspect, `${store.prefix}*`),
          cleanup: (store: RedisStore) => deleteKeys(inspect, `${store.prefix}*`),
        },
      );
    });
  }
});
