/**
 * `tesserajs/auth/redis`: the sign-in throttle's counters in Redis >= 6.2, shared by
 * every process. A subpath of its own, so `tesserajs/auth` never loads a Redis driver.
 *
 * ```ts
 * import { createThrottle } from 'tesserajs/auth';
 * import { redisAttempts } from 'tesserajs/auth/redis';
 * const throttle = createThrottle({ store: redisAttempts({ url: process.env.REDIS_URL }) });
 * ```
 */
export type {
  IoRedisLike,
  NodeRedisClusterLike,
  NodeRedisLike,
  RedisClientLike,
} from '../../../stores/redis/client.js';
export type { Admission, AttemptRule, AttemptStore } from '../contract.js';
export { RedisAttempts, type RedisAttemptsOptions, redisAttempts } from './attempts.js';
