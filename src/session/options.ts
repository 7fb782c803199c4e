import type { SessionCookieOptions } from '../cookies/defaults.js';
import type { SecretInput } from '../crypto/keyring.js';
import { InvalidOptionsError } from '../errors.js';
import type { EventListener } from '../kernel/events.js';
import type { SessionStore } from '../stores/contract.js';
import type { Session } from './session.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Options shared by every way of creating sessions (engine and adapters). */
export interface SessionOptions<T extends object = Record<string, unknown>> {
  /**
   * Secrets, newest first: the first seals and signs, all of them verify (rotation).
   * Each must carry at least 256 bits: 32 random bytes, or their hex/base64url text.
   * Generate one with
   * `node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))"`.
   */
  secrets: readonly SecretInput[];
  /**
   * Where session data lives. Omitted: **cookie mode** (data sealed into the cookie,
   * nothing on the server). Given: **store mode** (the cookie carries a signed random id).
   */
  store?: SessionStore;
  /**
   * Cookie mode: a store that records every sealed session until its absolute expiry, so
   * that sessions can be ended before they expire. With it, `destroy()` and
   * `regenerate()` revoke the old cookie, a user's sessions can be listed and revoked,
   * and every load costs one registry read. Without it a sealed cookie stays valid until
   * it expires, whatever the server does (see `validate` for the other remedy).
   * Not allowed with `store` (store mode revokes through its store).
   */
  registry?: SessionStore;
  /**
   * Runs after a session cookie was verified and its timeouts checked, on every load, in
   * both modes. Return `false` to refuse the session: the request becomes a guest, the
   * cookie is expired and the session revoked on the server. Authentication uses it to
   * compare a per-user generation (bumped on password change or "sign out everywhere")
   * with the one the session was signed in under, which revokes sealed sessions too.
   * A thrown error or rejection fails the request (503 for a `SessionStoreError`).
   */
  validate?: (session: Session<T>) => boolean | Promise<boolean>;
  /**
   * Record the user agent and client address of each session when it is issued, for a
   * "your devices" page (`listSessions`). Needs a store or a registry.
   * @default false
   */
  trackDevices?: boolean;
  /** Session cookie name and attributes. Secure defaults; see {@link SessionCookieOptions}. */
  cookie?: SessionCookieOptions & {
    /**
     * Send `Max-Age` so the cookie survives a browser restart ("remember me"), set to
     * the session's remaining absolute lifetime (at most 400 days).
     * @default false (a browser-session cookie; the server enforces expiry either way)
     */
    persistent?: boolean;
  };
  /**
   * Idle timeout in milliseconds: a session unused this long expires, enforced by the
   * server in both modes (S-08).
   * @default 7 days (`strict` preset: 30 minutes)
   */
  idleTimeout?: number;
  /**
   * Absolute timeout in milliseconds from creation; activity, regeneration and rotation
   * never extend it (S-09).
   * @default 30 days (`strict` preset: 12 hours)
   */
  absoluteTimeout?: number;
  /**
   * Extend the idle expiry at most this often (lazy touch): a request that changes
   * nothing writes nothing unless the last extension is older than this. The extension
   * that reaches `absoluteTimeout` is always written, so an active session lasts to its
   * absolute limit.
   * @default one tenth of `idleTimeout`
   */
  touchAfter?: number;
  /**
   * Cookie mode: the most cookies one session may span; a larger session fails with
   * `SessionTooLargeError` before any header is written.
   * @default 4
   */
  maxChunks?: number;
  /**
   * Cookie mode: the most bytes all cookies of one session may add to the `Cookie`
   * header the browser sends back: every written `name=value`, joined by `; ` (cookie
   * values are ASCII, so characters are bytes). Attributes (`Path`, `Max-Age`, …) are
   * not sent back and do not count. A larger session fails with `SessionTooLargeError`
   * before any header is written. The default leaves room for other cookies and headers
   * under the usual 8–16 KiB request header limits (nginx 8 KiB per line, Node 16 KiB in
   * total); a session the browser cannot send back would lock the visitor out. The
   * smaller of this bound and `maxChunks` applies.
   * @default 8192
   */
  maxCookieBytes?: number;
  /**
   * Upper bound for one session's serialized data in store mode, in bytes.
   * @default 1 MiB
   */
  maxDataBytes?: number;
  /** Current time in milliseconds. Inject a fake clock in tests. @default Date.now */
  clock?: () => number;
  /** Receives lifecycle and rejection events; never sees secrets or cookie values. */
  onEvent?: EventListener;
}

/** Documented timeouts for high-value applications: idle 30 minutes, absolute 12 hours. */
export const strictTimeouts: Readonly<Pick<SessionOptions, 'idleTimeout' | 'absoluteTimeout'>> =
  Object.freeze({ idleTimeout: 30 * MINUTE, absoluteTimeout: 12 * 60 * MINUTE });

