/** A SessionStore on top of any express-session ("connect") store. */

import { CorruptRecordError } from '../../errors.js';
import type { SessionPatch, SessionRecord, SessionStore } from '../contract.js';
import { patchTooLarge, recordBytes } from '../data-bytes.js';
import { withDeadline } from '../deadline.js';
import { callStore } from './callback.js';
import { fromConnectSession, toConnectSession } from './codec.js';
import type { ConnectStoreLike } from './connect-store-like.js';
import { KeyQueue } from './key-queue.js';
import type { ResolvedConnectStoreOptions } from './options.js';

/** `callback(error)` with `code === 'ENOENT'` means "no such session" in the connect API. */
function isNotFound(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT'
  );
}

/**
 * Wraps a connect store. The store offers no atomic per-key update, so `patch` and
 * `touch` read the whole session and write it back. Within one process a per-key queue
 * keeps concurrent patches from losing each other; **across processes they can**: two
 * instances patching different keys of one session at once may lose one change, and a
 * patch racing a destroy in another process may resurrect the session. Use a native
 * store (Redis, PostgreSQL, SQLite) where that matters.
 */
export class ConnectBridge implements SessionStore {
  protected readonly store: ConnectStoreLike;
  protected readonly options: ResolvedConnectStoreOptions;
  protected readonly queue = new KeyQueue();

  constructor(store: ConnectStoreLike, options: ResolvedConnectStoreOptions) {
    this.store = store;
    this.options = options;
  }

  /** Runs a write for `key` after earlier writes for it, bounded as a whole. */
  protected serialized<T>(operation: string, key: string, work: () => Promise<T>): Promise<T> {
    return withDeadline(operation, this.options.commandTimeout, () => this.queue.run(key, work));
  }

  /** The record under `key` as stored, expired or not; `null` when there is none. */
  protected async read(operation: string, key: string): Promise<SessionRecord | null> {
    let session: unknown;
    try {
      session = await callStore(operation, this.options.commandTimeout, (cb) =>
        this.store.get(key, cb),
      );
    } catch (error) {
      if (error instanceof Error && isNotFound((error as { cause?: unknown }).cause)) return null;
      throw error;
    }
    return session === null || session === undefined
      ? null
      : fromConnectSession(session, this.options.clock());
  }

  protected write(operation: string, key: string, record: SessionRecord): Promise<unknown> {
    const session = toConnectSession(record, this.options.clock());
    return callStore(operation, this.options.commandTimeout, (cb) =>
      this.store.set(key, session, cb),
    );
  }

  protected remove(operation: string, key: string): Promise<unknown> {
    return callStore(operation, this.options.commandTimeout, (cb) => this.store.destroy(key, cb));
  }

  protected live(record: SessionRecord | null): record is SessionRecord {
    const now = this.options.clock();
    return record !== null && record.expiresAt > now && record.absoluteExpiresAt > now;
  }

  /** Read-modify-write of a live record under the key's queue; false when there is none. */
  protected update(
    operation: string,
    key: string,
    change: (record: SessionRecord) => SessionRecord,
  ): Promise<boolean> {
    return this.serialized(operation, key, async () => {
      let current: SessionRecord | null;
      try {
        current = await this.read(operation, key);
      } catch (error) {
        // Unreadable data is not a session to patch (get reports it as corrupt).
        if (error instanceof CorruptRecordError) return false;
        throw error;
      }
      if (!this.live(current)) return false;
      await this.write(operation, key, change(current));
      return true;
    });
  }

  async get(key: string): Promise<SessionRecord | null> {
    const record = await withDeadline('get', this.options.commandTimeout, () =>
      this.read('get', key),
    );
    return this.live(record) ? record : null;
  }

  async set(key: string, record: SessionRecord): Promise<void> {
    await this.serialized('set', key, () => this.write('set', key, record));
  }

  patch(key: string, patch: SessionPatch): Promise<boolean> {
    return this.update('patch', key, (record) => {
      const data: Record<string, string> = Object.fromEntries(Object.entries(record.data));
      for (const name of patch.remove) delete data[name];
      for (const [name, value] of Object.entries(patch.set)) {
        // defineProperty, not assignment: a key named `__proto__` must stay data.
        Object.defineProperty(data, name, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      const max = patch.maxDataBytes;
      if (max !== undefined) {
        const bytes = recordBytes(data);
        if (bytes > max) throw patchTooLarge(max, bytes);
      }
      const userId = patch.userId === undefined ? record.userId : patch.userId;
      return { ...record, data, expiresAt: patch.expiresAt, userId };
    });
  }

  async touch(key: string, expiresAt: number): Promise<void> {
    // The connect `touch` method only refreshes the store's TTL (connect-redis) or the
    // cookie (MemoryStore); the record's own expiresAt must move too, so this rewrites it.
    await this.update('touch', key, (record) => ({ ...record, expiresAt }));
  }

  async destroy(key: string): Promise<void> {
    await this.serialized('destroy', key, () => this.remove('destroy', key));
  }
}
