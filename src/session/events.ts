/**
 * The session engine's events, for logging and metrics. None carries a secret, a session
 * id or a cookie value: sessions are named by `sessionRef` (S-57). They join the open
 * event set of every Tessera module (`TesseraEventMap` in `kernel/events.ts`).
 */
import type { SessionStoreError } from '../errors.js';
import type { TesseraEvent } from '../kernel/events.js';

/** Why a session cookie was not accepted; the request continues as a guest. */
export type RejectionReason =
  /** The cookie failed authentication (forged, altered, wrong key, wrong purpose). */
  | 'tamper'
  /** The cookie is not in Tessera's format (bad encoding, broken chunks, unknown version, quotes). */
  | 'malformed'
  /** The session's idle or absolute timeout has passed. */
  | 'expired'
  /** Store mode: a well-signed id with no session behind it (expired, destroyed, revoked). */
  | 'unknown'
  /** Cookie mode with a registry: the sealed session was revoked (signed out, regenerated). */
  | 'revoked'
  /** The application's `validate` hook refused the session (e.g. the password changed). */
  | 'invalid'
  /** The session cookie name appeared more than once (cookie tossing, S-07). */
  | 'duplicate_cookie'
  /** The stored or sealed data is unreadable, too deep, or too large. */
  | 'corrupt';

declare module '../kernel/events.js' {
  interface TesseraEventMap {
    'session.created': { readonly sessionRef: string };
    'session.regenerated': { readonly sessionRef: string; readonly previousRef: string };
    'session.destroyed': { readonly sessionRef: string };
    'session.rejected': { readonly reason: RejectionReason };
    /** A patch found no record: the session ended meanwhile. */
    'session.vanished': { readonly sessionRef: string };
    /** A store call failed; the request got a 503 unless it could go on without it. */
    'session.store_error': { readonly operation: string; readonly error: Error };
    /**
     * Revoking a session on the server failed (store down). The browser's cookie was
     * expired anyway; the record lives on until its own expiry (S-55).
     */
    'session.revoke_failed': { readonly sessionRef: string; readonly error: SessionStoreError };
    /** The store was unreachable and the request went on as a read-only guest (S-55). */
    'session.degraded': { readonly operation: string; readonly error: Error };
  }
}

/** One session engine event. */
export type SessionEvent = Extract<TesseraEvent, { readonly type: `session.${string}` }>;

/** Names of {@link SessionEvent} types. */
export type SessionEventType = SessionEvent['type'];
