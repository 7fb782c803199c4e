/**
 * The contract between the engine and the two session modes. A strategy owns everything
 * its mode does with cookies and the server: how a request's cookie is verified and its
 * session read, how a new session is issued, how a continuing one is saved, and how one
 * is revoked. The engine owns the policy both modes share: the lifecycle, timeouts,
 * change detection, events and the response plan.
 */
import type { ParsedCookies } from '../cookies/parse.js';
import type { ResolvedSessionCookie } from '../cookies/precomputed.js';
import type { RejectionReason } from './events.js';
import type { DeviceInfo, Origin, SessionHandle } from './lifecycle.js';
import type { DataDiff } from './snapshot.js';
import type { VerifiedCacheStats } from './verified-cache.js';
import type { Writes } from './writes.js';

/** A cookie that passed its cryptographic check; reading its session may still need I/O. */
export interface Verified {
  readonly handle: SessionHandle;
  /** Resolves the session behind the cookie (or why there is none). */
  resolve(): Origin | RejectionReason | Promise<Origin | RejectionReason>;
}

/** What reading a request's session cookies produced, before any I/O. */
export interface CookieReading {
  /** `null`: no session cookie at all. */
  readonly result: Verified | RejectionReason | null;
  /** This session's cookie names present in the request (to expire when refused or ended). */
  readonly present: readonly string[];
}

/** The reading of a request without this session's cookie (the common guest case). */
export const NO_COOKIE: CookieReading = Object.freeze({ result: null, present: Object.freeze([]) });

/** A session to issue under a new id: creation, regeneration, or data after destroy. */
export interface NewSession {
  readonly keys: readonly string[];
  readonly texts: readonly string[];
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly absoluteExpiresAt: number;
  readonly userId: string | null;
  readonly device: DeviceInfo | null;
  readonly present: readonly string[];
  readonly maxAge: number | undefined;
}

/** A session that keeps its id: data changes, touches, re-issue after key rotation. */
export interface ContinuedSession {
  readonly origin: Origin;
  /** `null` when the data did not change. */
  readonly diff: DataDiff | null;
  readonly keys: readonly string[];
  readonly texts: readonly string[];
  readonly expiresAt: number;
  /** The idle expiry should be extended now (lazy touch due, or `touch()` called). */
  readonly touchDue: boolean;
  readonly present: readonly string[];
  readonly maxAge: number | undefined;
}

/** What issuing a session produced. */
export interface IssuedSession {
  readonly lines: string[];
  /** The new id (store mode) or nonce (cookie mode), named in events. */
  readonly id: string;
  /** Its store or registry key, `null` when nothing is kept on the server. */
  readonly key: string | null;
  /** What `Session.id` reports: the id in store mode, `undefined` in cookie mode. */
  readonly publicId: string | undefined;
}

/** One session mode: cookie mode (sealed data) or store mode (signed id). */
export interface SessionStrategy {
  readonly mode: 'cookie' | 'store';
  /** Verifies the request's session cookie(s); no I/O. */
  read(cookies: ParsedCookies, name: string): CookieReading;
  /** Issues a session; returns its `Set-Cookie` lines and adds its writes; `id` is its new id. */
  create(session: NewSession, cookie: ResolvedSessionCookie, writes: Writes): IssuedSession;
  /** Saves a continuing session; returns its `Set-Cookie` lines (often none). */
  update(session: ContinuedSession, cookie: ResolvedSessionCookie, writes: Writes): string[];
  /** Ends a session on the server side, if this mode keeps anything there. */
  revoke(handle: SessionHandle, writes: Writes): void;
  /** What the cache of verified cookies has done. */
  cacheStats(): VerifiedCacheStats;
}