/** Options after defaults and validation. */
export interface ResolvedTimeouts {
  readonly idleTimeout: number;
  readonly absoluteTimeout: number;
  readonly touchAfter: number;
  readonly maxChunks: number;
  readonly maxCookieBytes: number;
  readonly maxDataBytes: number;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new InvalidOptionsError(`${name} must be a positive number of milliseconds`);
  }
  return value;
}

/**
 * Option names of express-session and cookie-session, with what they are called here:
 * in plain JavaScript a copied option would otherwise be ignored without a word.
 */
const FOREIGN_OPTIONS: Readonly<Record<string, string>> = {
  secret: 'secrets: [secret] (a list, newest first)',
  keys: 'secrets: keys (a list, newest first)',
  name: 'cookie: { name }',
  resave: 'nothing: Tessera saves only what changed',
  saveUninitialized: 'nothing: Tessera never saves an empty session',
  rolling: 'idleTimeout and touchAfter',
  unset: 'nothing: session.destroy() ends a session',
  genid: 'nothing: ids are always 256 random bits',
  proxy: 'trustProxy (on the adapter)',
  maxAge: 'absoluteTimeout (milliseconds) and cookie: { persistent: true }',
};

const FOREIGN_COOKIE_OPTIONS: Readonly<Record<string, string>> = {
  maxAge: 'absoluteTimeout (milliseconds) with cookie.persistent: true',
  expires: 'absoluteTimeout (milliseconds) with cookie.persistent: true',
  signed: 'nothing: session cookies are always signed or sealed',
  overwrite: 'nothing',
};

/**
 * Refuses what would silently do nothing: express-session/cookie-session spellings
 * ("did you mean"), and a `secrets` entry that is `undefined` (an unset variable).
 */
export function checkOptionNames(options: object): void {
  for (const [name, instead] of Object.entries(FOREIGN_OPTIONS)) {
    if (Object.hasOwn(options, name)) {
      throw new InvalidOptionsError(`unknown option "${name}": did you mean ${instead}?`);
    }
  }
  const cookie = (options as { cookie?: unknown }).cookie;
  if (cookie !== null && typeof cookie === 'object') {
    for (const [name, instead] of Object.entries(FOREIGN_COOKIE_OPTIONS)) {
      if (Object.hasOwn(cookie, name)) {
        throw new InvalidOptionsError(`unknown option "cookie.${name}": did you mean ${instead}?`);
      }
    }
  }
  const secrets = (options as { secrets?: unknown }).secrets;
  if (Array.isArray(secrets)) {
    const missing = secrets.findIndex((secret) => secret === undefined || secret === '');
    if (missing !== -1) {
      throw new InvalidOptionsError(
        `secrets[${missing}] is ${secrets[missing] === '' ? 'empty' : 'undefined'}: the variable it ` +
          'was read from is probably not set (secretsFromEnv("NAME") names it in the error)',
      );
    }
  }
}

/** Applies defaults and validates numbers; throws {@link InvalidOptionsError}. */
export function resolveTimeouts(
  options: Pick<
    SessionOptions,
    | 'idleTimeout'
    | 'absoluteTimeout'
    | 'touchAfter'
    | 'maxChunks'
    | 'maxCookieBytes'
    | 'maxDataBytes'
  >,
): ResolvedTimeouts {
  const idleTimeout = positive('idleTimeout', options.idleTimeout, 7 * DAY);
  const absoluteTimeout = positive('absoluteTimeout', options.absoluteTimeout, 30 * DAY);
  if (idleTimeout > absoluteTimeout) {
    throw new InvalidOptionsError('idleTimeout must not exceed absoluteTimeout');
  }
  const touchAfter =
    options.touchAfter === undefined
      ? Math.floor(idleTimeout / 10)
      : Number.isFinite(options.touchAfter) && options.touchAfter >= 0
        ? options.touchAfter
        : Number.NaN;
  if (Number.isNaN(touchAfter) || touchAfter >= idleTimeout) {
    throw new InvalidOptionsError('touchAfter must be >= 0 and below idleTimeout');
  }
  const maxChunks = options.maxChunks ?? 4;
  if (!Number.isInteger(maxChunks) || maxChunks < 1 || maxChunks > 20) {
    throw new InvalidOptionsError('maxChunks must be an integer from 1 to 20');
  }
  const maxCookieBytes = options.maxCookieBytes ?? 8192;
  if (!Number.isInteger(maxCookieBytes) || maxCookieBytes < 1) {
    throw new InvalidOptionsError('maxCookieBytes must be a positive integer');
  }
  const maxDataBytes = positive('maxDataBytes', options.maxDataBytes, 1024 * 1024);
  return { idleTimeout, absoluteTimeout, touchAfter, maxChunks, maxCookieBytes, maxDataBytes };
}
