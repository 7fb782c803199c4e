/**
 * How a Tessera record is handed to a connect store: as an express-session-shaped object
 * the store can serialize (JSON) and expire.
 *
 * ```json
 * { "cookie": { "originalMaxAge": 1800000, "maxAge": 1800000, "expires": "<Date>",
 *               "httpOnly": true, "path": "/" },
 *   "tessera": { "v": 1, "createdAt": 0, "expiresAt": 0, "absoluteExpiresAt": 0,
 *                "userId": null, "data": { "<key>": "<JSON text>" } } }
 * ```
 * `cookie` exists only for the store: connect stores derive their TTL from
 * `cookie.expires` (or `maxAge`), so it carries the idle expiry. `tessera` is the record;
 * data values stay JSON *text*, so they round-trip byte for byte.
 */
import { CorruptRecordError } from '../../errors.js';
import type { SessionRecord } from '../contract.js';

/** The session object written to the connect store. */
export interface ConnectSession {
  readonly cookie: {
    readonly originalMaxAge: number;
    readonly maxAge: number;
    readonly expires: Date;
    readonly httpOnly: true;
    readonly path: '/';
  };
  readonly tessera: {
    readonly v: 1;
    readonly createdAt: number;
    readonly expiresAt: number;
    readonly absoluteExpiresAt: number;
    readonly userId: string | null;
    readonly data: Record<string, string>;
  };
}

/** The object for `record`, as of `now` (the store's TTL counts from there). */
export function toConnectSession(record: SessionRecord, now: number): ConnectSession {
  const maxAge = record.expiresAt - now;
  return {
    cookie: {
      originalMaxAge: maxAge,
      maxAge,
      expires: new Date(record.expiresAt),
      httpOnly: true,
      path: '/',
    },
    tessera: {
      v: 1,
      createdAt: record.createdAt,
      expiresAt: record.expiresAt,
      absoluteExpiresAt: record.absoluteExpiresAt,
      userId: record.userId,
      // A copy with own properties only, so the caller's object never aliases the store's.
      data: Object.fromEntries(Object.entries(record.data)),
    },
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function finite(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new CorruptRecordError(`${name} is not a number`);
  }
  return value;
}

/**
 * The record inside a session object read from the store. The store's contents are
 * untrusted: the same store may hold express-session sessions or anything else.
 */
export function fromConnectSession(session: unknown): SessionRecord {
  if (!isPlainObject(session)) throw new CorruptRecordError('not an object');
  const t = session.tessera;
  if (!isPlainObject(t) || t.v !== 1) throw new CorruptRecordError('not a Tessera session');
  if (t.userId !== null && typeof t.userId !== 'string') {
    throw new CorruptRecordError('userId is not a string');
  }
  if (!isPlainObject(t.data)) throw new CorruptRecordError('data is not an object');
  const data: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(t.data)) {
    if (typeof value !== 'string') throw new CorruptRecordError('a data value is not JSON text');
    data.push([key, value]);
  }
  return {
    // fromEntries defines own properties: a `__proto__` key stays plain data.
    data: Object.fromEntries(data),
    createdAt: finite(t.createdAt, 'createdAt'),
    expiresAt: finite(t.expiresAt, 'expiresAt'),
    absoluteExpiresAt: finite(t.absoluteExpiresAt, 'absoluteExpiresAt'),
    userId: t.userId,
  };
}
