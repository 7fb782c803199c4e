/**
 * The PostgreSQL table: name validation, DDL, and the version marker.
 */

import { InvalidOptionsError } from '../../errors.js';

/** The table the store uses unless told otherwise. */
export const DEFAULT_POSTGRES_TABLE = 'tessera_sessions';

/**
 * Version of the table layout this release reads and writes. It is recorded in the
 * table's comment (`tessera session store, schema version 1`) so a later release can
 * tell which migration to run; a table without the comment counts as version 1.
 */
export const POSTGRES_SCHEMA_VERSION = 1;

// Lower case only: the store quotes names, and a quoted "Sessions" is a different table
// from the `Sessions` (folded to `sessions`) a migration tool would create unquoted. 48
// characters leave room for the `_expires_at_idx` suffix within PostgreSQL's 63.
const PART = /^[a-z_][a-z0-9_]{0,47}$/;

/** A validated table name: the quoted reference and the bare name for derived objects. */
export interface PostgresTableName {
  /** `"table"` or `"schema"."table"`, safe to splice into SQL. */
  readonly quoted: string;
  /** The unqualified table name, used to name its indexes. */
  readonly bare: string;
}

/**
 * Validates `name` (`table` or `schema.table`; lower-case letters, digits and `_`) and
 * quotes it. Throws `InvalidOptionsError` for anything else, so no caller-supplied text
 * ever reaches SQL unchecked.
 */
export function postgresTableName(name: string): PostgresTableName {
  const parts = name.split('.');
  if (parts.length > 2 || !parts.every((part) => PART.test(part))) {
    throw new InvalidOptionsError(
      'tableName must be "table" or "schema.table" made of lower-case letters, digits and "_" (at most 48 characters each)',
    );
  }
  return {
    quoted: parts.map((part) => `"${part}"`).join('.'),
    bare: parts[parts.length - 1] ?? name,
  };
}

function statements(table: PostgresTableName): string[] {
  const t = table.quoted;
  return [
    `CREATE TABLE IF NOT EXISTS ${t} (
  key text PRIMARY KEY,
  data jsonb NOT NULL,
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL,
  absolute_expires_at bigint NOT NULL,
  user_id text
);`,
    `CREATE INDEX IF NOT EXISTS "${table.bare}_expires_at_idx" ON ${t} (expires_at);`,
    `CREATE INDEX IF NOT EXISTS "${table.bare}_user_id_idx" ON ${t} (user_id) WHERE user_id IS NOT NULL;`,
    `COMMENT ON TABLE ${t} IS 'tessera session store, schema version ${POSTGRES_SCHEMA_VERSION}';`,
  ];
}

/**
 * The SQL that creates the session table, for running from your own migration tool
 * (then pass `createTable: false` to the store). Idempotent; the schema of a qualified
 * name must already exist.
 *
 * @param tableName - `table` or `schema.table`. @default `tessera_sessions`
 */
export function postgresSchemaSql(tableName: string = DEFAULT_POSTGRES_TABLE): string {
  return `${statements(postgresTableName(tableName)).join('\n')}\n`;
}

// Arbitrary constant shared by every tessera process: two processes that start at once
// would otherwise race inside CREATE TABLE IF NOT EXISTS and one would fail on the
// catalog's unique index.
const CREATE_LOCK = 0x7e55e7a;

/**
 * What the store runs on first use: one simple-protocol message, hence one implicit
 * transaction, holding an advisory lock. An existing table is only looked up, never
 * locked, so restarting an app under load does not stall its session writes.
 */
export function ensureTableSql(table: PostgresTableName): string {
  return ensureCreatedSql(table, statements(table));
}

/**
 * {@link ensureTableSql} for any table Tessera keeps (sessions, users): runs `ddl` under
 * the shared advisory lock when `table` does not exist yet.
 */
export function ensureCreatedSql(table: PostgresTableName, ddl: readonly string[]): string {
  // The quoted name holds only [a-z0-9_."] (validated), so it is a safe string literal.
  return `SELECT pg_advisory_xact_lock(${CREATE_LOCK});
DO $tessera$ BEGIN
IF to_regclass('${table.quoted}') IS NULL THEN
${ddl.join('\n')}
END IF;
END $tessera$;`;
}
