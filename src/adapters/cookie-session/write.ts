/**
 * What goes out just before the response's headers, by cookie-session's rules:
 * nothing if the session was never touched; both cookies expired after
 * `req.session = null`; the session written when it changed and is worth keeping (not a
 * new empty one). The drop-in adds one case: a session sealed under an older key is
 * re-sealed under the current one (key rotation, S-29).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Instance, setCookie } from './context.js';
import { encodeLegacy } from './data.js';
import type { CookieSessionOptions } from './options.js';
import { sealSession } from './sealed.js';
import type { CookieSession } from './session.js';

/** The session state at the end of a request: not read, removed, or an object. */
export type SessionState = CookieSession | false | undefined;

/**
 * Writes the session cookies for `state`. A cookie that cannot be written (Secure on
 * plain HTTP, an invalid attribute, data JSON cannot hold) is dropped without a word,
 * exactly as cookie-session does.
 */
export function writeSession(
  instance: Instance,
  req: IncomingMessage,
  res: ServerResponse,
  options: CookieSessionOptions,
  state: SessionState,
  rotated: boolean,
): void {
  if (state === undefined) return;
  const now = instance.now();
  const { name, sigName, signer } = instance;
  const signed = options.signed !== undefined ? options.signed : signer !== undefined;
  try {
    if (state === false) {
      setCookie(req, res, name, '', options, now);
      // cookie-session signs the emptied cookie; the expired `.sig` carries that value.
      if (signed && signer !== undefined) {
        setCookie(req, res, sigName, signer.sign(`${name}=`), expired(options), now);
      }
      return;
    }
    const changed = (!state.isNew || state.isPopulated) && state.isChanged;
    if (!changed && !(rotated && !state.isNew && instance.writeSealed)) return;
    const json = JSON.stringify(state);
    if (instance.writeSealed && instance.keyring !== undefined) {
      const value = sealSession(instance.keyring, name, json, expiresAt(options, now));
      setCookie(req, res, name, value, options, now);
      // The authentication is inside the sealed value: a cookie-session `.sig` is stale.
      if (req.headers.cookie?.includes(`${sigName}=`)) {
        setCookie(req, res, sigName, '', options, now);
      }
      return;
    }
    const value = encodeLegacy(json);
    setCookie(req, res, name, value, options, now);
    if (signed && signer !== undefined) {
      setCookie(req, res, sigName, signer.sign(`${name}=${value}`), options, now);
    }
  } catch {
    // cookie-session: "error saving session" is only a debug line; the response goes on.
  }
}

/** The attributes of an expired cookie (`cookies` keeps them when the value is signed). */
function expired(options: CookieSessionOptions): CookieSessionOptions {
  const attributes: CookieSessionOptions = Object.create(options);
  attributes.expires = new Date(0);
  attributes.maxAge = null;
  return attributes;
}

/** The instant the written cookie expires (sealed inside it); 0 for a browser session. */
function expiresAt(options: CookieSessionOptions, now: number): number {
  const { maxAge, expires } = options;
  if (maxAge) return typeof maxAge === 'number' ? now + maxAge : 0;
  const at = expires instanceof Date ? expires.getTime() : Number.NaN;
  return Number.isFinite(at) ? at : 0;
}
