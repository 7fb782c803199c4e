/**
 * Turns a record read from a store into `req.session`. Records written by express-session
 * (and by this module) are `{ cookie: { originalMaxAge, expires, ... }, ...data }`.
 * The store's contents are untrusted: a record that is not of that shape is refused with
 * an error (the middleware then starts a fresh session) instead of crashing a request.
 */
import type { IncomingMessage } from 'node:http';
import { CorruptRecordError } from '../../errors.js';
import { Cookie } from './cookie.js';
import { Session, type SessionRequest } from './session.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const COOKIE_FIELDS = [
  'originalMaxAge',
  'partitioned',
  'priority',
  'secure',
  'httpOnly',
  'domain',
  'path',
  'sameSite',
] as const;

/** The record's `cookie` field as a {@link Cookie}; only known fields are taken. */
function cookieOf(stored: unknown): Cookie {
  if (!isObject(stored)) throw new CorruptRecordError('the record has no cookie object');
  const options: Record<string, unknown> = {};
  for (const field of COOKIE_FIELDS) {
    if (Object.hasOwn(stored, field)) options[field] = stored[field];
  }
  const cookie = new Cookie(options);
  const expires = stored.expires;
  if (typeof expires === 'string' || expires instanceof Date) {
    const date = new Date(expires);
    if (Number.isNaN(date.valueOf())) throw new CorruptRecordError('cookie.expires is not a date');
    cookie.expires = date;
  } else if (expires !== null && expires !== undefined) {
    throw new CorruptRecordError('cookie.expires is not a date');
  }
  // express-session restores originalMaxAge after the expires setter overwrote it.
  const original = stored.originalMaxAge;
  cookie.originalMaxAge =
    typeof original === 'number' && Number.isFinite(original) ? original : null;
  if (cookie.path !== undefined && typeof cookie.path !== 'string') {
    throw new CorruptRecordError('cookie.path is not a string');
  }
  if (cookie.domain !== undefined && typeof cookie.domain !== 'string') {
    throw new CorruptRecordError('cookie.domain is not a string');
  }
  return cookie;
}

/**
 * Makes `record` the request's session (`req.session`) and returns it.
 * @throws {CorruptRecordError} when the record is not a session.
 */
export function createSession(req: IncomingMessage, record: unknown): Session {
  if (!isObject(record)) throw new CorruptRecordError('the record is not an object');
  const cookie = cookieOf(record.cookie);
  const session = new Session(req, record);
  session.cookie = cookie;
  (req as SessionRequest).session = session;
  return session;
}
