/**
 * The one statement each store method runs, prepared once per store. Every value is a
 * bind parameter; only the validated table name is spliced in.
 */

import type { SqliteDatabaseLike, SqliteStatementLike } from './driver.js';

/** Prepared statements per operation (parameters in order of the comments). */
export interface SqliteStatements {
  /** key, now. */
  readonly get: SqliteStatementLike;
  /** key, data, created, expires, absolute expiry, user. */
  readonly set: SqliteStatementLike;
  /** merge patch, expires, change user? (0/1), user, key, now, max bytes (or null), merge patch, max bytes. */
  readonly patch: SqliteStatementLike;
  /** key, now: a row when the record exists and has not expired. */
  readonly live: SqliteStatementLike;
  /** expires, key, now. */
  readonly touch: SqliteStatementLike;
  /** key. */
  readonly destroy: SqliteStatementLike;
  /** user, now. */
  readonly listByUser: SqliteStatementLike;
  /** user, key to keep (or null); returns each deleted row's expires_at. */
  readonly destroyByUser: SqliteStatementLike;
  /** now, batch size. */
  readonly prune: SqliteStatementLike;
}

const COLUMNS = 'data, created_at, expires_at, absolute_expires_at, user_id';

/** Prepares the statements for table `name` (already validated) on `db`. */
export function prepareSqliteStatements(db: SqliteDatabaseLike, name: string): SqliteStatements {
  const t = `"${name}"`;
  return {
    get: db.prepare(`SELECT ${COLUMNS} FROM ${t} WHERE key = ? AND expires_at > ?`),
    set: db.prepare(`INSERT INTO ${t} (key, ${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (key) DO UPDATE SET data = excluded.data, created_at = excluded.created_at,
  expires_at = excluded.expires_at, absolute_expires_at = excluded.absolute_expires_at,
  user_id = excluded.user_id`),
    // One UPDATE, so atomic against other connections and processes (SQLite serialises
    // writers); see record.ts for why json_patch is exact here.
    // The last condition bounds the patched data (SessionPatch.maxDataBytes): UTF-8 bytes
    // of every key and text, as the engine counts them when it reads the record.
    patch: db.prepare(`UPDATE ${t}
SET data = json_patch(data, ?), expires_at = ?,
  user_id = CASE WHEN ? THEN ? ELSE user_id END
WHERE key = ? AND expires_at > ? AND (? IS NULL OR (
  SELECT coalesce(sum(length(CAST(j.key AS BLOB)) + length(CAST(j.value AS BLOB))), 0)
  FROM json_each(json_patch(data, ?)) AS j
) <= ?)`),
    live: db.prepare(`SELECT 1 AS live FROM ${t} WHERE key = ? AND expires_at > ?`),
    touch: db.prepare(`UPDATE ${t} SET expires_at = ? WHERE key = ? AND expires_at > ?`),
    destroy: db.prepare(`DELETE FROM ${t} WHERE key = ?`),
    listByUser: db.prepare(`SELECT key, ${COLUMNS} FROM ${t}
WHERE user_id = ? AND expires_at > ? ORDER BY created_at, key`),
    destroyByUser: db.prepare(
      `DELETE FROM ${t} WHERE user_id = ? AND key IS NOT ? RETURNING expires_at`,
    ),
    // One batch: the rowids come from the expires_at index, the delete is by rowid.
    prune: db.prepare(
      `DELETE FROM ${t} WHERE rowid IN (SELECT rowid FROM ${t} WHERE expires_at <= ? LIMIT ?)`,
    ),
  };
}
