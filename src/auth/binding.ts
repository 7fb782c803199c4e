import type { Session } from '../session/session.js';
import { readSystemEntry, writeSystemEntry } from '../session/system.js';

/**
 * What sign-in records in the session beside its user id (the `tessera:auth` system
 * entry, sealed in the cookie or kept in the store record; never in `session.data`).
 * The session generation is what lets "sign out everywhere" and a password change end
 * sessions the server cannot reach: a cookie-mode session carries the generation it was
 * signed in under, and stops authenticating once the user's generation moves on.
 */
export interface SignInRecord {
  /** The user's session generation at sign-in. */
  readonly generation: number;
  /** When the user signed in (ms since epoch). */
  readonly signedInAt: number;
  /** The client address at sign-in, when known (bounded). */
  readonly address: string | null;
  /** The user agent at sign-in, when known (bounded). */
  readonly userAgent: string | null;
}

const KEY = 'tessera:auth';
const MAX_USER_AGENT = 256;
const MAX_ADDRESS = 64;

function bounded(value: unknown, max: number): string | null {
  return typeof value === 'string' && value.length > 0 ? value.slice(0, max) : null;
}

/** The sign-in record of `session`, or `null` (never signed in through Tessera, or unreadable). */
export function readSignIn(session: Session<object>): SignInRecord | null {
  const text = readSystemEntry(session, KEY);
  if (text === undefined) return null;
  try {
    const { g, t, a, ua } = JSON.parse(text) as Record<string, unknown>;
    if (!Number.isSafeInteger(g) || (g as number) < 0) return null;
    if (!Number.isSafeInteger(t) || (t as number) < 0) return null;
    return {
      generation: g as number,
      signedInAt: t as number,
      address: bounded(a, MAX_ADDRESS),
      userAgent: bounded(ua, MAX_USER_AGENT),
    };
  } catch {
    return null;
  }
}

/** Records a sign-in in `session` (saved at commit). */
export function writeSignIn(session: Session<object>, record: SignInRecord): void {
  const text = JSON.stringify({
    g: record.generation,
    t: record.signedInAt,
    a: bounded(record.address, MAX_ADDRESS),
    ua: bounded(record.userAgent, MAX_USER_AGENT),
  });
  writeSystemEntry(session, KEY, text);
}

/** Removes the sign-in record (sign-out keeps nothing of it). */
export function clearSignIn(session: Session<object>): void {
  writeSystemEntry(session, KEY, undefined);
}
