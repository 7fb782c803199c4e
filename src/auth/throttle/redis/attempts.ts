/** The Redis throttle backend: one hash per counter, admitted by one Lua script. */
import { InvalidOptionsError } from '../../../errors.js';
import { MAX_TIMER_DELAY } from '../../../stores/deadline.js';
import { isRedisClientLike, type RedisClientLike } from '../../../stores/redis/client.js';
import { RedisConnection } from '../../../stores/redis/connection.js';
import { runScript } from '../../../stores/redis/scripts.js';
import type { Admission, AttemptRule, AttemptStore } from '../contract.js';
import { ADMIT, RELEASE } from './script.js';

/** Options of {@link redisAttempts}. Give exactly one of `client` and `url`. */
export interface RedisAttemptsOptions {
  /**
   * A connected ioredis or node-redis (v4/v5) client, standalone, Sentinel or Cluster,
   * as for `redisStore()` (the same client can serve both). It is never closed here.
   */
  readonly client?: RedisClientLike;
  /**
   * A Redis URL (`redis://`, `rediss://`): an ioredis client is created on first use
   * (ioredis must be installed) and `close()` quits it. Never put into errors or logs.
   */
  readonly url?: string;
  /** ioredis options for the client made from `url`, as for `redisStore()`. @default {} */
  readonly clientOptions?: object;
  /**
   * Prepended to every counter's key. Keys after it are hashes, never identifiers or
   * addresses. @default 'tessera:throttle:'
   */
  readonly prefix?: string;
  /**
   * How long one operation may take, in milliseconds, before it fails with a
   * `SessionStoreError` and the sign-in is refused with 503 (S-54).
   * @default 2000
   */
  readonly commandTimeout?: number;
}

/** Lua's integer reply as a number; `-1` (held) as `Infinity`. */
function instant(value: unknown): number {
  const n = Number(value);
  return n < 0 ? Number.POSITIVE_INFINITY : n;
}

/** An {@link AttemptStore} on Redis >= 6.2, through ioredis or node-redis. */
export class RedisAttempts implements AttemptStore {
  readonly #connection: RedisConnection;
  readonly #prefix: string;

  constructor(options: RedisAttemptsOptions) {
    const {
      client,
      url,
      clientOptions = {},
      prefix = 'tessera:throttle:',
      commandTimeout = 2000,
    } = options ?? {};
    if ((client === undefined) === (url === undefined)) {
      throw new InvalidOptionsError('redisAttempts: give exactly one of `client` and `url`');
    }
    if (client !== undefined && !isRedisClientLike(client)) {
      throw new InvalidOptionsError(
        'redisAttempts: `client` must be an ioredis or node-redis client (with call() or sendCommand())',
      );
    }
    if (url !== undefined && (typeof url !== 'string' || url === '')) {
      throw new InvalidOptionsError('redisAttempts: `url` must be a non-empty string');
    }
    if (typeof clientOptions !== 'object' || clientOptions === null) {
      throw new InvalidOptionsError('redisAttempts: `clientOptions` must be an object');
    }
    if (typeof prefix !== 'string') {
      throw new InvalidOptionsError('redisAttempts: `prefix` must be a string');
    }
    if (
      typeof commandTimeout !== 'number' ||
      !Number.isFinite(commandTimeout) ||
      commandTimeout <= 0 ||
      commandTimeout > MAX_TIMER_DELAY
    ) {
      throw new InvalidOptionsError(
        `redisAttempts: commandTimeout must be a positive number of milliseconds up to ${MAX_TIMER_DELAY}`,
      );
    }
    this.#prefix = prefix;
    this.#connection = new RedisConnection(
      { client, url, clientOptions, commandTimeout },
      'throttle store',
      'redisAttempts',
    );
  }

  async admit(key: string, rule: AttemptRule, now: number): Promise<Admission> {
    const hash = this.#prefix + key;
    const args = [
      String(now),
      String(rule.free),
      String(rule.baseDelayMs),
      String(rule.maxDelayMs),
      String(rule.limit),
      String(rule.windowMs),
      rule.sliding ? '1' : '0',
      rule.hold ? '1' : '0',
    ];
    const reply = await this.#connection.run('admit', (send) => runScript(send, ADMIT, hash, args));
    const [admitted, count, retryAt] = reply as [unknown, unknown, unknown];
    return { admitted: Number(admitted) === 1, count: Number(count), retryAt: instant(retryAt) };
  }

  async release(key: string, now: number): Promise<void> {
    const hash = this.#prefix + key;
    await this.#connection.run('release', (send) => runScript(send, RELEASE, hash, [String(now)]));
  }

  async reset(key: string): Promise<void> {
    const hash = this.#prefix + key;
    await this.#connection.run('reset', (send) => send(['DEL', hash], hash));
  }

  /** Quits the client made from `url`; a client passed in is left open. */
  close(): Promise<void> {
    return this.#connection.close();
  }
}

/**
 * Creates the Redis throttle backend: counters shared by every process on one Redis,
 * each attempt admitted and counted by one atomic script. Operations fail with
 * `SessionStoreError` when Redis is unreachable or slower than `commandTimeout`; the
 * throttle then refuses the sign-in (503), never lets it through (S-54).
 *
 * @throws {InvalidOptionsError} when both or neither of `client` and `url` are given, or
 * an option is out of range.
 */
export function redisAttempts(options: RedisAttemptsOptions): RedisAttempts {
  return new RedisAttempts(options);
}
