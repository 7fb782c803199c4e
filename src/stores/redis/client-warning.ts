/**
 * A one-time warning about a client the application passes in that can get stuck on a
 * silent connection, or re-send a write the store already answered 503 for.
 *
 * The store cannot change a client it does not own, and refusing one would break working
 * applications, so it says so once per client through `process.emitWarning`: Node's own
 * channel for this, printed once to stderr, with a stable `code` an application can
 * filter on (`process.on('warning')`) or silence (`--no-warnings`). Only settings the
 * store can actually read are judged; a client whose options it cannot see is left alone.
 */
import type { RedisClientLike } from './client.js';

/** The `code` of the warning. */
export const CLIENT_WARNING_CODE = 'TESSERA_REDIS_CLIENT_SETTINGS';

interface IoRedisOptionsView {
  readonly socketTimeout?: unknown;
  readonly autoResendUnfulfilledCommands?: unknown;
}

/** What is missing from a client's settings, as advice lines; `[]` when fine or unknown. */
export function missingClientSettings(client: RedisClientLike): string[] {
  const view = client as {
    readonly isCluster?: unknown;
    readonly options?: {
      readonly socket?: { readonly socketTimeout?: unknown };
      readonly redisOptions?: IoRedisOptionsView;
    } & IoRedisOptionsView;
    readonly call?: unknown;
  };
  const options = view.options;
  if (typeof options !== 'object' || options === null) return [];
  if (typeof view.call !== 'function') {
    // node-redis `createClient()`: it never re-sends a command written to a lost
    // connection, and the store cancels queued ones at their deadline.
    const socketTimeout = options.socket?.socketTimeout;
    return typeof socketTimeout === 'number' && socketTimeout > 0
      ? []
      : ['socket.socketTimeout (e.g. 5000, with pingInterval below it)'];
  }
  const io = view.isCluster === true ? (options.redisOptions ?? {}) : options;
  const missing: string[] = [];
  if (!(typeof io.socketTimeout === 'number' && io.socketTimeout > 0)) {
    missing.push('socketTimeout (e.g. 2000)');
  }
  if (io.autoResendUnfulfilledCommands !== false) {
    missing.push('autoResendUnfulfilledCommands: false');
  }
  return missing;
}

const warned = new WeakSet<object>();

/** Emits the warning once per client when {@link missingClientSettings} finds anything. */
export function warnAboutClient(client: RedisClientLike): void {
  if (warned.has(client)) return;
  warned.add(client);
  const missing = missingClientSettings(client);
  if (missing.length === 0) return;
  const why: string[] = [];
  if (missing.some((line) => line.includes('ocketTimeout'))) {
    why.push(
      'without a socket timeout a connection that goes silent (half-open) is never replaced, ' +
        'and every session request fails with 503 until restart',
    );
  }
  if (missing.some((line) => line.startsWith('autoResend'))) {
    why.push('with re-sending on, a write already answered 503 can be applied after a reconnect');
  }
  process.emitWarning(
    `redisStore: the Redis client passed in lacks ${missing.join(' and ')}: ${why.join('; ')} ` +
      '(see the Redis store docs, Failures).',
    { code: CLIENT_WARNING_CODE },
  );
}
