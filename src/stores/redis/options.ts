/** Options of the Redis session store, and their validation. */
import { InvalidOptionsError } from '../../errors.js';
import { checkTimeoutOptions } from '../deadline.js';
import { isRedisClientLike, type RedisClientLike } from './client.js';

/** Options of {@link redisStore}. Give exactly one of `client` and `url`. */
export interface RedisStoreOptions {
  /**
   * A connected client the application already has: ioredis (`Redis`, `Cluster`, or with
   * Sentinel) or node-redis v4/v5 (`createClient()` or `createCluster()`). The store never
   * closes it. With node-redis, the application must listen for the client's `error`
   * events (node-redis re-throws unhandled ones and would crash the process). Give it a
   * socket timeout (ioredis `socketTimeout`, node-redis `socket.socketTimeout`) and, with
   * ioredis, `autoResendUnfulfilledCommands: false`; the store warns once
   * (`TESSERA_REDIS_CLIENT_SETTINGS`) when it can see they are missing.
   */
  readonly client?: RedisClientLike;
  /**
   * A Redis URL (`redis://` or `rediss://` for TLS). The store then creates an ioredis
   * client itself (ioredis must be installed) and `close()` quits it.
   *
   * Security: the URL may carry a password; it is never put into errors or logs.
   */
  readonly url?: string;
  /**
   * ioredis `RedisOptions` for the client created from `url` (TLS, username/password,
   * `connectTimeout`, `retryStrategy`, ...). The store's own defaults are
   * `maxRetriesPerRequest: 1`, `socketTimeout: commandTimeout` (a connection that delivers
   * nothing that long while a command waits is replaced), `autoResendUnfulfilledCommands:
   * false` and `enableOfflineQueue: false` (no command is sent after its operation failed);
   * anything given here overrides them. Ignored with `client`.
   * @default {}
   */
  readonly clientOptions?: object;
  /**
   * Prepended to every key the store writes, so several apps (or test runs) can share a
   * database. The store owns every key under it. A `{...}` hash tag in the prefix would put
   * all sessions into one Redis Cluster slot; do not add one.
   * @default 'tessera:'
   */
  readonly prefix?: string;
  /**
   * How long, in milliseconds, one store operation may take before it fails with a
   * `SessionStoreError`: a stalled or unreachable Redis then costs a request this much
   * and no more (S-55), instead of hanging it until the driver gives up.
   * @default 2000
   */
  readonly commandTimeout?: number;
  /**
   * The clock deciding expiry, in milliseconds since the Unix epoch. Keep it in step with
   * the session engine's clock; Redis' own TTLs follow the server's clock.
   * @default Date.now
   */
  readonly clock?: () => number;
}

/** Options with defaults applied. */
export interface ResolvedRedisStoreOptions {
  readonly client: RedisClientLike | undefined;
  readonly url: string | undefined;
  readonly clientOptions: object;
  readonly prefix: string;
  readonly commandTimeout: number;
  readonly clock: () => number;
}

/** Node's timers accept at most a signed 32-bit delay; larger ones silently become 1 ms. */

/** Applies defaults and rejects options the store cannot work with. */
export function resolveRedisStoreOptions(options: RedisStoreOptions): ResolvedRedisStoreOptions {
  const {
    client,
    url,
    clientOptions = {},
    prefix = 'tessera:',
    commandTimeout = 2000,
    clock = Date.now,
  } = options ?? {};
  if ((client === undefined) === (url === undefined)) {
    throw new InvalidOptionsError('redisStore: give exactly one of `client` and `url`');
  }
  if (client !== undefined && !isRedisClientLike(client)) {
    throw new InvalidOptionsError(
      'redisStore: `client` must be an ioredis or node-redis client (with call() or sendCommand())',
    );
  }
  if (url !== undefined && (typeof url !== 'string' || url === '')) {
    throw new InvalidOptionsError('redisStore: `url` must be a non-empty string');
  }
  if (typeof clientOptions !== 'object' || clientOptions === null) {
    throw new InvalidOptionsError('redisStore: `clientOptions` must be an object');
  }
  if (typeof prefix !== 'string') {
    throw new InvalidOptionsError('redisStore: `prefix` must be a string');
  }
  checkTimeoutOptions('redisStore', commandTimeout, clock);
  return { client, url, clientOptions, prefix, commandTimeout, clock };
}
