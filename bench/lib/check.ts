/**
 * The cookie check run before and after each measurement. A row that fails it is
 * aborted loudly, because its numbers would describe some other code path (typically
 * the cheap guest path of a session library that silently rejected the cookie).
 */
import { cookieHeader, probe } from './probe.js';

/** How a row's handler treats the session. */
export type RowMode = 'bare' | 'read' | 'write';

/** Where the session data lives: sealed/signed in the cookie, or on the server. */
export type Storage = 'none' | 'cookie' | 'server';

/** What the check needs to know about a row. */
export interface CheckedRow {
  readonly mode: RowMode;
  readonly storage: Storage;
}

/** Raised when a server does not behave as its row claims; the message says how. */
export class RowCheckError extends Error {
  override readonly name = 'RowCheckError';
}

function fail(what: string): never {
  throw new RowCheckError(what);
}

async function counterWith(port: number, cookie: string) {
  const res = await probe(port, '/', cookie);
  if (res.status !== 200) fail(`GET / with the session cookie answered ${res.status}`);
  return { count: Number(res.body), body: res.body, setsCookie: res.setCookies.length > 0 };
}

/**
 * Obtains the cookie the load will carry (from `GET /init`, which sets the counter to 1)
 * and verifies that `GET /` accepts it. Returns the Cookie header, or null for bare rows.
 */
export async function obtainVerifiedCookie(port: number, row: CheckedRow): Promise<string | null> {
  if (row.mode === 'bare') {
    const res = await probe(port, '/', null);
    if (res.status !== 200) fail(`GET / answered ${res.status}`);
    return null;
  }
  const init = await probe(port, '/init', null);
  if (init.status !== 200 || init.body !== '1')
    fail(`GET /init answered ${init.status} "${init.body}"`);
  if (init.setCookies.length === 0) fail('GET /init set no cookie');
  const cookie = cookieHeader(init.setCookies);
  if (row.mode === 'read') {
    await verifyRead(port, cookie);
    return cookie;
  }
  const first = await counterWith(port, cookie);
  if (first.count !== 2)
    fail(`WRITE saw counter "${first.body}" instead of 2: cookie not accepted`);
  if (row.storage === 'cookie' && !first.setsCookie) fail('WRITE did not re-issue the cookie');
  if (row.storage === 'server') {
    // The store must have kept the first write: the same cookie now reads 2 and writes 3.
    const second = await counterWith(port, cookie);
    if (second.count !== 3) fail(`second WRITE saw "${second.body}" instead of 3: not persisted`);
  }
  return cookie;
}

/**
 * {@link obtainVerifiedCookie} `count` times (eight at a time), for loads spread over
 * many sessions. Bare rows give an empty list.
 */
export async function obtainVerifiedCookies(
  port: number,
  row: CheckedRow,
  count: number,
): Promise<string[]> {
  const first = await obtainVerifiedCookie(port, row);
  if (first === null) return [];
  const cookies = [first];
  while (cookies.length < count) {
    const batch = Math.min(8, count - cookies.length);
    const more = await Promise.all(
      Array.from({ length: batch }, () => obtainVerifiedCookie(port, row)),
    );
    cookies.push(...(more as string[]));
  }
  return cookies;
}

/** READ with `cookie` must see counter 1 and must not send a Set-Cookie. */
export async function verifyRead(port: number, cookie: string): Promise<void> {
  const res = await counterWith(port, cookie);
  if (res.count !== 1) fail(`READ saw counter "${res.body}" instead of 1: cookie not accepted`);
  if (res.setsCookie) fail('READ got a Set-Cookie: a read-only request must not write');
}

/** After a load: the cookie must still be accepted (READ unchanged, WRITE still counting). */
export async function verifyStillAccepted(port: number, row: CheckedRow, cookie: string | null) {
  if (row.mode === 'bare' || cookie === null) return;
  if (row.mode === 'read') return verifyRead(port, cookie);
  const res = await counterWith(port, cookie);
  if (!(res.count >= 2)) fail(`WRITE after the load saw "${res.body}": cookie no longer accepted`);
}
