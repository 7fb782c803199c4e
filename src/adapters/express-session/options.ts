/**
 * The options of the express-session drop-in: express-session's names, meanings and
 * defaults, checked when the middleware is created. Where express-session's default is
 * unsafe the drop-in keeps it (so nothing changes on switching) but says so once, as a
 * process warning; a missing `secret` is refused outright.
 */
import type { IncomingMessage } from 'node:http';
import { InvalidOptionsError } from '../../errors.js';
import type { CookieOptions } from './cookie.js';
import type { StoreLike } from './store-like.js';

/** Options of the drop-in, as express-session defines them. */
export interface ExpressSessionOptions {
  /**
   * Secret(s) signing the session id cookie. A list rotates: the first signs, every one
   * verifies. Required (express-session falls back to `req.secret`; the drop-in refuses
   * to start instead). Use at least 32 random characters; shorter ones are accepted so
   * that existing cookies keep verifying, with a warning.
   */
  secret: string | readonly string[];
  /**
   * The session cookie's name.
   * @default 'connect.sid' (Tessera's native default is `__Host-session` on HTTPS)
   */
  name?: string | undefined;
  /** Cookie attributes, or a function of the request returning them. @default `{ path: '/', httpOnly: true, maxAge: null }` */
  cookie?: CookieOptions | ((req: IncomingMessage) => CookieOptions) | undefined;
  /**
   * Makes new session ids.
   * @default 32 random bytes, base64url (express-session: 24 bytes)
   */
  genid?: ((req: IncomingMessage) => string) | undefined;
  /**
   * Save the session on every request even when unchanged.
   * @default true, with a warning, as express-session (give `false`: it avoids races
   * between concurrent requests overwriting each other's changes)
   */
  resave?: boolean | undefined;
  /**
   * Save (and send a cookie for) new sessions nobody wrote to.
   * @default true, with a warning, as express-session (give `false`: a guest costs
   * nothing, and a session starts when there is something to keep; Tessera's native
   * behaviour)
   */
  saveUninitialized?: boolean | undefined;
  /** Re-send the cookie on every response, extending its expiry. @default false */
  rolling?: boolean | undefined;
  /**
   * Trust `X-Forwarded-Proto` for `cookie.secure`: `true` trusts it, `false` ignores it,
   * unset uses Express's `req.secure` (the app's "trust proxy" setting).
   * @default undefined
   */
  proxy?: boolean | undefined;
  /**
   * What to do with the stored session when `req.session` is deleted or set to `null`.
   * @default 'keep'
   */
  unset?: 'keep' | 'destroy' | undefined;
  /**
   * Where sessions are kept: any express-session store (connect-redis,
   * connect-pg-simple, ...), used as it is.
   * @default a new {@link MemoryStore} (warned about in production)
   */
  store?: StoreLike | undefined;
}

/** Options with defaults applied. */
export interface ResolvedOptions {
  readonly secrets: readonly string[];
  readonly name: string;
  readonly cookie: CookieOptions | ((req: IncomingMessage) => CookieOptions);
  readonly genid: ((req: IncomingMessage) => string) | undefined;
  readonly resave: boolean;
  readonly saveUninitialized: boolean;
  readonly rolling: boolean;
  readonly proxy: boolean | undefined;
  readonly unsetDestroy: boolean;
}

const warned = new Set<string>();

/** Emits a process warning once per code (not per middleware), never with a secret in it. */
export function warnOnce(code: string, message: string): void {
  if (warned.has(code)) return;
  warned.add(code);
  process.emitWarning(message, { type: 'TesseraWarning', code });
}

function secretsOf(secret: unknown): string[] {
  const list = Array.isArray(secret) ? [...secret] : [secret];
  if (list.length === 0) {
    throw new InvalidOptionsError('secret option array must contain one or more strings');
  }
  for (const [index, value] of list.entries()) {
    if (typeof value !== 'string' || value.length === 0) {
      throw new InvalidOptionsError(
        secret === undefined
          ? 'the secret option is required: give the secret your express-session app used'
          : `secret[${index}] is ${value === '' ? 'empty' : 'not a string'}; the variable it was read from is probably not set`,
      );
    }
  }
  if (list.some((value) => value.length < 32)) {
    warnOnce(
      'TESSERA_WEAK_SECRET',
      'express-session secret shorter than 32 characters: accepted so existing cookies ' +
        'verify, but put a 32-byte random secret first in the list (rotation keeps the old one verifying)',
    );
  }
  return list as string[];
}

/** Checks `options` and applies express-session's defaults. */
export function resolveOptions(options: ExpressSessionOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object') {
    throw new InvalidOptionsError('options are required (at least `secret`)');
  }
  const secrets = secretsOf(options.secret);
  if (options.genid !== undefined && typeof options.genid !== 'function') {
    throw new InvalidOptionsError('genid option must be a function');
  }
  if (options.unset !== undefined && options.unset !== 'destroy' && options.unset !== 'keep') {
    throw new InvalidOptionsError('unset option must be "destroy" or "keep"');
  }
  const cookie = options.cookie ?? {};
  if (typeof cookie !== 'object' && typeof cookie !== 'function') {
    throw new InvalidOptionsError('cookie option must be an object or a function');
  }
  if (options.resave === undefined) {
    warnOnce(
      'TESSERA_ES_RESAVE',
      'express-session resave option not given: defaults to true; give resave: false',
    );
  }
  if (options.saveUninitialized === undefined) {
    warnOnce(
      'TESSERA_ES_SAVE_UNINITIALIZED',
      'express-session saveUninitialized option not given: defaults to true; give saveUninitialized: false',
    );
  }
  if (process.env.NODE_ENV === 'production' && typeof cookie === 'object' && !cookie.secure) {
    warnOnce(
      'TESSERA_ES_INSECURE_COOKIE',
      'express-session cookie.secure is not set in production: the session cookie is sent over plain HTTP',
    );
  }
  return {
    secrets,
    name: options.name || (options as { key?: string }).key || 'connect.sid',
    cookie,
    genid: options.genid,
    resave: options.resave ?? true,
    saveUninitialized: options.saveUninitialized ?? true,
    rolling: Boolean(options.rolling),
    proxy: options.proxy,
    unsetDestroy: options.unset === 'destroy',
  };
}
