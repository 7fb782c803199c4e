/**
 * Events the engine reports to `onEvent`, for logging and metrics. None carries a
 * secret, a session id or a cookie value: sessions are named by `sessionRef`, a short
 * keyed hash that correlates log lines without being usable as a credential (S-57).
 */

/** Why a session cookie was not accepted; the request continues as a guest. */
export type RejectionReason =
  /** The cookie failed authentication (forged, altered, wrong key, wrong purpose). */
  | 'tamper'
  /** The cookie is not in Tessera's format (bad encoding, broken chunks, unknown version). */
  | 'malformed'
  /** The session's idle or absolute timeout has passed. */
  | 'expired'
  /** Store mode: a well-signed id with no session behind it (expired, destroyed, revoked). */
  | 'unknown'
  /** The session cookie name appeared more than once (cookie tossing, S-07). */
  | 'duplicate_cookie'
  /** The stored or sealed data is unreadable, too deep, or too large. */
  | 'corrupt';

/** One engine event. */
export type SessionEvent =
  | { readonly type: 'session.created'; readonly sessionRef: string }
  | {
      readonly type: 'session.regenerated';
      readonly sessionRef: string;
      readonly previousRef: string;
    }
  | { readonly type: 'session.destroyed'; readonly sessionRef: string }
  | { readonly type: 'session.rejected'; readonly reason: RejectionReason }
  | { readonly type: 'session.vanished'; readonly sessionRef: string }
  | {
      readonly type: 'session.store_error';
      readonly operation: string;
      readonly error: Error;
    };

/** Names of {@link SessionEvent} types. */
export type SessionEventType = SessionEvent['type'];
