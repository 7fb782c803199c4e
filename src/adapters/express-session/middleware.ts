/**
 * The middleware: loads `req.session` from the store, and when the response ends saves,
 * touches or destroys it and sends the signed cookie, following express-session's rules
 * option by option. Unlike express-session, nothing is sent before the store write
 * finished, so a failed save reaches the app's error handler instead of a half-sent page.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Cookie, type CookieOptions } from './cookie.js';
import { MemoryStore } from './memory.js';
import { type ExpressSessionOptions, resolveOptions, warnOnce } from './options.js';
import { createSession } from './record.js';
import { isSecure, originalPathname, sessionIdFromCookie } from './request.js';
import { beforeHeaders, holdEnd } from './response.js';
import { HOOKS, Session, type SessionRequest } from './session.js';
import { signSessionId } from './signature.js';
import type { StoreLike } from './store-like.js';
import { fingerprint as fingerprintOf, Tracker } from './tracker.js';

/** A connect-style middleware; Express, connect and plain `node:http` can all run it. */
export type SessionMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

const defaultGenid = (): string => randomBytes(32).toString('base64url');

/** Runs `callback` at most once, whatever a store does. */
function once<A extends unknown[]>(callback: (...args: A) => void): (...args: A) => void {
  let called = false;
  return (...args: A) => {
    if (called) return;
    called = true;
    callback(...args);
  };
}

/** Calls a store method; a synchronous throw is reported like a callback error. */
function callStore(
  method: (done: (error?: unknown, value?: unknown) => void) => unknown,
  done: (error?: unknown, value?: unknown) => void,
): void {
  const callback = once(done);
  try {
    method(callback);
  } catch (error) {
    callback(error ?? new Error('the session store threw'));
  }
}

/** Creates the session middleware (express-session's `session(options)`). */
export function session(options: ExpressSessionOptions): SessionMiddleware {
  const resolved = resolveOptions(options);
  const { name, secrets, proxy } = resolved;
  const store: StoreLike = options.store ?? new MemoryStore();
  if (process.env.NODE_ENV === 'production' && store instanceof MemoryStore) {
    warnOnce(
      'TESSERA_ES_MEMORY_STORE',
      'express-session MemoryStore in production: sessions are lost on restart and not shared between processes',
    );
  }
  const genid = resolved.genid ?? defaultGenid;
  const cookieOptionsFor = (req: IncomingMessage): CookieOptions =>
    typeof resolved.cookie === 'function' ? resolved.cookie(req) : resolved.cookie;

  /** A fresh session under a new id on `req` (express-session's `store.generate`). */
  const generate = (req: IncomingMessage): void => {
    const r = req as SessionRequest;
    r.sessionID = genid(req);
    const fresh = new Session(req);
    const cookieOptions = cookieOptionsFor(req);
    fresh.cookie = new Cookie(cookieOptions as Record<string, unknown>);
    const secure = isSecure(req, proxy);
    if (cookieOptions.secure === 'auto') fresh.cookie.secure = secure;
    if (cookieOptions.sameSite === 'auto') fresh.cookie.sameSite = secure ? 'none' : 'lax';
    r.session = fresh;
  };
  // express-session installs this on the store for `store.regenerate(req)`; a store
  // shared with an express-session app keeps that app's.
  if (typeof store.generate !== 'function') {
    (store as { generate?: (req: IncomingMessage) => void }).generate = generate;
  }
  const storeImplementsTouch = typeof store.touch === 'function';
  let storeReady = true;
  store.on?.('disconnect', () => {
    storeReady = false;
  });
  store.on?.('connect', () => {
    storeReady = true;
  });

  return function sessionMiddleware(req, res, next): void {
    const r = req as SessionRequest;
    if (r.session || !storeReady) {
      next();
      return;
    }
    const path = cookieOptionsFor(req).path || '/';
    if (!originalPathname(req).startsWith(path)) {
      next();
      return;
    }

    r.sessionStore = store;
    const cookieId = sessionIdFromCookie(req.headers.cookie, name, secrets);
    if (cookieId !== undefined) r.sessionID = cookieId;
    else delete r.sessionID;
    const tracker = new Tracker(r, cookieId, resolved);
    let failed = false;
    r[HOOKS] = {
      generate,
      saved: (saved) => {
        tracker.savedHash = fingerprintOf(saved);
      },
      inflate: (target, record) => {
        createSession(target, record);
      },
    };

    const setCookie = (): void => {
      const current = r.session;
      if (!current || !tracker.shouldSetCookie()) return;
      if (current.cookie.secure && !isSecure(req, proxy)) return;
      if (!tracker.touched) {
        current.touch();
        tracker.touched = true;
      }
      try {
        const line = current.cookie.serialize(name, signSessionId(r.sessionID!, secrets[0]!));
        const previous = res.getHeader('set-cookie');
        res.setHeader(
          'set-cookie',
          previous === undefined
            ? [line]
            : [...(Array.isArray(previous) ? previous : [String(previous)]), line],
        );
      } catch (error) {
        setImmediate(next, error);
      }
    };

    beforeHeaders(res, () => {
      if (!failed) setCookie();
    });
    holdEnd(
      res,
      (done) => {
        if (tracker.shouldDestroy()) {
          callStore((cb) => store.destroy(r.sessionID!, cb), done);
          return true;
        }
        const current = r.session;
        if (!current) return false;
        if (!tracker.touched) {
          current.touch();
          tracker.touched = true;
        }
        if (tracker.shouldSave()) {
          callStore((cb) => current.save(cb), done);
          return true;
        }
        if (storeImplementsTouch && tracker.shouldTouch()) {
          callStore((cb) => store.touch!(r.sessionID!, current, cb), done);
          return true;
        }
        return false;
      },
      (error) => {
        failed = true;
        setImmediate(next, error);
      },
    );

    const start = (): void => {
      generate(req);
      tracker.generated(r.session as Session);
    };
    if (cookieId === undefined) {
      try {
        start();
      } catch (error) {
        next(error);
        return;
      }
      next();
      return;
    }
    callStore(
      (done) => store.get(cookieId, done),
      (error?: unknown, record?: unknown) => {
        if (error && (error as { code?: unknown }).code !== 'ENOENT') {
          next(error);
          return;
        }
        try {
          if (error || !record) start();
          else {
            try {
              tracker.inflated(createSession(req, record));
            } catch {
              // A record of another shape is no session: start afresh rather than fail.
              start();
            }
          }
        } catch (failure) {
          next(failure);
          return;
        }
        next();
      },
    );
  };
}
