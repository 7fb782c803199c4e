/**
 * cookie-session's options, documented, and their resolution (cookie-session's defaults,
 * plus the one option of the drop-in's own: {@link CookieSessionOptions.writeFormat}).
 */
import { InvalidOptionsError } from '../../errors.js';
import type { CookieAttributes } from './cookie-jar.js';
import { isKeygripLike, type KeygripLike, type SigningKey } from './keygrip.js';

/** What the drop-in writes when a session changes. */
export type WriteFormat = 'sealed' | 'cookie-session';

/** Options of `cookieSession()`: cookie-session 2.x's, with the same defaults. */
export interface CookieSessionOptions extends CookieAttributes {
  /**
   * Name of the session cookie; its signature travels in `<name>.sig`.
   * @default 'session'
   */
  name?: string | undefined;
  /**
   * Keys, in order: the first signs (and seals), every one verifies (and opens), so a
   * new key goes in front and the old one stays second until its cookies are gone. A
   * Keygrip instance is accepted too (then only `writeFormat: 'cookie-session'`).
   * Security: long random keys; the seal and the signature are as strong as the key.
   * @default required unless `secret` is given or `signed` is false
   */
  keys?: readonly SigningKey[] | KeygripLike | undefined;
  /**
   * A single key, used when `keys` is not given.
   * @default undefined
   */
  secret?: string | undefined;
  /**
   * Milliseconds from now until the cookie expires (written as `expires`). Overrides
   * `expires`. Per request: `req.sessionOptions.maxAge = ...`.
   * @default undefined (a browser-session cookie)
   */
  maxAge?: number | null | undefined;
  /**
   * Whether the session is authenticated (a `.sig` cookie, or the sealed format). With
   * `false` the cookie is plain base64 JSON that any client can read AND forge.
   * @default true
   */
  signed?: boolean | undefined;
  /**
   * Drop `Set-Cookie` lines set earlier in this response for the same cookie name.
   * @default true
   */
  overwrite?: boolean | undefined;
  /**
   * Only send the cookie over HTTPS. Setting it on a plain-HTTP request drops the cookie
   * (cookie-session's behaviour); behind a TLS-terminating proxy, set Express's
   * `trust proxy` so `req.protocol` says `https`.
   * @default true on HTTPS requests, false on plain HTTP
   */
  secure?: boolean | undefined;
  /**
   * Deprecated cookie-session alias that forces `secure` without the HTTPS check.
   * @default undefined
   */
  secureProxy?: boolean | undefined;
  /**
   * What is written when the session changes. `'sealed'`: the data encrypted and
   * authenticated (AES-256-GCM, Tessera's seal), readable by the server only, expiry
   * enforced by the server; no `.sig` cookie (a leftover one is expired).
   * `'cookie-session'`: cookie-session's own base64 JSON + `.sig`, readable by the client,
   * for fleets where some servers still run cookie-session (a rolling deploy, a rollback).
   * Both formats are always read. Ignored (always `'cookie-session'`) when `signed` is false.
   * @default 'sealed'
   */
  writeFormat?: WriteFormat | undefined;
}

/** Options after cookie-session's defaults, and the keys split by what they can do. */
export interface ResolvedOptions {
  readonly name: string;
  /** The key list, when one was given (needed to seal and open sealed cookies). */
  readonly keyList: readonly SigningKey[] | undefined;
  readonly keygrip: KeygripLike | undefined;
  readonly writeSealed: boolean;
  /** The object every `req.sessionOptions` inherits from (cookie-session's `opts`). */
  readonly defaults: CookieSessionOptions;
}

/**
 * Applies cookie-session's defaults (`overwrite`, `httpOnly`, `signed`: true).
 * @throws InvalidOptionsError - `signed` without `keys`/`secret`; an empty key list or
 * an empty (or non-string, non-Buffer) key, e.g. an unset environment variable; a
 * Keygrip instance with the sealed format; an unknown `writeFormat`.
 */
export function resolveOptions(options: CookieSessionOptions | undefined): ResolvedOptions {
  // cookie-session fills the defaults into the caller's object; a copy is kinder.
  const defaults: CookieSessionOptions = { ...options };
  defaults.overwrite ??= true;
  defaults.httpOnly ??= true;
  defaults.signed ??= true;
  const name = defaults.name || 'session';
  let keys: CookieSessionOptions['keys'] = defaults.keys;
  if (!keys && defaults.secret) keys = [defaults.secret];
  if (!keys && defaults.signed) {
    throw new InvalidOptionsError('.keys required: pass `keys` (or `secret`), or `signed: false`');
  }
  const format = defaults.writeFormat ?? 'sealed';
  if (format !== 'sealed' && format !== 'cookie-session') {
    throw new InvalidOptionsError("writeFormat must be 'sealed' or 'cookie-session'");
  }
  let keyList: readonly SigningKey[] | undefined;
  let keygrip: KeygripLike | undefined;
  if (isKeygripLike(keys)) keygrip = keys;
  else if (keys) {
    if (!Array.isArray(keys) || keys.length === 0) {
      throw new InvalidOptionsError('keys must be a non-empty array of strings or Buffers');
    }
    keys.forEach((k: unknown, i: number) => {
      // cookie-session would accept these and fail (or sign with an empty key) later.
      const usable = typeof k === 'string' || k instanceof Uint8Array;
      if (!usable || k.length === 0) {
        throw new InvalidOptionsError(`keys[${i}] must be a non-empty string or Buffer`);
      }
    });
    keyList = keys;
  }
  const writeSealed = format === 'sealed' && defaults.signed !== false;
  if (writeSealed && keyList === undefined) {
    throw new InvalidOptionsError(
      "a Keygrip instance cannot seal: pass the key array as `keys`, or set writeFormat: 'cookie-session'",
    );
  }
  return { name, keyList, keygrip, writeSealed, defaults };
}
