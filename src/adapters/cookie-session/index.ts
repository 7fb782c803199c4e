/**
 * `tesserajs/cookie-session`: a drop-in replacement for the `cookie-session` package.
 * Same signature, options, defaults and `req.session` behaviour; it reads the cookies
 * cookie-session issued (base64 JSON + keygrip `.sig`), so switching the import signs
 * nobody out, and by default writes Tessera's sealed format instead (see
 * `docs/migration-cookie-session.md`).
 *
 * @example
 * ```ts
 * import cookieSession from 'tesserajs/cookie-session';
 * app.use(cookieSession({ name: 'session', keys: [process.env.KEY_NEW, process.env.KEY_OLD] }));
 * ```
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Instance } from './context.js';
import { keygripSigner } from './keygrip.js';
import { onHeaders } from './on-headers.js';
import { type CookieSessionOptions, resolveOptions } from './options.js';
import { readSession } from './read.js';
import { sealingKeyring } from './sealed.js';
import { CookieSession, type CookieSessionObject } from './session.js';
import { type SessionState, writeSession } from './write.js';

export type { CookieAttributes } from './cookie-jar.js';
export type { KeygripLike, SigningKey } from './keygrip.js';
export type { CookieSessionOptions, WriteFormat } from './options.js';
export type { CookieSessionObject } from './session.js';

/** The properties the middleware adds to each request. */
export interface CookieSessionRequest {
  /**
   * The session: read lazily from the cookie on first access, an empty new one when
   * there is none. Assign `null` to end it (both cookies are expired), or an object to
   * replace it with a new session holding that object's properties.
   */
  session?: CookieSessionObject | null | undefined;
  /**
   * This request's copy of the options (inheriting from the middleware's), e.g.
   * `req.sessionOptions.maxAge = 30 * 24 * 3600 * 1000` for a "remember me" login.
   */
  sessionOptions: CookieSessionOptions;
}

/** A connect-style middleware: works with Express 4 and 5, connect, and `node:http`. */
export type CookieSessionMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

declare global {
  namespace Express {
    // Merged into Express's request type, as @types/cookie-session does.
    interface Request extends CookieSessionRequest {}
  }
}

/**
 * Creates the session middleware.
 * @throws InvalidOptionsError - when `signed` (the default) is set without `keys` or
 * `secret`, or the options cannot work together (see {@link CookieSessionOptions}).
 */
export default function cookieSession(options?: CookieSessionOptions): CookieSessionMiddleware {
  const resolved = resolveOptions(options);
  const { name, keyList, keygrip, defaults } = resolved;
  const instance: Instance = {
    name,
    sigName: `${name}.sig`,
    signer: keygrip ?? (keyList === undefined ? undefined : keygripSigner(keyList)),
    keyring: keyList === undefined ? undefined : sealingKeyring(keyList),
    writeSealed: resolved.writeSealed,
    now: Date.now,
  };

  return function cookieSessionMiddleware(req, res, next) {
    const request = req as IncomingMessage & CookieSessionRequest;
    // Per-request overrides go on a child object, leaving the middleware's options alone.
    const sessionOptions: CookieSessionOptions = Object.create(defaults);
    request.sessionOptions = sessionOptions;
    let state: SessionState;
    let rotated = false;

    Object.defineProperty(req, 'session', {
      configurable: true,
      enumerable: true,
      get(): CookieSessionObject | null {
        if (state) return state;
        if (state === false) return null;
        const options = request.sessionOptions;
        const loaded = readSession(instance, req, res, options);
        rotated = loaded?.rotated ?? false;
        state = loaded?.session ?? new CookieSession(undefined);
        return state;
      },
      set(value: unknown) {
        if (value === null || value === undefined) state = false;
        else if (typeof value === 'object') state = new CookieSession(value);
        else throw new TypeError('req.session can only be set as null or an object.');
      },
    });

    onHeaders(res, () => writeSession(instance, req, res, request.sessionOptions, state, rotated));
    next();
  };
}
