/**
 * Reading the session cookie: Tessera's sealed format first, then cookie-session's
 * (base64 JSON, verified against its `.sig` with every key). Anything that does not
 * verify and decode is no session: the app gets an empty new one, nothing throws.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Instance, setCookie } from './context.js';
import { readCookie } from './cookie-jar.js';
import { decodeLegacy } from './data.js';
import type { CookieSessionOptions } from './options.js';
import { unsealSession } from './sealed.js';
import { COMPUTED, CookieSession } from './session.js';

/** A session read from the request. */
export interface Loaded {
  readonly session: CookieSession;
  /** Sealed under an older key: re-seal on this response even if unchanged. */
  readonly rotated: boolean;
}

/**
 * The request's session, or `undefined` when it carries none that verifies. Repairs the
 * `.sig` cookie as cookie-session does: expires a signature no key made, and re-signs
 * with the current key one that an older key made.
 */
export function readSession(
  instance: Instance,
  req: IncomingMessage,
  res: ServerResponse,
  options: CookieSessionOptions,
): Loaded | undefined {
  const header = req.headers.cookie;
  const value = readCookie(header, instance.name);
  if (!value) return undefined;
  const now = instance.now();
  if (instance.keyring !== undefined) {
    const opened = unsealSession(instance.keyring, instance.name, value, now);
    if (opened !== null) {
      return { session: new CookieSession(opened.data, COMPUTED), rotated: opened.rotated };
    }
  }
  const signed = options.signed !== undefined ? options.signed : instance.signer !== undefined;
  if (signed) {
    const signature = readCookie(header, instance.sigName);
    const signer = instance.signer;
    if (!signature || signer === undefined) return undefined;
    const data = `${instance.name}=${value}`;
    const index = signer.index(data, signature);
    if (index < 0) {
      repair(req, res, instance.sigName, '', { path: '/' }, now);
      return undefined;
    }
    if (index > 0) repair(req, res, instance.sigName, signer.sign(data), {}, now);
  }
  const decoded = decodeLegacy(value);
  if (decoded === null) return undefined;
  return { session: new CookieSession(decoded, value), rotated: false };
}

/** A `.sig` fix-up; never fails the read (the headers may already be gone). */
function repair(
  req: IncomingMessage,
  res: ServerResponse,
  name: string,
  value: string,
  attributes: { path?: string },
  now: number,
): void {
  if (res.headersSent) return;
  try {
    setCookie(req, res, name, value, attributes, now);
  } catch {
    // Nothing to repair with: the session is read (or refused) all the same.
  }
}
