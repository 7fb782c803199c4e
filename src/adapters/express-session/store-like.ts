/**
 * The store contract of express-session ("connect stores"): connect-redis,
 * connect-pg-simple, connect-mongo and express-session's own MemoryStore fit it as they
 * are. Typed structurally, so no store package is imported.
 */

/** Node-style callback of a store method. */
export type StoreCallback<T = unknown> = (error?: unknown, value?: T) => void;

/** A store written for express-session. */
export interface StoreLike {
  get(sid: string, callback: (error: unknown, session?: unknown) => void): unknown;
  set(sid: string, session: object, callback?: (error?: unknown) => void): unknown;
  destroy(sid: string, callback?: (error?: unknown) => void): unknown;
  /** Refreshes the store's expiry without rewriting data; used when present. */
  touch?(sid: string, session: object, callback?: (error?: unknown) => void): unknown;
  all?(callback: (error: unknown, sessions?: unknown) => void): unknown;
  /** Stores emit `disconnect` / `connect`; while disconnected requests get no session. */
  on?(event: string, listener: (...args: unknown[]) => void): unknown;
  /** express-session sets this on the store; kept when present (see `Store.regenerate`). */
  generate?: ((req: never) => void) | undefined;
}
