/**
 * Options of the SQLite store, and their validation.
 */

import { InvalidOptionsError, type SessionStoreError } from '../../errors.js';
import { pruneBatchSize } from '../sql/prune-batches.js';
import { DEFAULT_PRUNE_INTERVAL, MAX_TIMER_DELAY } from '../sql/prune-timer.js';
import { type ResolvedSqliteConnection, resolveSqliteConnection } from './connection.js';
import type { SqliteDatabaseLike, SqliteDriver } from './driver.js';
import { DEFAULT_SQLITE_TABLE } from './schema.js';

/** Options of {@link sqliteStore}. Pass exactly one of `database` and `filename`. */
export interface SqliteStoreOptions {
  /**
   * A database you already opened (better-sqlite3 `Database` or node:sqlite
   * `DatabaseSync`). The store leaves its settings alone and never closes it.
   */
  readonly database?: SqliteDatabaseLike;
  /**
   * A file path (created if missing). The store opens it itself in WAL mode with
   * `busyTimeout`, and `close()` closes it. Security: keep the file out of any
   * web-served directory and readable by the app's user only.
   */
  readonly filename?: string;
  /**
   * Which driver opens `filename`: `'auto'` uses the built-in `node:sqlite` on Node.js
   * >= 24 (better-sqlite3 12 can abort the process there) and better-sqlite3 before,
   * each falling back to the other. @default 'auto'
   */
  readonly driver?: SqliteDriver;
  /**
   * Milliseconds a statement keeps trying while another connection or process holds the
   * lock, before failing with `SessionStoreError` (S-55). The waiting is asynchronous:
   * other requests of the process go on meanwhile. A `database` you pass blocks for its
   * own `busy_timeout` per try, so give it a short one (e.g. 10 ms). @default 2000
   */
  readonly busyTimeout?: number;
  /** Table name (lower-case letters, digits, `_`). @default `tessera_sessions` */
  readonly tableName?: string;
  /**
   * Create the table and its indexes on first use if missing. Set to `false` when your
   * migration tool runs {@link sqliteSchemaSql} instead. @default true
   */
  readonly createTable?: boolean;
  /**
   * Milliseconds between sweeps of expired rows (on an unref'd timer); `0` disables the
   * sweep. @default 900000 (15 minutes)
   */
  readonly pruneInterval?: number;
  /**
   * Rows one prune statement deletes; `prune()` repeats until the backlog is gone,
   * yielding between batches so requests go on meanwhile. @default 1000
   */
  readonly pruneBatchSize?: number;
  /**
   * Called when a scheduled sweep fails; the next one tries again.
   * @default one line on stderr (code and message)
   */
  readonly onPruneError?: (error: SessionStoreError) => void;
  /** Source of "now" in ms, for tests. @default `Date.now` */
  readonly clock?: () => number;
}

/** Options with defaults applied. */
export interface ResolvedSqliteOptions extends ResolvedSqliteConnection {
  readonly tableName: string;
  readonly createTable: boolean;
  readonly pruneInterval: number;
  readonly pruneBatchSize: number;
  readonly onPruneError: ((error: SessionStoreError) => void) | undefined;
  readonly clock: () => number;
}

/** Applies defaults; throws `InvalidOptionsError` for a bad combination or value. */
export function resolveSqliteOptions(options: SqliteStoreOptions): ResolvedSqliteOptions {
  const { database, filename, driver, busyTimeout } = resolveSqliteConnection(
    options,
    'sqliteStore',
  );
  const pruneInterval = options.pruneInterval ?? DEFAULT_PRUNE_INTERVAL;
  if (!Number.isInteger(pruneInterval) || pruneInterval < 0 || pruneInterval > MAX_TIMER_DELAY) {
    throw new InvalidOptionsError('pruneInterval must be 0 or a positive integer of milliseconds');
  }
  return {
    database,
    filename,
    driver,
    busyTimeout,
    tableName: options.tableName ?? DEFAULT_SQLITE_TABLE,
    createTable: options.createTable ?? true,
    pruneInterval,
    pruneBatchSize: pruneBatchSize('pruneBatchSize', options.pruneBatchSize, 1000),
    onPruneError: options.onPruneError,
    clock: options.clock ?? Date.now,
  };
}
