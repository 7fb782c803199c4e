/**
 * The PostgreSQL users table: DDL and the version marker (the table's comment).
 */
import { type PostgresTableName, postgresTableName } from '../../../stores/postgres/schema.js';

/** The table the repository uses unless told otherwise. */
export const DEFAULT_POSTGRES_USERS_TABLE = 'tessera_users';

/**
 * Version of the table layout this release reads and writes, recorded in the table's
 * comment (`tessera users, schema version 1`).
 */
export const POSTGRES_USERS_SCHEMA_VERSION = 1;

/** The name of the unique constraint on `email`: `<table>_email_key`. */
export function emailConstraintName(table: PostgresTableName): string {
  return `${table.bare}_email_key`;
}

/** The DDL statements for one table, in order. */
export function usersTableStatements(table: PostgresTableName): string[] {
  const t = table.quoted;
  return [
    `CREATE TABLE IF NOT EXISTS ${t} (
  id text PRIMARY KEY,
  email text NOT NULL,
  password_hash text NOT NULL,
  session_generation bigint NOT NULL DEFAULT 0,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  CONSTRAINT "${emailConstraintName(table)}" UNIQUE (email)
);`,
    `COMMENT ON TABLE ${t} IS 'tessera users, schema version ${POSTGRES_USERS_SCHEMA_VERSION}';`,
  ];
}

/**
 * The SQL that creates the users table, for your own migration tool (then pass
 * `createTable: false`). Idempotent; the schema of a qualified name must already exist.
 * The unique constraint on `email` is what makes one address one user, also under
 * concurrent sign-ups: keep it in your own migrations.
 *
 * @param tableName - `table` or `schema.table`. @default `tessera_users`
 */
export function postgresUsersSchemaSql(tableName: string = DEFAULT_POSTGRES_USERS_TABLE): string {
  return `${usersTableStatements(postgresTableName(tableName)).join('\n')}\n`;
}
