/**
 * What one middleware instance shares between requests, and the cookie-writing rules
 * both the read side (signature repairs) and the write side use.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Keyring } from '../../crypto/keyring.js';
import {
  appendSetCookie,
  type CookieAttributes,
  isSecureRequest,
  serializeCookie,
} from './cookie-jar.js';
import type { Signer } from './keygrip.js';

/** One `cookieSession()` instance, resolved once. */
export interface Instance {
  readonly name: string;
  readonly sigName: string;
  /** Signs and verifies `.sig` cookies; `undefined` without keys. */
  readonly signer: Signer | undefined;
  /** Seals and opens sealed cookies; `undefined` without a key list. */
  readonly keyring: Keyring | undefined;
  readonly writeSealed: boolean;
  readonly now: () => number;
}

/** Thrown by {@link setCookie} for a Secure cookie on plain HTTP (the `cookies` rule). */
export class InsecureConnectionError extends Error {}

/**
 * Adds one cookie to the response as `cookies.set()` does: `secure` defaults to whether
 * the request is HTTPS (looked up only now: Express's `req.protocol` is not free), and
 * asking for Secure over plain HTTP is refused.
 * @throws InsecureConnectionError, or TypeError for an invalid name, value or attribute.
 */
export function setCookie(
  req: IncomingMessage,
  res: ServerResponse,
  name: string,
  value: string,
  attributes: CookieAttributes & { secureProxy?: boolean | undefined },
  now: number,
): void {
  const secureRequest = isSecureRequest(req);
  if (!secureRequest && attributes.secure) {
    throw new InsecureConnectionError('Cannot send secure cookie over unencrypted connection');
  }
  let secure = attributes.secure !== undefined ? attributes.secure : secureRequest;
  if ('secureProxy' in attributes) secure = Boolean(attributes.secureProxy);
  const line = serializeCookie(name, value, attributes, secure, now);
  appendSetCookie(res, name, line, attributes.overwrite === true);
}
