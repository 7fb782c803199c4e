/**
 * The one statement each repository method runs, prepared once. Every value is a bind
 * parameter; only the validated table name is spliced in.
 */
import type { SqliteDatabaseLike, SqliteStatementLike } from '../../../stores/sqlite/driver.js';
import { USER_COLUMNS } from '../record.js';

/** Prepared statements per operation (parameters in order of the comments). */
export interface SqliteUserStatements {
  /** id. */
  readonly findById: SqliteStatementLike;
  /** email. */
  readonly findByEmail: SqliteStatementLike;
  /** id, email, password hash, created, updated; no change when the email exists. */
  readonly create: SqliteStatementLike;
  /** password hash, updated, id. */
  readonly updatePasswordHash: SqliteStatementLike;
  /** updated, id; returns the new session_generation. */
  readonly bumpSessionGeneration: SqliteStatementLike;
  /** id. */
  readonly delete: SqliteStatementLike;
}

/** Prepares the statements for table `name` (already validated) on `db`. */
export function prepareSqliteUserStatements(
  db: SqliteDatabaseLike,
  name: string,
): SqliteUserStatements {
  const t = `"${name}"`;
  return {
    findById: db.prepare(`SELECT ${USER_COLUMNS} FROM ${t} WHERE id = ?`),
    findByEmail: db.prepare(`SELECT ${USER_COLUMNS} FROM ${t} WHERE email = ?`),
    // The unique index decides, inside SQLite's write lock: of concurrent inserts of one
    // email (other connections, other processes) exactly one changes a row.
    create: db.prepare(`INSERT INTO ${t} (id, email, password_hash, session_generation,
  created_at, updated_at) VALUES (?, ?, ?, 0, ?, ?) ON CONFLICT (email) DO NOTHING`),
    updatePasswordHash: db.prepare(
      `UPDATE ${t} SET password_hash = ?, updated_at = ? WHERE id = ?`,
    ),
    // One statement: the increment happens inside the write lock, never read-then-write.
    bumpSessionGeneration: db.prepare(`UPDATE ${t}
SET session_generation = session_generation + 1, updated_at = ?
WHERE id = ? RETURNING session_generation`),
    delete: db.prepare(`DELETE FROM ${t} WHERE id = ?`),
  };
}
