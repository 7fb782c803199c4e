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
 *
 * Sessions written by express-session itself (`{ "cookie": {...}, "views": 3, ... }`,
 * no `tessera` field) are read too, see {@link fromExpressSession}.
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
 * untrusted: the same store may hold express-session sessions or anything else. A
 * session with a `tessera` field must be a valid Tessera record; one without it is read
 * as an express-session session, as of `now`.
 */
export function fromConnectSession(session: unknown, now: number): SessionRecord {
  if (!isPlainObject(session)) throw new CorruptRecordError('not an object');
  if (!Object.hasOwn(session, 'tessera')) return fromExpressSession(session, now);
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

/** The latest instant a `Date` can hold: "no expiry" that still survives JSON. */
const NO_EXPIRY = 8_640_000_000_000_000;

function instant(value: unknown, name: string): number | null {
  if (value === null || value === undefined) return null;
  const time =
    typeof value === 'string'
      ? Date.parse(value)
      : value instanceof Date
        ? value.valueOf()
        : Number.NaN;
  if (!Number.isFinite(time)) throw new CorruptRecordError(`${name} is not a date`);
  return time;
}

/**
 * A session as express-session writes it: `cookie` (with `expires` and `originalMaxAge`)
 * beside the application's properties. Each property becomes one data key holding its
 * JSON text. `id` and names inherited by every object (`__proto__`, `constructor`, ...)
 * are skipped, as express-session skips them when it loads a session.
 *
 * express-session keeps no creation time, no absolute expiry and no user id, so:
 * `expiresAt` is `cookie.expires` (none: the latest date, the store's own TTL decides),
 * `absoluteExpiresAt` is the latest date (express-session has no absolute timeout),
 * `createdAt` is when the cookie's lifetime last started (`expires - originalMaxAge`;
 * `now` when unknown) and `userId` is `null`. Written back, the record is a Tessera one.
 */
export function fromExpressSession(session: Record<string, unknown>, now: number): SessionRecord {
  const cookie = session.cookie;
  if (!isPlainObject(cookie)) throw new CorruptRecordError('not a session: no cookie object');
  const expires = instant(cookie.expires, 'cookie.expires');
  const originalMaxAge = cookie.originalMaxAge;
  const data: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(session)) {
    if (key === 'cookie' || key === 'id' || key in Object.prototype) continue;
    const text = JSON.stringify(value);
    if (text !== undefined) data.push([key, text]);
  }
  return {
    data: Object.fromEntries(data),
    createdAt:
      expires !== null && typeof originalMaxAge === 'number' && Number.isFinite(originalMaxAge)
        ? expires - originalMaxAge
        : now,
    expiresAt: expires ?? NO_EXPIRY,
    absoluteExpiresAt: NO_EXPIRY,
    userId: null,
  };
}
