/**
 * The express-session store API (the "connect store" callback contract), typed
 * structurally so that neither express-session nor any store package is imported.
 * Stores such as connect-redis, connect-pg-simple, connect-mongo or express-session's own
 * MemoryStore fit it as they are; methods may also return a promise (ignored).
 */

/** Node-style callback of a connect store. */
export type ConnectCallback<T = unknown> = (error?: unknown, value?: T) => void;

/** A store written for express-session. Only `get`, `set` and `destroy` are required. */
export interface ConnectStoreLike {
  /** Reads a session; `callback(null, null | undefined)` when there is none. */
  get(sid: string, callback: (error: unknown, session?: unknown) => void): unknown;
  /** Creates or replaces a session; the store derives its TTL from `session.cookie`. */
  set(sid: string, session: object, callback?: (error?: unknown) => void): unknown;
  /** Deletes a session. */
  destroy(sid: string, callback?: (error?: unknown) => void): unknown;
  /**
   * Lists every session, as an array of sessions carrying their `id` (connect-redis) or
   * as an object keyed by session id (MemoryStore). Enables the by-user methods.
   */
  all?(callback: (error: unknown, sessions?: unknown) => void): unknown;
}
