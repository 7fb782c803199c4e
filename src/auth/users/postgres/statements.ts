/**
 * The one statement each repository method runs. Every value travels as a bind
 * parameter; only the validated, quoted table name is spliced in.
 */
import type { PostgresTableName } from '../../../stores/postgres/schema.js';
import { USER_COLUMNS } from '../record.js';

/** SQL text per operation. */
export interface PostgresUserStatements {
  /** `$1` id. */
  readonly findById: string;
  /** `$1` email. */
  readonly findByEmail: string;
  /** `$1` id, `$2` email, `$3` password hash, `$4` now; no row when the email exists. */
  readonly create: string;
  /** `$1` id, `$2` password hash, `$3` now. */
  readonly updatePasswordHash: string;
  /** `$1` id, `$2` now; returns `session_generation`. */
  readonly bumpSessionGeneration: string;
  /** `$1` id. */
  readonly delete: string;
}

/** Builds the statements for one table. */
export function postgresUserStatements(table: PostgresTableName): PostgresUserStatements {
  const t = table.quoted;
  return {
    findById: `SELECT ${USER_COLUMNS} FROM ${t} WHERE id = $1`,
    findByEmail: `SELECT ${USER_COLUMNS} FROM ${t} WHERE email = $1`,
    // Of concurrent inserts of one email, the unique constraint lets one through; the
    // others wait for it to commit and then insert nothing (no error, no row returned).
    create: `INSERT INTO ${t} (id, email, password_hash, session_generation, created_at, updated_at)
VALUES ($1, $2, $3, 0, $4, $4) ON CONFLICT (email) DO NOTHING RETURNING id`,
    updatePasswordHash: `UPDATE ${t} SET password_hash = $2, updated_at = $3 WHERE id = $1`,
    // The row lock of the UPDATE serialises concurrent bumps: n calls add n.
    bumpSessionGeneration: `UPDATE ${t}
SET session_generation = session_generation + 1, updated_at = $2
WHERE id = $1 RETURNING session_generation`,
    delete: `DELETE FROM ${t} WHERE id = $1`,
  };
}
