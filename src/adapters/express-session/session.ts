/**
 * `req.session`: application data as plain properties of the object (express-session's
 * shape), plus the methods and the `cookie` express-session gives it.
 */
import type { IncomingMessage } from 'node:http';
import type { Cookie } from './cookie.js';
import type { StoreLike } from './store-like.js';

/** Per-request hooks the middleware installs, so methods keep its change tracking. */
export interface RequestHooks {
  /** A fresh session (new id) on `req`. */
  generate(req: IncomingMessage): void;
  /** Called before `save()` writes: what is saved now need not be saved again. */
  saved(session: Session): void;
  /** A record read back by `reload()` becomes `req.session`. */
  inflate(req: IncomingMessage, record: unknown): void;
}

/** Where the middleware keeps its hooks on the request. */
export const HOOKS: unique symbol = Symbol('tessera.express-session.hooks');

/** The request fields this module reads and writes. */
export interface SessionRequest extends IncomingMessage {
  session?: Session | null | undefined;
  sessionID?: string;
  sessionStore?: StoreLike;
  [HOOKS]?: RequestHooks;
}

/**
 * Data an application keeps in its sessions. Augment it to type `req.session`:
 * `declare module 'tesserajs/express-session' { interface SessionData { views: number } }`.
 */
// biome-ignore lint/suspicious/noEmptyInterface: an interface applications augment.
export interface SessionData {}

const noop = (): void => {};

function storeOf(session: Session): StoreLike {
  const store = session.req.sessionStore;
  if (store === undefined) throw new TypeError('req.sessionStore is not set');
  return store;
}

/**
 * One session. Application data lives directly on it (`req.session.views = 1`); `id`,
 * `req` and the methods are not enumerable, so they never reach the store.
 */
export class Session {
  /** The session id (also `req.sessionID`). */
  declare readonly id: string;
  /** The request this session belongs to. */
  declare readonly req: SessionRequest;
  /** The session cookie's attributes and expiry. */
  declare cookie: Cookie;
  /** Application data. */
  [key: string]: unknown;

  constructor(req: IncomingMessage, data?: unknown) {
    Object.defineProperty(this, 'req', { value: req });
    Object.defineProperty(this, 'id', { value: (req as SessionRequest).sessionID });
    if (typeof data === 'object' && data !== null) {
      // `in` skips the methods, `id`, `req` and inherited names such as `__proto__`.
      for (const key of Object.keys(data)) {
        if (!(key in this)) this[key] = (data as Record<string, unknown>)[key];
      }
    }
  }

  /** Resets `cookie.maxAge` to `cookie.originalMaxAge` (done on every request). */
  touch(): this {
    return this.resetMaxAge();
  }

  /** Same as {@link touch}. */
  resetMaxAge(): this {
    this.cookie.maxAge = this.cookie.originalMaxAge;
    return this;
  }

  /** Writes the session to the store now (it is otherwise saved when the response ends). */
  save(callback?: (error?: unknown) => void): this {
    this.req[HOOKS]?.saved(this);
    storeOf(this).set(this.id, this, callback ?? noop);
    return this;
  }

  /** Replaces `req.session` with what the store holds. */
  reload(callback: (error?: unknown) => void): this {
    const req = this.req;
    const store = storeOf(this);
    store.get(this.id, (error, record) => {
      if (error) return callback(error);
      if (!record) return callback(new Error('failed to load session'));
      try {
        const hooks = req[HOOKS];
        // Outside this middleware (a store shared with express-session), do what it does.
        if (hooks !== undefined) hooks.inflate(req, record);
        else
          (store as { createSession?: (r: unknown, s: unknown) => unknown }).createSession?.(
            req,
            record,
          );
      } catch (failure) {
        return callback(failure);
      }
      callback();
    });
    return this;
  }

  /** Deletes the session from the store and removes `req.session`. */
  destroy(callback?: (error?: unknown) => void): this {
    delete this.req.session;
    storeOf(this).destroy(this.id, callback ?? noop);
    return this;
  }

  /**
   * Replaces the session with a fresh one under a new id (do it on sign-in: the old id
   * may be known to an attacker). The old record is deleted.
   */
  regenerate(callback: (error?: unknown) => void): this {
    const req = this.req;
    const store = storeOf(this) as StoreLike & {
      regenerate?: (req: IncomingMessage, callback: (error?: unknown) => void) => void;
    };
    if (req[HOOKS] === undefined && typeof store.regenerate === 'function') {
      // Under express-session's own middleware (a store shared with it): its way.
      store.regenerate(req, callback);
      return this;
    }
    store.destroy(this.id, (error?: unknown) => {
      req[HOOKS]?.generate(req);
      callback(error);
    });
    return this;
  }
}

// Methods stay off the records: class methods are already non-enumerable, which is all
// JSON.stringify and express-session's `for…in` copy look at.
