/** The by-user methods of the connect bridge, for stores that can list all sessions. */
import { CorruptRecordError, SessionStoreError } from '../../errors.js';
import type { SessionRecord, UserSessionEntry } from '../contract.js';
import { ConnectBridge } from './bridge.js';
import { callStore } from './callback.js';
import { fromConnectSession } from './codec.js';
import type { ConnectStoreLike } from './connect-store-like.js';

type ListingStore = ConnectStoreLike & Required<Pick<ConnectStoreLike, 'all'>>;

/** `[sid, session]` pairs from `all()`: an array of sessions with `id`, or an object by id. */
function sessionsById(operation: string, listing: unknown): Array<[string, unknown]> {
  if (listing === null || listing === undefined) return [];
  if (Array.isArray(listing)) {
    return listing.map((session: unknown) => {
      const id = (session as { id?: unknown } | null)?.id;
      if (typeof id !== 'string') {
        // Without ids a session cannot be destroyed, and a sign-out everywhere that
        // silently skips sessions is worse than one that fails.
        throw new SessionStoreError(operation, {
          message: "the connect store's all() returns sessions without an id",
        });
      }
      return [id, session];
    });
  }
  if (typeof listing === 'object') return Object.entries(listing);
  throw new SessionStoreError(operation, {
    message: "unexpected reply from the connect store's all()",
  });
}

/**
 * A {@link ConnectBridge} whose store has `all()`. Both methods scan every session in the
 * store: O(number of sessions), fine for small stores, slow for large ones.
 */
export class ConnectBridgeByUser extends ConnectBridge {
  /** The sessions bound to `userId`, expired ones included; unreadable ones skipped. */
  async #scan(operation: string, userId: string): Promise<UserSessionEntry[]> {
    const store = this.store as ListingStore;
    const listing = await callStore(operation, this.options.commandTimeout, (cb) => store.all(cb));
    const entries: UserSessionEntry[] = [];
    for (const [key, session] of sessionsById(operation, listing)) {
      let record: SessionRecord;
      try {
        record = fromConnectSession(session, this.options.clock());
      } catch (error) {
        if (error instanceof CorruptRecordError) continue;
        throw error;
      }
      if (record.userId === userId) entries.push({ key, record });
    }
    return entries;
  }

  /** Every live session of `userId`: one `all()` call, then filtering in this process. */
  async listByUser(userId: string): Promise<UserSessionEntry[]> {
    const entries = await this.#scan('listByUser', userId);
    return entries.filter((entry) => this.live(entry.record));
  }

  /**
   * Destroys the sessions of `userId` except `exceptKey`. Each is re-read under its key's
   * queue right before the destroy, so a session bound to someone else since the scan
   * survives. Returns how many were destroyed.
   */
  async destroyByUser(userId: string, exceptKey?: string): Promise<number> {
    const candidates = (await this.#scan('destroyByUser', userId)).filter(
      (entry) => entry.key !== exceptKey,
    );
    const destroyed = await Promise.all(
      candidates.map(({ key }) =>
        this.queue.run(key, async () => {
          const current = await this.read('destroyByUser', key).catch((error: unknown) => {
            if (error instanceof CorruptRecordError) return null;
            throw error;
          });
          if (current?.userId !== userId) return false;
          await this.remove('destroyByUser', key);
          return true;
        }),
      ),
    );
    return destroyed.filter(Boolean).length;
  }
}
