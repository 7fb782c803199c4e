/**
 * `tesserajs/stores/sqlite`: server-side sessions in a SQLite file.
 *
 * @example
 * ```ts
 * import { sqliteStore } from 'tesserajs/stores/sqlite';
 *
 * const store = sqliteStore({ filename: './data/sessions.db' });
 * ```
 */

export type { PruneOptions, PruneProgress } from '../contract.js';
export type {
  SqliteDatabaseLike,
  SqliteDriver,
  SqliteStatementLike,
  SqliteValue,
} from './driver.js';
export type { SqliteStoreOptions } from './options.js';
export { DEFAULT_SQLITE_TABLE, SQLITE_SCHEMA_VERSION, sqliteSchemaSql } from './schema.js';
export { SqliteStore, sqliteStore } from './store.js';
