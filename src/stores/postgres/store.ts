/**
 * The PostgreSQL session store: one statement, hence one round trip, per method.
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
import { PgConnection } from './connection.js';
import {
  type PostgresStoreOptions,
  type ResolvedPostgresOptions,
  resolvePostgresOptions,
} from './options.js';
import type { PgQueryResultLike } from './pool.js';
import { warnAboutPool } from './pool-warning.js';
import { ensureTableSql, postgresTableName } from './schema.js';
import { type PostgresStatements, postgresStatements } from './statements.js';

/**
 * Session store on PostgreSQL. Sessions live in one table (see {@link postgresSchemaSql})
 * keyed by the engine's hashed session key; data is a `jsonb` object of JSON texts so
 * that a patch of some keys is a single atomic `UPDATE`.
 *
 * Failures and timeouts reject with `SessionStoreError` (cause attached); a row this
 * store cannot read makes `get` reject with `CorruptRecordError`.
 */
export class PostgresStore implements SessionStore {
  readonly #options: ResolvedPostgresOptions;
  readonly #sql: PostgresStatements;
  readonly #connection: PgConnection;
  readonly #pruneTimer: NodeJS.Timeout | undefined;

  /** Validates `options` (throws `InvalidOptionsError`); connects lazily, on first use. */
  constructor(options: PostgresStoreOptions) {
    this.#options = resolvePostgresOptions(options);
    if (this.#options.pool !== undefined) warnAboutPool(this.#options.pool);
    const table = postgresTableName(this.#options.tableName);
    this.#sql = postgresStatements(table);
    this.#connection = new PgConnection(
      this.#options,
      this.#options.createTable ? ensureTableSql(table) : undefined,
      {
        closed: (operation) =>
          new SessionStoreError(operation, { message: 'session store is closed' }),
        failed: (operation, cause, message) =>
          new SessionStoreError(operation, {
            cause,
            ...(message === undefined ? {} : { message: `session store ${message}` }),
          }),
      },
    );
    this.#pruneTimer = schedulePrune(
      this.#options.pruneInterval,
      () => this.prune(),
      this.#options.onPruneError,
    );
  }

  /**
   * Connects and creates the table now rather than on the first request, so a wrong URL
   * or missing privilege shows at startup. Optional.
   */
  async ready(): Promise<void> {
    await this.#run('ready', undefined, []);
  }

  async get(key: string): Promise<SessionRecord | null> {
    const { rows } = await this.#run('get', this.#sql.get, [key, this.#now()]);
    const row = rows[0] as SessionRow | undefined;
    return row === undefined ? null : decodeRecord(row);
  }

  async set(key: string, record: SessionRecord): Promise<void> {
    await this.#run('set', this.#sql.set, [
      key,
      encodeData(record.data),
      encodeInstant(record.createdAt),
      encodeInstant(record.expiresAt),
      encodeInstant(record.absoluteExpiresAt),
      record.userId,
    ]);
  }

  async patch(key: string, patch: SessionPatch): Promise<boolean> {
    const now = this.#now();
    const max = patch.maxDataBytes ?? null;
    const { rowCount } = await this.#run('patch', this.#sql.patch, [
      key,
      encodeData(patch.set),
      patch.remove,
      encodeInstant(patch.expiresAt),
      patch.userId !== undefined,
      patch.userId ?? null,
      now,
      max,
    ]);
    if (rowCount === 1) return true;
    // Nothing changed: the record is gone, or the patch would have made it too large.
    if (max !== null && (await this.#run('patch', this.#sql.live, [key, now])).rowCount === 1) {
      throw patchTooLarge(max);
    }
    return false;
  }

  /** Moves the idle expiry of an unexpired record; a missing or expired one stays so. */
  async touch(key: string, expiresAt: number): Promise<void> {
    await this.#run('touch', this.#sql.touch, [key, encodeInstant(expiresAt), this.#now()]);
  }

  async destroy(key: string): Promise<void> {
    await this.#run('destroy', this.#sql.destroy, [key]);
  }

  /** Unexpired sessions of `userId`, oldest first. Unreadable rows are left out. */
  async listByUser(userId: string): Promise<UserSessionEntry[]> {
    const { rows } = await this.#run('listByUser', this.#sql.listByUser, [userId, this.#now()]);
    return decodeListedRows(rows);
  }

  /** Deletes the user's sessions but `exceptKey`; returns how many were unexpired. */
  async destroyByUser(userId: string, exceptKey?: string): Promise<number> {
    const { rows } = await this.#run('destroyByUser', this.#sql.destroyByUser, [
      userId,
      exceptKey ?? null,
      this.#now(),
    ]);
    return Number((rows[0] as { count?: unknown } | undefined)?.count ?? 0);
  }

  /**
   * Deletes expired rows in batches of `pruneBatchSize`, each one statement within
   * `queryTimeout`, so a backlog of millions of rows is worked off instead of timing out
   * as one `DELETE`. Resolves with the number deleted.
   */
  async prune(options?: PruneOptions): Promise<number> {
    const now = this.#now();
    return pruneInBatches(
      async (limit) => (await this.#run('prune', this.#sql.prune, [now, limit])).rowCount ?? 0,
      this.#options.pruneBatchSize,
      options,
    );
  }

  /** Stops the sweep and ends the pool the store opened (never one you passed in). */
  async close(): Promise<void> {
    clearInterval(this.#pruneTimer);
    await this.#connection.close();
  }

  #now(): number {
    return encodeInstant(this.#options.clock());
  }

  #run(operation: string, text: string | undefined, values: unknown[]): Promise<PgQueryResultLike> {
    return this.#connection.run(operation, text, values);
  }
}

/** Creates a {@link PostgresStore}. */
export function postgresStore(options: PostgresStoreOptions): PostgresStore {
  return new PostgresStore(options);
}
