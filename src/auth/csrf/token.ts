/**
 * CSRF tokens for HTML forms (S-38): a synchronizer token per session, masked afresh on
 * every render.
 *
 * - The session holds a random 32-byte *binding* (the `tessera:csrf` system entry: saved
 *   with the session, never in `session.data`). `regenerate()` and a change of user drop it, so tokens
 *   from before sign-in are void after (login CSRF, fixation: S-41); a guest gets one on
 *   the first `token()` call (the sign-in form needs a token before there is a user).
 * - The per-session secret is `HMAC-SHA256(csrf key, "tessera/v1/csrf" || binding)`, the
 *   key derived from the application's secrets for the purpose `csrf` (HKDF), so a token
 *   says nothing about the session id or the binding, and rotating the secrets rotates
 *   the tokens (S-29: every listed secret verifies).
 * - A token is `base64url(mask || mask XOR secret)` with a fresh 32-byte mask each time:
 *   no two renders carry the same bytes, so compression side channels (BREACH) learn
 *   nothing across responses.
 */
import { createHmac } from 'node:crypto';
import { base64urlLength, decodeCanonicalBase64url } from '../../crypto/base64url.js';
import { timingSafeEqualBytes } from '../../crypto/compare.js';
import { randomBase64url, randomInto } from '../../crypto/random.js';
import { CsrfError, InvalidOptionsError, SessionStateError } from '../../errors.js';
import type { Kernel } from '../../kernel/context.js';
import type { Session } from '../../session/session.js';
import { readSystemEntry, writeSystemEntry } from '../../session/system.js';

const BINDING_ENTRY = 'tessera:csrf';

const SECRET_BYTES = 32;
const BINDING_BYTES = 32;
const BINDING_LENGTH = base64urlLength(BINDING_BYTES);
/** Length of every token Tessera issues: 64 bytes in unpadded base64url. */
export const CSRF_TOKEN_LENGTH = base64urlLength(2 * SECRET_BYTES);
const DOMAIN = Buffer.from('tessera/v1/csrf\u0000', 'latin1');

/** Where the CSRF tokens get their keys: a kernel, or a session engine (its kernel). */
export type CsrfOptions =
  | { readonly kernel: Kernel; readonly engine?: undefined }
  | { readonly engine: { readonly kernel: Kernel }; readonly kernel?: undefined };

/** CSRF tokens for one application (see {@link createCsrf}). */
export interface Csrf {
  /** The kernel the tokens are keyed and reported by. */
  readonly kernel: Kernel;
  /**
   * A token for `session`, to put in a hidden form field named `_csrf` or send as the
   * `x-csrf-token` header. A new string on every call; all of them verify until the
   * session is regenerated, its user changes, or it ends. Never put it in a URL.
   *
   * A session without a binding gets one (a data change, so a guest gets its session
   * cookie): call it before the response starts.
   * @throws SessionStateError when the session has no binding yet and cannot be changed
   * (already committed, or a read-only guest during a store outage).
   */
  token(session: Session<object>): string;
  /**
   * Whether `submitted` is a token of `session`. Compares in constant time and never
   * throws: anything that is not a well-formed token of this session (absent, an array
   * from a repeated field, the wrong length, not base64url) is `false`.
   */
  verify(session: Session<object>, submitted: unknown): boolean;
  /**
   * Throws unless `submitted` {@link Csrf.verify | verifies}.
   * @throws CsrfError with reason `missing-token` (absent or empty) or `invalid-token`.
   */
  assert(session: Session<object>, submitted: unknown): void;
}

/** The binding `session` holds, as bytes, or `null` when it has none (or a damaged one). */
function bindingOf(session: Session<object>): Buffer | null {
  const entry = readSystemEntry(session, BINDING_ENTRY);
  if (entry === undefined) return null;
  let text: unknown;
  try {
    text = JSON.parse(entry);
  } catch {
    return null;
  }
  if (typeof text !== 'string' || text.length !== BINDING_LENGTH) return null;
  return decodeCanonicalBase64url(text);
}

/**
 * Creates the CSRF token functions of an application:
 *
 * ```ts
 * const csrf = createCsrf({ engine: sessions.engine });
 * const field = `<input type="hidden" name="_csrf" value="${csrf.token(session)}">`;
 * if (!csrf.verify(session, body._csrf)) return forbidden();
 * ```
 * The adapters' `csrfProtection` middleware checks the origin and the token together.
 */
export function createCsrf(options: CsrfOptions): Csrf {
  const kernel = options?.kernel ?? options?.engine?.kernel;
  if (kernel === undefined || kernel === null || typeof kernel.keyring?.key !== 'function') {
    throw new InvalidOptionsError('createCsrf needs { engine } (a session engine) or { kernel }');
  }
  const keyring = kernel.keyring;

  const secretOf = (binding: Buffer, keyIndex: number): Buffer =>
    createHmac('sha256', keyring.key('csrf', keyIndex)).update(DOMAIN).update(binding).digest();

  const bindingFor = (session: Session<object>): Buffer => {
    const existing = bindingOf(session);
    if (existing !== null) return existing;
    if (session.isCommitted || session.isReadOnly) {
      throw new SessionStateError(
        'csrf.token: this session has no CSRF binding yet and can no longer be changed (committed, or read-only during a store outage); call token() before the response starts',
      );
    }
    const text = randomBase64url(BINDING_BYTES);
    writeSystemEntry(session, BINDING_ENTRY, JSON.stringify(text));
    return decodeCanonicalBase64url(text)!;
  };

  const verify = (session: Session<object>, submitted: unknown): boolean => {
    try {
      if (typeof submitted !== 'string' || submitted.length !== CSRF_TOKEN_LENGTH) return false;
      const bytes = decodeCanonicalBase64url(submitted);
      const binding = bindingOf(session);
      if (bytes === null || binding === null) return false;
      const candidate = Buffer.allocUnsafe(SECRET_BYTES);
      for (let i = 0; i < SECRET_BYTES; i++) {
        candidate[i] = bytes[i]! ^ bytes[SECRET_BYTES + i]!;
      }
      // Every listed secret is tried, without stopping at the first match (S-29, S-30).
      let matched = false;
      for (let index = 0; index < keyring.size; index++) {
        matched = timingSafeEqualBytes(candidate, secretOf(binding, index)) || matched;
      }
      return matched;
    } catch {
      return false;
    }
  };

  return {
    kernel,
    token(session) {
      const secret = secretOf(bindingFor(session), 0);
      const token = Buffer.allocUnsafe(2 * SECRET_BYTES);
      randomInto(token, 0, SECRET_BYTES);
      for (let i = 0; i < SECRET_BYTES; i++) {
        token[SECRET_BYTES + i] = token[i]! ^ secret[i]!;
      }
      return token.toString('base64url');
    },
    verify,
    assert(session, submitted) {
      if (verify(session, submitted)) return;
      const reason =
        submitted === undefined || submitted === null || submitted === ''
          ? 'missing-token'
          : 'invalid-token';
      throw new CsrfError(reason);
    },
  };
}
