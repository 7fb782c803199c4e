/**
 * `tesserajs/stores/memory`: the in-process session store.
 *
 * ```ts
 * import { memoryStore } from 'tesserajs/stores/memory';
 * const store = memoryStore({ maxSessions: 50_000 });
 * ```
 *
 * Sessions live in this process only: they vanish on restart and are not shared between
 * processes or machines. Use it for development, tests and single-process servers.
 */
import { MemoryStore } from './memory-store.js';
import type { MemoryStoreOptions } from './options.js';

export type {
  SessionPatch,
  SessionRecord,
  SessionStore,
  UserSessionEntry,
} from '../contract.js';
export { MemoryStore, type MemoryStoreStats } from './memory-store.js';
export type { MemoryStoreOptions } from './options.js';

/**
 * Creates a {@link MemoryStore}: bounded to `maxSessions` records (least recently used
 * evicted first), expired records swept on an unref'd timer, sessions indexed by user.
 * Call `close()` to stop the sweep timer when the store is no longer needed.
 *
 * @throws {InvalidOptionsError} when an option is out of range.
 */
export function memoryStore(options?: MemoryStoreOptions): MemoryStore {
  return new MemoryStore(options);
}
