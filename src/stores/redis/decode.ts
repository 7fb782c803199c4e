/**
 * Turns an HGETALL reply back into a SessionRecord. Everything read from Redis is
 * untrusted: another program may have written the key, so any deviation from the layout
 * in `layout.ts` is a CorruptRecordError, never a crash or a half-read record.
 */
import { Buffer } from 'node:buffer';
import { CorruptRecordError } from '../../errors.js';
import type { SessionRecord } from '../contract.js';
import { DATA, META } from './layout.js';

// Decimal milliseconds exactly as `layout.instant` writes them; Number() alone would also
// accept '', ' ', '0x10' and 'Infinity'.
const INSTANT = /^-?\d{1,16}(?:\.\d{1,16})?$/;

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  throw new CorruptRecordError('hash field is not a string');
}

/**
 * The reply as `[field, value]` pairs. RESP2 sends a flat array; RESP3 clients may hand
 * over a `Map` or a plain object (ioredis turns a lower-case `hgetall` into one).
 */
function pairs(reply: unknown): Array<[string, string]> {
  if (Array.isArray(reply)) {
    if (reply.length % 2 !== 0) throw new CorruptRecordError('odd HGETALL reply');
    const out: Array<[string, string]> = [];
    for (let i = 0; i < reply.length; i += 2) out.push([text(reply[i]), text(reply[i + 1])]);
    return out;
  }
  if (reply instanceof Map) return [...reply].map(([f, v]) => [text(f), text(v)]);
  if (typeof reply === 'object' && reply !== null) {
    return Object.entries(reply).map(([f, v]) => [f, text(v)]);
  }
  if (reply === null || reply === undefined) return [];
  throw new CorruptRecordError('unexpected HGETALL reply');
}

function parseInstant(value: string | undefined, field: string): number {
  if (value === undefined) throw new CorruptRecordError(`missing ${field}`);
  if (!INSTANT.test(value)) throw new CorruptRecordError(`${field} is not a number`);
  return Number(value);
}

/** The record in an HGETALL reply, or `null` when the hash does not exist. */
export function decodeRecord(reply: unknown): SessionRecord | null {
  const fields = pairs(reply);
  if (fields.length === 0) return null;
  const data: Array<[string, string]> = [];
  const meta = new Map<string, string>();
  for (const [field, value] of fields) {
    if (field.startsWith(DATA)) data.push([field.slice(DATA.length), value]);
    else if (field.startsWith('m:')) meta.set(field, value);
    else throw new CorruptRecordError('hash field outside the d:/m: namespaces');
  }
  const createdAt = parseInstant(meta.get(META.created), 'createdAt');
  const expiresAt = parseInstant(meta.get(META.expires), 'expiresAt');
  const absoluteExpiresAt = parseInstant(meta.get(META.absolute), 'absoluteExpiresAt');
  const userId = meta.get(META.user) ?? null;
  // Object.fromEntries defines own properties, so a key named `__proto__` stays data.
  return { data: Object.fromEntries(data), createdAt, expiresAt, absoluteExpiresAt, userId };
}
