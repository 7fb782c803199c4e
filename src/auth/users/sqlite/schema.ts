/**
 * The SQLite users table: DDL and the version marker, recorded in the same
 * `tessera_schema` table as the session store's, so one file can hold both.
 */
import { sqliteTableName } from '../../../stores/sqlite/schema.js';

/** The table the repository uses unless told otherwise. */
export const DEFAULT_SQLITE_USERS_TABLE = 'tessera_users';

/** Version of the table layout this release reads and writes (a row of `tessera_schema`). */
export const SQLITE_USERS_SCHEMA_VERSION = 1;

/**
 * The SQL that creates the users table, for your own migration tool (then pass
 * `createTable: false`). Idempotent. The unique index on `email` is what makes one
 * address one user, also under concurrent sign-ups: keep it in your own migrations.
 *
 * @param tableName - lower-case letters, digits and `_`. @default `tessera_users`
 */
export function sqliteUsersSchemaSql(tableName: string = DEFAULT_SQLITE_USERS_TABLE): string {
  const name = sqliteTableName(tableName);
  return `CREATE TABLE IF NOT EXISTS "${name}" (
  id TEXT PRIMARY KEY NOT NULL,
  email TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  session_generation INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX IF NOT EXISTS "${name}_email_idx" ON "${name}" (email);
CREATE TABLE IF NOT EXISTS tessera_schema (
  table_name TEXT PRIMARY KEY NOT NULL,
  version INTEGER NOT NULL
) STRICT;
INSERT OR IGNORE INTO tessera_schema (table_name, version) VALUES ('${name}', ${SQLITE_USERS_SCHEMA_VERSION});
`;
}
