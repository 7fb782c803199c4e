/**
 * Turns SQL rows into session records and back; shared by the PostgreSQL and SQLite
 * stores, so rows can be copied between the two.
 *
 * The `data` column holds the contract's map exactly as the engine hands it over: a JSON
 * object whose values are JSON *strings* containing each top-level value's JSON text,
 * e.g. `{"userId":"\"u1\"","views":"3"}`. Storing the text rather than the parsed value
 * keeps the round trip byte-exact (a structured `jsonb` reorders object keys, drops
 * whitespace and rewrites `1.0`) and lets every string the engine can produce in:
 * structured `jsonb` rejects `\u0000` and lone surrogates (errors 22P05 and 22P02), so a
 * user typing a NUL into a field the app keeps in its session would otherwise turn every
 * later write of that session into a 503. Per-key patches stay one statement: a shallow
 * merge of two such objects (`jsonb ||`, or SQLite's `json_patch()`, which deletes on
 * `null`) is exactly "set these keys".
 */

import { CorruptRecordError } from '../../errors.js';
import type { SessionRecord, UserSessionEntry } from '../contract.js';

/** A session row as the store's SELECTs return it. Every field is untrusted. */
export interface SessionRow {
  readonly data: unknown;
  readonly created_at: unknown;
  readonly expires_at: unknown;
  readonly absolute_expires_at: unknown;
  readonly user_id: unknown;
}

/** The `data` column text for a record's data (or a patch's `set`). */
export function encodeData(data: Readonly<Record<string, string>>): string {
  return JSON.stringify(data);
}

/** An instant as stored: whole milliseconds, so integer columns never refuse it. */
export function encodeInstant(instant: number): number {
  return Math.floor(instant);
}

/**
 * Reads one row. Throws `CorruptRecordError` when the row is not a session this store
 * wrote: data that is not a JSON object of JSON texts, or instants that are not integers.
 */
export function decodeRecord(row: SessionRow): SessionRecord {
  return {
    data: decodeData(row.data),
    createdAt: decodeInstant(row.created_at, 'created_at'),
    expiresAt: decodeInstant(row.expires_at, 'expires_at'),
    absoluteExpiresAt: decodeInstant(row.absolute_expires_at, 'absolute_expires_at'),
    userId: decodeUserId(row.user_id),
  };
}

function decodeData(text: unknown): Record<string, string> {
  if (typeof text !== 'string') throw new CorruptRecordError('data is not text');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CorruptRecordError('data is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CorruptRecordError('data is not a JSON object');
  }
  // JSON.parse makes a `__proto__` key an own data property, never a prototype; the
  // engine drops such keys when it parses the values.
  for (const value of Object.values(parsed)) {
    if (typeof value !== 'string' || !isJsonText(value)) {
      throw new CorruptRecordError('a data value is not JSON text');
    }
  }
  return parsed as Record<string, string>;
}

function isJsonText(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const INTEGER_TEXT = /^-?\d{1,16}$/;

// Drivers return int8 as text (node-postgres' default), a number (SQLite, or a custom
// pg type parser) or a bigint; all must be a safe integer to be an instant.
function decodeInstant(value: unknown, column: string): number {
  let instant: number | undefined;
  if (typeof value === 'number') instant = value;
  else if (typeof value === 'bigint') instant = Number(value);
  else if (typeof value === 'string' && INTEGER_TEXT.test(value)) instant = Number(value);
  if (instant === undefined || !Number.isSafeInteger(instant)) {
    throw new CorruptRecordError(`${column} is not an integer instant`);
  }
  return instant;
}

function decodeUserId(value: unknown): string | null {
  if (value === null || typeof value === 'string') return value;
  throw new CorruptRecordError('user_id is not text');
}

/** Decodes listed rows into entries; a corrupt row can never be loaded, so it is left out. */
export function decodeListedRows(rows: readonly unknown[]): UserSessionEntry[] {
  const entries: UserSessionEntry[] = [];
  for (const row of rows as (SessionRow & { key: string })[]) {
    try {
      entries.push({ key: row.key, record: decodeRecord(row) });
    } catch {
      // Not a session anyone could resume, so not one to list.
    }
  }
  return entries;
}
