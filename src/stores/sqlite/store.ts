/**
 * The SQLite session store: one prepared statement per method. The drivers are
 * synchronous; the methods still return promises to fit the contract.
 */

import { SessionStoreError } from '../../errors.js';
import type { SessionPatch, SessionRecord, SessionStore, UserSessionEntry } from '../contract.js';
import { patchTooLarge } from '../data-bytes.js';
import { type PruneOptions, pruneInBatches } from '../sql/prune-batches.js';
import { schedulePrune } from '../sql/prune-timer.js';
import {
  decodeListedRows,
  decodeRecord,
  encodeData,
  encodeInstant,
  type SessionRow,
} from '../sql/record.js';
import { SqliteConnection } from './connection.js';
import {
  type ResolvedSqliteOptions,
  resolveSqliteOptions,
  type SqliteStoreOptions,
} from './options.js';
import { sqliteSchemaSql, sqliteTableName } from './schema.js';
import { prepareSqliteStatements, type SqliteStatements } from './statements.js';

/**
 * Session store on SQLite: one table (see {@link sqliteSchemaSql}) keyed by the engine's
 * hashed session key; data is a JSON object of JSON texts so a patch of some keys is a
 * single atomic `UPDATE ... json_patch()`. Several processes may share the file.
 *
 * A statement that finds the database locked is retried asynchronously (see
 * lock-wait.ts) until `busyTimeout` is spent, so a lock held by another process never
 * freezes this one for more than a few milliseconds at a time.
 *
 * Driver errors (still locked after `busyTimeout`, I/O, a closed database) reject with
 * `SessionStoreError`; a row this store cannot read makes `get` reject with
 * `CorruptRecordError`.
 */
export class SqliteStore implements SessionStore {
  readonly #options: ResolvedSqliteOptions;
  readonly #pruneTimer: NodeJS.Timeout | undefined;
  readonly #connection: SqliteConnection<SqliteStatements>;

  /** Validates `options` (throws `InvalidOptionsError`); opens lazily, on first use. */
  constructor(options: SqliteStoreOptions) {
    this.#options = resolveSqliteOptions(options);
    const tableName = sqliteTableName(this.#options.tableName);
    const { createTable } = this.#options;
    this.#connection = new SqliteConnection(
      this.#options,
      (db) => {
        // Each statement commits on its own and takes the write lock up front (waiting up
        // to busy_timeout), so two processes creating the table at once cannot both do it.
        if (createTable) db.exec(sqliteSchemaSql(tableName));
        return prepareSqliteStatements(db, tableName);
      },
      {
        closed: (operation) =>
          new SessionStoreError(operation, { message: 'session store is closed' }),
        failed: (operation, cause) => new SessionStoreError(operation, { cause }),
      },
    );
    this.#pruneTimer = schedulePrune(
      this.#options.pruneInterval,
      () => this.prune(),
      this.#options.onPruneError,
    );
  }

  /**
   * Opens the file and creates the table now rather than on the first request, so a
   * missing driver or unwritable path shows at startup. Optional.
   */
  async ready(): Promise<void> {
    await this.#run('ready', () => undefined);
  }

  async get(key: string): Promise<SessionRecord | null> {
    const now = this.#now();
    const row = await this.#run('get', (s) => s.get.get(key, now));
    return row === undefined ? null : decodeRecord(row as SessionRow);
  }

  async set(key: string, record: SessionRecord): Promise<void> {
    const data = encodeData(record.data);
    await this.#run('set', (s) =>
      s.set.run(
        key,
        data,
        encodeInstant(record.createdAt),
        encodeInstant(record.expiresAt),
        encodeInstant(record.absoluteExpiresAt),
        record.userId,
      ),
    );
  }

  async patch(key: string, patch: SessionPatch): Promise<boolean> {
    // RFC 7396 merge patch: a string sets the key, null removes it. A null-prototype map
    // keeps a key named `__proto__` an ordinary key.
    const merge: Record<string, string | null> = Object.create(null);
    for (const name of patch.remove) merge[name] = null;
    for (const [name, value] of Object.entries(patch.set)) merge[name] = value;
    const changeUser = patch.userId === undefined ? 0 : 1;
    const now = this.#now();
    const max = patch.maxDataBytes ?? null;
    const mergeText = JSON.stringify(merge);
    const { changes } = await this.#run('patch', (s) =>
      s.patch.run(
        mergeText,
        encodeInstant(patch.expiresAt),
        changeUser,
        patch.userId ?? null,
        key,
        now,
        max,
        mergeText,
        max,
      ),
    );
    if (Number(changes) === 1) return true;
    // Nothing changed: the record is gone, or the patch would have made it too large.
    if (max !== null && (await this.#run('patch', (s) => s.live.get(key, now))) !== undefined) {
      throw patchTooLarge(max);
    }
    return false;
  }

  async touch(key: string, expiresAt: number): Promise<void> {
    const now = this.#now();
    await this.#run('touch', (s) => s.touch.run(encodeInstant(expiresAt), key, now));
  }

  async destroy(key: string): Promise<void> {
    await this.#run('destroy', (s) => s.destroy.run(key));
  }

  /** Unexpired sessions of `userId`, oldest first. Unreadable rows are left out. */
  async listByUser(userId: string): Promise<UserSessionEntry[]> {
    const now = this.#now();
    const rows = await this.#run('listByUser', (s) => s.listByUser.all(userId, now));
    return decodeListedRows(rows);
  }

  /** Deletes the user's sessions but `exceptKey`; returns how many were unexpired. */
  async destroyByUser(userId: string, exceptKey?: string): Promise<number> {
    const now = this.#now();
    const rows = await this.#run('destroyByUser', (s) =>
      s.destroyByUser.all(userId, exceptKey ?? null),
    );
    return (rows as { expires_at: unknown }[]).filter((row) => Number(row.expires_at) > now).length;
  }

  /**
   * Deletes expired rows in batches of `pruneBatchSize`, yielding between batches (one
   * statement holds the write lock, and the driver blocks the process, only for one
   * batch). Resolves with the number deleted.
   */
  async prune(options?: PruneOptions): Promise<number> {
    const now = this.#now();
    return pruneInBatches(
      async (limit) => {
        const { changes } = await this.#run('prune', (s) => s.prune.run(now, limit));
        return Number(changes);
      },
      this.#options.pruneBatchSize,
      options,
    );
  }

  /** Stops the sweep and closes the database the store opened (never one you passed in). */
  async close(): Promise<void> {
    clearInterval(this.#pruneTimer);
    this.#connection.close();
  }

  #now(): number {
    return encodeInstant(this.#options.clock());
  }

  #run<T>(operation: string, step: (statements: SqliteStatements) => T): Promise<T> {
    return this.#connection.run(operation, step);
  }
}

/** Creates a {@link SqliteStore}. */
export function sqliteStore(options: SqliteStoreOptions): SqliteStore {
  return new SqliteStore(options);
}
