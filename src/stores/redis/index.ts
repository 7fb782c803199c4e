/**
 * `tesserajs/stores/redis`: server-side sessions in Redis >= 6.2.
 *
 * ```ts
 * import { Redis } from 'ioredis';
 * import { redisStore } from 'tesserajs/stores/redis';
 * // socketTimeout replaces a connection that went silent; no re-send of a failed write.
 * const client = new Redis(process.env.REDIS_URL, {
 *   socketTimeout: 2000,
 *   autoResendUnfulfilledCommands: false,
 * });
 * const store = redisStore({ client });
 * // or let the store create (and close) an ioredis client itself:
 * const owned = redisStore({ url: 'rediss://cache.internal:6380', prefix: 'myapp:' });
 * ```
 *
 * Works with ioredis and node-redis (v4/v5) clients, standalone, Sentinel or Cluster. No
 * driver is loaded unless the store creates the client from `url`. Key layout, commands
 * per operation and memory use: docs/stores.md (Redis section).
 */
import type { RedisStoreOptions } from './options.js';
import { RedisStore } from './redis-store.js';

export type {
  SessionPatch,
  SessionRecord,
  SessionStore,
  UserSessionEntry,
} from '../contract.js';
export type {
  IoRedisLike,
  NodeRedisClusterLike,
  NodeRedisLike,
  RedisClientLike,
} from './client.js';
export type { RedisStoreOptions } from './options.js';
export { RedisStore } from './redis-store.js';

/**
 * Creates a {@link RedisStore}. Operations fail with `SessionStoreError` when Redis is
 * unreachable or slower than `commandTimeout`, and `get` throws `CorruptRecordError` for
 * a key that holds something other than a Tessera session.
 *
 * @throws {InvalidOptionsError} when both or neither of `client` and `url` are given, or
 * an option is out of range.
 */
export function redisStore(options: RedisStoreOptions): RedisStore {
  return new RedisStore(options);
}
