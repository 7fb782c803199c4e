/**
 * How a session is laid out in Redis (see docs/stores-redis.md for the whole picture).
 *
 * One hash per session. Every field name starts with a two-character namespace, so a
 * data key can never collide with metadata, whatever the application names it:
 * - `d:<key>` — one field per top-level session key, holding its JSON text;
 * - `m:c`, `m:e`, `m:a` — createdAt, expiresAt, absoluteExpiresAt (decimal milliseconds);
 * - `m:u` — the bound user id, absent when the session is anonymous;
 * - `m:b` — bytes of the data fields (UTF-8 of keys without `d:`, and values), kept by
 *   the scripts so a patch checks `maxDataBytes` without reading the whole hash.
 */
import { InvalidSessionDataError } from '../../errors.js';
import type { SessionRecord } from '../contract.js';
import { recordBytes } from '../data-bytes.js';

/** Field-name namespace of session data keys. */
export const DATA = 'd:';
/** Metadata field names. */
export const META = {
  created: 'm:c',
  expires: 'm:e',
  absolute: 'm:a',
  user: 'm:u',
  bytes: 'm:b',
} as const;

/** The hash holding the session stored under `key`. */
export function sessionKey(prefix: string, key: string): string {
  return `${prefix}s:${key}`;
}

/** The sorted set indexing the sessions of `userId`. */
export function userIndexKey(prefix: string, userId: string): string {
  return `${prefix}u:${userId}`;
}

// A lone UTF-16 surrogate cannot be encoded as UTF-8: the driver would send U+FFFD and
// two distinct keys or user ids would silently become one in Redis.
const LONE_SURROGATE = /\p{Surrogate}/u;

/** Rejects text Redis would not store exactly as given. */
export function storable(text: string, what: string): string {
  if (LONE_SURROGATE.test(text)) {
    throw new InvalidSessionDataError(`${what} is not well-formed Unicode and cannot be stored`);
  }
  return text;
}

/** True when `text` would survive the trip to Redis unchanged. */
export function isStorable(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/** An instant as a decimal string, refusing values that would not survive the round trip. */
export function instant(ms: number): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) {
    throw new InvalidSessionDataError('session instants must be finite numbers of milliseconds');
  }
  return String(ms);
}

/** A whole-millisecond instant for `PEXPIREAT` (which takes integers only), rounded up. */
export function expiryArgument(ms: number): string {
  instant(ms);
  return String(Math.ceil(ms));
}

/** `[field, value, ...]` for the whole record, ready for HSET. */
export function recordFields(record: SessionRecord): string[] {
  const fields = [
    META.created,
    instant(record.createdAt),
    META.expires,
    instant(record.expiresAt),
    META.absolute,
    instant(record.absoluteExpiresAt),
    META.bytes,
    String(recordBytes(record.data)),
  ];
  if (record.userId !== null) fields.push(META.user, storable(record.userId, 'userId'));
  return fields.concat(dataFields(record.data));
}

/** `[field, value, ...]` for data keys. */
export function dataFields(data: Readonly<Record<string, string>>): string[] {
  const fields: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    fields.push(DATA + storable(key, 'a session key'), storable(value, 'a session value'));
  }
  return fields;
}

/** The hash fields to delete for `keys`. */
export function removedFields(keys: readonly string[]): string[] {
  return keys.map((key) => DATA + storable(key, 'a session key'));
}
