/**
 * The one statement each store method runs. Every value travels as a bind parameter;
 * only the validated, quoted table name is spliced in.
 */

import type { PostgresTableName } from './schema.js';

/** SQL text per operation. */
export interface PostgresStatements {
  /** `$1` key, `$2` now. */
  readonly get: string;
  /** `$1` key, `$2` data, `$3` created, `$4` expires, `$5` absolute expiry, `$6` user. */
  readonly set: string;
  /** `$1` key, `$2` keys to set, `$3` keys to remove, `$4` expires, `$5` change user?, `$6` user, `$7` now, `$8` max data bytes (or null). */
  readonly patch: string;
  /** `$1` key, `$2` now: a row when the record exists and has not expired. */
  readonly live: string;
  /** `$1` key, `$2` expires, `$3` now. */
  readonly touch: string;
  /** `$1` key. */
  readonly destroy: string;
  /** `$1` user, `$2` now. */
  readonly listByUser: string;
  /** `$1` user, `$2` key to keep (or null), `$3` now; returns `count`. */
  readonly destroyByUser: string;
  /** `$1` now. */
  readonly prune: string;
}

const COLUMNS = 'data::text AS data, created_at, expires_at, absolute_expires_at, user_id';

/** Builds the statements for one table. */
export function postgresStatements(table: PostgresTableName): PostgresStatements {
  const t = table.quoted;
  return {
    get: `SELECT ${COLUMNS} FROM ${t} WHERE key = $1 AND expires_at > $2`,
    set: `INSERT INTO ${t} (key, data, created_at, expires_at, absolute_expires_at, user_id)
VALUES ($1, $2::jsonb, $3, $4, $5, $6)
ON CONFLICT (key) DO UPDATE SET data = EXCLUDED.data, created_at = EXCLUDED.created_at,
  expires_at = EXCLUDED.expires_at, absolute_expires_at = EXCLUDED.absolute_expires_at,
  user_id = EXCLUDED.user_id`,
    // `||` is a shallow merge, which is exactly "set these keys" because every value is
    // a JSON string (see record.ts); the row lock the UPDATE takes makes it atomic.
    // The last condition bounds the patched data (SessionPatch.maxDataBytes): UTF-8 bytes
    // of every key and text, as the engine counts them when it reads the record.
    patch: `UPDATE ${t}
SET data = (data || $2::jsonb) - $3::text[], expires_at = $4,
  user_id = CASE WHEN $5::boolean THEN $6::text ELSE user_id END
WHERE key = $1 AND expires_at > $7 AND ($8::bigint IS NULL OR (
  SELECT coalesce(sum(octet_length(e.key) + octet_length(e.value)), 0)
  FROM jsonb_each_text((data || $2::jsonb) - $3::text[]) AS e
) <= $8::bigint)`,
    live: `SELECT 1 FROM ${t} WHERE key = $1 AND expires_at > $2`,
    touch: `UPDATE ${t} SET expires_at = $2 WHERE key = $1 AND expires_at > $3`,
    destroy: `DELETE FROM ${t} WHERE key = $1`,
    listByUser: `SELECT key, ${COLUMNS} FROM ${t}
WHERE user_id = $1 AND expires_at > $2 ORDER BY created_at, key`,
    // Expired rows of the user go too, but only live sessions count as signed out.
    destroyByUser: `WITH deleted AS (
  DELETE FROM ${t} WHERE user_id = $1 AND key IS DISTINCT FROM $2::text RETURNING expires_at
) SELECT (count(*) FILTER (WHERE expires_at > $3))::int AS count FROM deleted`,
    // One batch: keys from the expires_at index; SKIP LOCKED so two processes pruning at
    // once split the work instead of waiting on each other's rows.
    prune: `DELETE FROM ${t} WHERE key IN (
  SELECT key FROM ${t} WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED
)`,
  };
}
