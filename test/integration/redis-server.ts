/** The outage suite's private `redis-server`: the shared controller of `test/support`. */
export { PrivateRedis } from '../support/redis-server.js';
