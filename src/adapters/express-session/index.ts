/**
 * `tesserajs/express-session`: a drop-in replacement for express-session. Same options,
 * same `req.session` API, same signed cookie (`s:<id>.<HMAC-SHA256>`) and the same
 * store records, so switching the import signs nobody out, existing connect stores keep
 * working unchanged, and switching back works too. See docs/migration.md.
 *
 * ```ts
 * import express from 'express';
 * import session from 'tesserajs/express-session';
 * const app = express();
 * app.use(session({ secret: process.env.SESSION_SECRET!, resave: false, saveUninitialized: false }));
 * ```
 *
 * It is connect-style middleware over `node:http` requests: Express is not needed at
 * run time (connect and plain `node:http` servers can use it too).
 */
import { Cookie } from './cookie.js';
import { MemoryStore } from './memory.js';
import { session } from './middleware.js';
import { Session } from './session.js';
import { Store } from './store.js';

export type { CookieData, CookieOptions } from './cookie.js';
export type { SessionMiddleware } from './middleware.js';
export type { ExpressSessionOptions as SessionOptions } from './options.js';
export type { SessionData, SessionRequest } from './session.js';
export type { StoreCallback, StoreLike } from './store-like.js';
export { Cookie, MemoryStore, Session, Store, session };

/** express-session's default export: the middleware factory, carrying the classes. */
const expressSession: typeof session & {
  readonly Store: typeof Store;
  readonly MemoryStore: typeof MemoryStore;
  readonly Session: typeof Session;
  readonly Cookie: typeof Cookie;
} = Object.assign((options: Parameters<typeof session>[0]) => session(options), {
  Store,
  MemoryStore,
  Session,
  Cookie,
});

export default expressSession;
