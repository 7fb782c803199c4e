/**
 * Options of the SQLite user repository, and their validation.
 */

import {
  type ResolvedSqliteConnection,
  resolveSqliteConnection,
} from '../../../stores/sqlite/connection.js';
import type { SqliteDatabaseLike, SqliteDriver } from '../../../stores/sqlite/driver.js';
import { sqliteTableName } from '../../../stores/sqlite/schema.js';
import { DEFAULT_SQLITE_USERS_TABLE } from './schema.js';

/** Options of {@link sqliteUsers}. Pass exactly one of `database` and `filename`. */
export interface SqliteUsersOptions {
  /**
   * A database you already opened (better-sqlite3 `Database` or node:sqlite
   * `DatabaseSync`), for instance the one your session store uses, so users and sessions
   * live in one file. The repository leaves its settings alone and never closes it.
   */
  readonly database?: SqliteDatabaseLike;
  /**
   * A file path (created if missing), opened in WAL mode on first use and closed by
   * `close()`. Security: keep the file out of any web-served directory and readable by
   * the app's user only; it holds password hashes.
   */
  readonly filename?: string;
  /**
   * Which driver opens `filename`: `'auto'` uses the built-in `node:sqlite` on Node.js
   * >= 24 and better-sqlite3 before, each falling back to the other. @default 'auto'
   */
  readonly driver?: SqliteDriver;
  /**
   * Milliseconds a statement keeps trying while another connection holds the lock,
   * before failing with `UserStoreError`. The waiting is asynchronous. @default 2000
   */
  readonly busyTimeout?: number;
  /** Table name (lower-case letters, digits, `_`). @default `tessera_users` */
  readonly tableName?: string;
  /**
   * Create the table and its unique email index on first use if missing. Set to `false`
   * when your migration tool runs {@link sqliteUsersSchemaSql} instead. @default true
   */
  readonly createTable?: boolean;
  /** Source of "now" in ms, for tests. @default `Date.now` */
  readonly clock?: () => number;
}

/** Options with defaults applied. */
export interface ResolvedSqliteUsersOptions extends ResolvedSqliteConnection {
  readonly tableName: string;
  readonly createTable: boolean;
  readonly clock: () => number;
}

/** Applies defaults; throws `InvalidOptionsError` for a bad combination or value. */
export function resolveSqliteUsersOptions(options: SqliteUsersOptions): ResolvedSqliteUsersOptions {
  return {
    ...resolveSqliteConnection(options, 'sqliteUsers'),
    tableName: sqliteTableName(options.tableName ?? DEFAULT_SQLITE_USERS_TABLE),
    createTable: options.createTable ?? true,
    clock: options.clock ?? Date.now,
  };
}
