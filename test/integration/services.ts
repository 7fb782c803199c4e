/** The integration suites' services: the shared probes and helpers of `test/support`. */
export {
  DATABASE_URL,
  freePort,
  probePostgres,
  probeRedis,
  probeRedisServerBinary,
  REDIS_URL,
  waitUntil,
} from '../support/services.js';
