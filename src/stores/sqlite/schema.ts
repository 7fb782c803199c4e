/**
 * The SQLite table: name validation, DDL, and the version marker.
 */

import { InvalidOptionsError } from '../../errors.js';

/** The table the store uses unless told otherwise. */
export const DEFAULT_SQLITE_TABLE = 'tessera_sessions';

/**
 * Version of the table layout this release reads and writes, recorded as a row of the
 * `tessera_schema` table (`table_name`, `version`) so a later release can tell which
 * migration to run. `PRAGMA user_version` is left alone: it belongs to the app, whose
 * own migrations may use it in the same file.
 */
export const SQLITE_SCHEMA_VERSION = 1;

// Lower case only, like the PostgreSQL store, so the same name works in both; 48
// characters keep the derived index names short.
const NAME = /^[a-z_][a-z0-9_]{0,47}$/;

/**
 * Validates `name` (lower-case letters, digits and `_`, not starting with `sqlite_`) and
 * quotes it. Throws `InvalidOptionsError` otherwise, so no caller-supplied text ever
 * reaches SQL unchecked.
 */
export function sqliteTableName(name: string): string {
  if (!NAME.test(name) || name.startsWith('sqlite_') || name === 'tessera_schema') {
    throw new InvalidOptionsError(
      'tableName must be lower-case letters, digits and "_" (at most 48), not sqlite_* or tessera_schema',
    );
  }
  return name;
}

/**
 * The SQL that creates the session table, for your own migration tool (then pass
 * `createTable: false` to the store). Idempotent: every statement is `IF NOT EXISTS` or
 * `OR IGNORE`. `STRICT` (SQLite >= 3.37) makes SQLite refuse a wrongly typed value
 * instead of storing it.
 *
 * @param tableName - @default `tessera_sessions`
 */
export function sqliteSchemaSql(tableName: string = DEFAULT_SQLITE_TABLE): string {
  const name = sqliteTableName(tableName);
  return `CREATE TABLE IF NOT EXISTS "${name}" (
  key TEXT PRIMARY KEY NOT NULL,
  data TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  absolute_expires_at INTEGER NOT NULL,
  user_id TEXT
) STRICT;
CREATE INDEX IF NOT EXISTS "${name}_expires_at_idx" ON "${name}" (expires_at);
CREATE INDEX IF NOT EXISTS "${name}_user_id_idx" ON "${name}" (user_id) WHERE user_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS tessera_schema (
  table_name TEXT PRIMARY KEY NOT NULL,
  version INTEGER NOT NULL
) STRICT;
INSERT OR IGNORE INTO tessera_schema (table_name, version) VALUES ('${name}', ${SQLITE_SCHEMA_VERSION});
`;
}
