/**
 * `tesserajs/stores/connect`: use any express-session ("connect") store — connect-redis,
 * connect-pg-simple, connect-mongo, ... — as a Tessera session store.
 *
 * ```ts
 * import { RedisStore } from 'connect-redis';
 * import { connectStore } from 'tesserajs/stores/connect';
 * const store = connectStore(new RedisStore({ client: redisClient, prefix: 'sess:' }));
 * ```
 *
 * Limits (docs/stores.md, connect bridge): `patch` is a read-modify-write, atomic only
 * within one process; by-user methods exist only when the store has `all()` and scan
 * every session. Prefer a native Tessera store where you can.
 */
import type { SessionStore } from '../contract.js';
import { ConnectBridge } from './bridge.js';
import { ConnectBridgeByUser } from './by-user.js';
import type { ConnectStoreLike } from './connect-store-like.js';
import { type ConnectStoreOptions, resolveConnectStoreOptions } from './options.js';

export type {
  SessionPatch,
  SessionRecord,
  SessionStore,
  UserSessionEntry,
} from '../contract.js';
export type { ConnectSession } from './codec.js';
export type { ConnectCallback, ConnectStoreLike } from './connect-store-like.js';
export type { ConnectStoreOptions } from './options.js';

/**
 * Wraps `store` as a {@link SessionStore}. The result has `listByUser`/`destroyByUser`
 * only when `store` has `all()`; it never has `prune()` (connect stores expire sessions
 * themselves, from `cookie.expires`) nor `close()` (the store belongs to the caller).
 *
 * Security: concurrent patches of one session from **different processes** can lose an
 * update, and a patch racing a destroy in another process can bring the session back;
 * within one process both are prevented by a per-key queue.
 *
 * @throws {InvalidOptionsError} when `store` lacks get/set/destroy or an option is out of range.
 */
export function connectStore(store: ConnectStoreLike, options?: ConnectStoreOptions): SessionStore {
  const resolved = resolveConnectStoreOptions(store, options);
  return typeof store.all === 'function'
    ? new ConnectBridgeByUser(store, resolved)
    : new ConnectBridge(store, resolved);
}
