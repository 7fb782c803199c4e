/**
 * Typed errors. Every error Tessera throws carries a stable UPPER_SNAKE `code` that
 * programs can branch on; messages are for humans and never contain secrets, tokens,
 * cookie values or passwords.
 */

const brand = Symbol.for('tessera.error');

/** Stable error codes. Adding a code is a minor change; renaming one is breaking. */
export const ErrorCode = {
  /** A secret is missing, too short, or a known placeholder. */
  WEAK_SECRET: 'WEAK_SECRET',
  /** Options passed to a constructor or factory are invalid. */
  INVALID_OPTIONS: 'INVALID_OPTIONS',
  /** A cookie name, value or attribute would produce an unsafe or invalid header. */
  INVALID_COOKIE: 'INVALID_COOKIE',
  /** Sealed data failed authentication, or is malformed, or uses an unknown key. */
  UNSEAL_FAILED: 'UNSEAL_FAILED',
  /** The session does not fit in the configured number of cookies. */
  SESSION_TOO_LARGE: 'SESSION_TOO_LARGE',
  /** A value put into the session cannot be stored (not JSON-serializable, too deep, ...). */
  INVALID_SESSION_DATA: 'INVALID_SESSION_DATA',
  /** The session store failed or timed out. */
  STORE_UNAVAILABLE: 'STORE_UNAVAILABLE',
  /** A stored session record is unreadable (not JSON, wrong shape, foreign data). */
  CORRUPT_RECORD: 'CORRUPT_RECORD',
  /** The session was used after it was committed or destroyed. */
  SESSION_STATE: 'SESSION_STATE',
  /** The configuration cannot do what was asked (e.g. list sessions without a store). */
  NOT_SUPPORTED: 'NOT_SUPPORTED',
  /** The JavaScript runtime lacks what Tessera needs (e.g. `node:crypto` functions). */
  UNSUPPORTED_RUNTIME: 'UNSUPPORTED_RUNTIME',
  /** Too many password hashes are running or queued (S-52); adapters answer 503. */
  HASHER_BUSY: 'HASHER_BUSY',
  /** A new password breaks the password policy (S-48, S-49); `reason` says which rule. */
  PASSWORD_POLICY: 'PASSWORD_POLICY',
  /** An email address cannot be normalized (no `@`, control characters, too long, ...). */
  INVALID_EMAIL: 'INVALID_EMAIL',
  /** A user with that (normalized) email address already exists. */
  EMAIL_TAKEN: 'EMAIL_TAKEN',
  /** A password change or account deletion came without the current password (S-17); answered 400. */
  CURRENT_PASSWORD_REQUIRED: 'CURRENT_PASSWORD_REQUIRED',
  /** The user repository failed or timed out; adapters answer 503. */
  USER_STORE: 'USER_STORE',
  /** Sign-in attempts for an account or from an address are throttled (S-53); adapters answer 429. */
  TOO_MANY_ATTEMPTS: 'TOO_MANY_ATTEMPTS',
  /** A state-changing request failed the CSRF checks (S-37, S-38); adapters answer 403. */
  CSRF: 'CSRF',
  /**
   * Sign-in failed: unknown email or wrong password, deliberately indistinguishable
   * (S-45); answered 401.
   */
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  /** The operation needs a signed-in user and the session has none; answered 401. */
  NOT_SIGNED_IN: 'NOT_SIGNED_IN',
} as const;

/** One of {@link ErrorCode}'s values. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Base class of every error Tessera throws. */
export class TesseraError extends Error {
  /** Stable, machine-readable code. */
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TesseraError';
    this.code = code;
    Object.defineProperty(this, brand, { value: true });
  }
}

/**
 * True for any error thrown by Tessera, including from another copy of the package
 * (the ESM and CommonJS builds, or two versions), where `instanceof` would say no.
 */
export function isTesseraError(error: unknown): error is TesseraError {
  return typeof error === 'object' && error !== null && brand in error;
}

/** A secret is missing, too short or a well-known placeholder (S-28). */
export class WeakSecretError extends TesseraError {
  constructor(message: string) {
    super(ErrorCode.WEAK_SECRET, message);
    this.name = 'WeakSecretError';
  }
}

/** Invalid options passed to a Tessera factory. */
export class InvalidOptionsError extends TesseraError {
  constructor(message: string) {
    super(ErrorCode.INVALID_OPTIONS, message);
    this.name = 'InvalidOptionsError';
  }
}

/**
 * A cookie name, value, or attribute is unsafe to serialize (S-20). It is a `TypeError`
 * (the caller passed a bad argument) that also carries Tessera's brand and `code`, so
 * {@link isTesseraError} recognises it. Nothing is emitted when this is thrown.
 */
export class InvalidCookieError extends TypeError {
  /** Always `INVALID_COOKIE`. */
  readonly code: ErrorCode = ErrorCode.INVALID_COOKIE;

  constructor(message: string) {
    super(message);
    this.name = 'InvalidCookieError';
    Object.defineProperty(this, brand, { value: true });
  }
}

/** Sealed data could not be opened: tampered, truncated, foreign key, or wrong purpose. */
export class UnsealError extends TesseraError {
  /** Short, secret-free reason (e.g. `format`, `key`, `auth`, `version`, `payload`). */
  readonly reason: string;

  constructor(reason: string) {
    super(ErrorCode.UNSEAL_FAILED, `cannot unseal: ${reason}`);
    this.name = 'UnsealError';
    this.reason = reason;
  }
}

/** The session does not fit into the allowed cookies (S-21). Thrown before any header is set. */
export class SessionTooLargeError extends TesseraError {
  /** Bytes the sealed session needed. */
  readonly size: number;
  /** Bytes available under the configured bounds. */
  readonly limit: number;

  constructor(size: number, limit: number) {
    super(
      ErrorCode.SESSION_TOO_LARGE,
      `session needs ${size} bytes of cookie value but at most ${limit} fit; store less data, use a server-side store, or raise maxChunks and maxCookieBytes (browsers and proxies refuse Cookie headers above about 8 KB)`,
    );
    this.name = 'SessionTooLargeError';
    this.size = size;
    this.limit = limit;
  }
}

/** A value in the session cannot be serialized safely. */
export class InvalidSessionDataError extends TesseraError {
  constructor(message: string) {
    super(ErrorCode.INVALID_SESSION_DATA, message);
    this.name = 'InvalidSessionDataError';
  }
}

/**
 * The session store failed or timed out. Adapters answer 503 with `Retry-After`
 * and write nothing half-way.
 */
export class SessionStoreError extends TesseraError {
  /** The store operation that failed (`get`, `set`, `patch`, ...). */
  readonly operation: string;

  constructor(operation: string, options?: { cause?: unknown; message?: string }) {
    super(
      ErrorCode.STORE_UNAVAILABLE,
      options?.message ?? `session store ${operation} failed`,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'SessionStoreError';
    this.operation = operation;
  }
}

/** True for a {@link SessionStoreError} from any copy of Tessera. */
export function isSessionStoreError(error: unknown): error is SessionStoreError {
  return isTesseraError(error) && error.code === ErrorCode.STORE_UNAVAILABLE;
}

/**
 * A store found a record it cannot read (not JSON, wrong shape, foreign data). Stores
 * throw it from `get`; the engine answers with a fresh guest session and a `rejected`
 * event (reason `corrupt`), never a 503 and never a crash.
 */
export class CorruptRecordError extends TesseraError {
  constructor(detail: string) {
    super(ErrorCode.CORRUPT_RECORD, `corrupt session record: ${detail}`);
    this.name = 'CorruptRecordError';
  }
}

/** A session was used in a way its state does not allow (e.g. changed after commit). */
export class SessionStateError extends TesseraError {
  constructor(message: string) {
    super(ErrorCode.SESSION_STATE, message);
    this.name = 'SessionStateError';
  }
}

/**
 * The configuration cannot do what was asked: listing or revoking a user's sessions in
 * cookie mode without a registry, or with a store that does not index sessions by user.
 */
export class NotSupportedError extends TesseraError {
  constructor(message: string) {
    super(ErrorCode.NOT_SUPPORTED, message);
    this.name = 'NotSupportedError';
  }
}

/**
 * The runtime lacks `node:crypto` functions or the `Buffer` global that Tessera needs (an
 * edge runtime with partial Node.js compatibility). Thrown when an adapter is created,
 * never per request.
 */
export class UnsupportedRuntimeError extends TesseraError {
  /** What is missing: `node:crypto` function names, or `the Buffer global`. */
  readonly missing: readonly string[];

  constructor(missing: readonly string[]) {
    super(
      ErrorCode.UNSUPPORTED_RUNTIME,
      `this runtime lacks what Tessera needs from Node.js (node:crypto functions, Buffer): ${missing.join(', ')}; Tessera runs on Node.js, Bun and Deno (on Cloudflare Workers enable the nodejs_compat flag; the Vercel/Next.js edge runtime is not supported)`,
    );
    this.name = 'UnsupportedRuntimeError';
    this.missing = missing;
  }
}

/**
 * Every concurrent slot of a password hasher is busy and its wait queue is full (S-52).
 * Nothing was hashed. Adapters answer 503 with `Retry-After`, as for a store outage: the
 * server is overloaded, the credentials were not judged.
 */
export class PasswordHasherBusyError extends TesseraError {
  /** Hashes allowed to run at once. */
  readonly concurrency: number;
  /** Hashes allowed to wait for a slot. */
  readonly maxQueue: number;

  constructor(concurrency: number, maxQueue: number) {
    super(
      ErrorCode.HASHER_BUSY,
      `password hasher busy: ${concurrency} hashes running and ${maxQueue} waiting; try again shortly`,
    );
    this.name = 'PasswordHasherBusyError';
    this.concurrency = concurrency;
    this.maxQueue = maxQueue;
  }
}

/** True for a {@link PasswordHasherBusyError} from any copy of Tessera. */
export function isPasswordHasherBusyError(error: unknown): error is PasswordHasherBusyError {
  return isTesseraError(error) && error.code === ErrorCode.HASHER_BUSY;
}

/** Which password rule was broken; stable values that applications may map to messages. */
export type PasswordPolicyReason =
  | 'too_short'
  | 'too_long'
  | 'common'
  | 'breached'
  | 'contains_context'
  | 'characters';

/**
 * A new password was refused by the policy (S-48, S-49). The message names the rule
 * (NIST SP 800-63B requires telling the user why), never the password itself.
 */
export class PasswordPolicyError extends TesseraError {
  /** The rule that was broken. */
  readonly reason: PasswordPolicyReason;

  constructor(reason: PasswordPolicyReason, message: string) {
    super(ErrorCode.PASSWORD_POLICY, message);
    this.name = 'PasswordPolicyError';
    this.reason = reason;
  }
}

/** Why an email address was refused; stable values that applications may map to messages. */
export type InvalidEmailReason = 'format' | 'characters' | 'too_long';

/**
 * An email address cannot be normalized: not a string, no `@` or more than one, an empty
 * local part or domain, an empty domain label (`reason: 'format'`); whitespace, control or
 * invisible formatting characters inside (`'characters'`); longer than 254 UTF-8 bytes, or
 * a local part longer than 64 (`'too_long'`). The message never contains the address.
 */
export class InvalidEmailError extends TesseraError {
  /** The rule that was broken. */
  readonly reason: InvalidEmailReason;

  constructor(reason: InvalidEmailReason, message: string) {
    super(ErrorCode.INVALID_EMAIL, message);
    this.name = 'InvalidEmailError';
    this.reason = reason;
  }
}

/** True for an {@link InvalidEmailError} from any copy of Tessera. */
export function isInvalidEmailError(error: unknown): error is InvalidEmailError {
  return isTesseraError(error) && error.code === ErrorCode.INVALID_EMAIL;
}

/**
 * A user repository's `create` found a user with the same normalized email. Exactly one
 * of several concurrent sign-ups with one address succeeds; the others get this. The
 * message never contains the address.
 */
export class EmailTakenError extends TesseraError {
  constructor(options?: { cause?: unknown }) {
    super(ErrorCode.EMAIL_TAKEN, 'a user with this email address already exists', options);
    this.name = 'EmailTakenError';
  }
}

/**
 * A password change or an account deletion was asked for without the current password
 * (S-17). The request is malformed rather than a guess, so it is answered `400` and not
 * counted by the throttle; a wrong current password is a failed sign-in instead.
 */
export class CurrentPasswordRequiredError extends TesseraError {
  /** The operation that needs the current password. */
  readonly operation: 'changePassword' | 'deleteAccount';

  constructor(operation: 'changePassword' | 'deleteAccount') {
    super(ErrorCode.CURRENT_PASSWORD_REQUIRED, `${operation} needs the current password`);
    this.name = 'CurrentPasswordRequiredError';
    this.operation = operation;
  }
}

/** True for an {@link EmailTakenError} from any copy of Tessera. */
export function isEmailTakenError(error: unknown): error is EmailTakenError {
  return isTesseraError(error) && error.code === ErrorCode.EMAIL_TAKEN;
}

/**
 * The user repository failed or timed out (database down, locked, a corrupt row).
 * Adapters answer 503 with `Retry-After`, as for a session store outage: the request was
 * not judged, and may be retried.
 */
export class UserStoreError extends TesseraError {
  /** The repository operation that failed (`findById`, `create`, ...). */
  readonly operation: string;

  constructor(operation: string, options?: { cause?: unknown; message?: string }) {
    super(
      ErrorCode.USER_STORE,
      options?.message ?? `user repository ${operation} failed`,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'UserStoreError';
    this.operation = operation;
  }
}

/** True for a {@link UserStoreError} from any copy of Tessera. */
export function isUserStoreError(error: unknown): error is UserStoreError {
  return isTesseraError(error) && error.code === ErrorCode.USER_STORE;
}

/** Which throttle refused an attempt: the account's counter or the client address's. */
export type ThrottleScope = 'account' | 'address';

/**
 * A sign-in attempt was refused before any password was checked (S-53): the account is
 * in its back-off delay or locked, or the client address used up its allowance. Adapters
 * answer `429` with `Retry-After`; a sign-in flow that must not reveal throttling (S-45)
 * answers its generic failure instead and may add the same `Retry-After`.
 */
export class TooManyAttemptsError extends TesseraError {
  /** Whole seconds to wait before the next attempt can be admitted (at least 1). */
  readonly retryAfterSeconds: number;
  /** Which counter refused the attempt. */
  readonly scope: ThrottleScope;
  /**
   * The account reached its hard limit of consecutive failures: waiting does not help,
   * only a successful reset (`throttle.reset`) unlocks it. `retryAfterSeconds` is then
   * the longest back-off delay, as a hint for clients.
   */
  readonly locked: boolean;

  constructor(scope: ThrottleScope, retryAfterSeconds: number, locked = false) {
    super(
      ErrorCode.TOO_MANY_ATTEMPTS,
      locked
        ? 'too many failed sign-in attempts: the account is locked until it is reset'
        : `too many sign-in attempts for this ${scope}; retry after ${retryAfterSeconds} s`,
    );
    this.name = 'TooManyAttemptsError';
    this.retryAfterSeconds = retryAfterSeconds;
    this.scope = scope;
    this.locked = locked;
  }
}

/** True for a {@link TooManyAttemptsError} from any copy of Tessera. */
export function isTooManyAttemptsError(error: unknown): error is TooManyAttemptsError {
  return isTesseraError(error) && error.code === ErrorCode.TOO_MANY_ATTEMPTS;
}

/**
 * Why a request was refused as a possible cross-site request forgery. The origin reasons
 * come from `checkRequestOrigin`: `cross-site` and `same-site` (`Sec-Fetch-Site`),
 * `origin-mismatch` (an `Origin` that is neither the request's own nor listed),
 * `null-origin` (`Origin: null`: sandboxed frames, `data:` pages, some redirects). The
 * token reasons: `missing-token` (a form post carried none) and `invalid-token` (it did
 * not verify for this session).
 */
export type CsrfReason =
  | 'cross-site'
  | 'same-site'
  | 'origin-mismatch'
  | 'null-origin'
  | 'missing-token'
  | 'invalid-token';

/**
 * A state-changing request was refused by the CSRF defences (S-37, S-38, S-41). Adapters
 * answer a bare `403` (`failureResponse` maps it); nothing the request asked for may have been done. The message
 * names the reason, never the token or a header value.
 */
export class CsrfError extends TesseraError {
  /** What failed. */
  readonly reason: CsrfReason;

  constructor(reason: CsrfReason) {
    super(ErrorCode.CSRF, `request refused by the CSRF checks: ${reason}`);
    this.name = 'CsrfError';
    this.reason = reason;
  }
}

/** True for a {@link CsrfError} from any copy of Tessera. */
export function isCsrfError(error: unknown): error is CsrfError {
  return isTesseraError(error) && error.code === 'CSRF';
}

/**
 * Sign-in failed. The same error, message and status whether the email is unknown or the
 * password wrong, so responses do not reveal which accounts exist (S-45).
 */
export class InvalidCredentialsError extends TesseraError {
  constructor() {
    super(ErrorCode.INVALID_CREDENTIALS, 'invalid email or password');
    this.name = 'InvalidCredentialsError';
  }
}

/** True for an {@link InvalidCredentialsError} from any copy of Tessera. */
export function isInvalidCredentialsError(error: unknown): error is InvalidCredentialsError {
  return isTesseraError(error) && error.code === ErrorCode.INVALID_CREDENTIALS;
}

/** The operation needs a signed-in user (change password, list sessions, ...). */
export class NotSignedInError extends TesseraError {
  constructor(operation: string) {
    super(ErrorCode.NOT_SIGNED_IN, `${operation} needs a signed-in user`);
    this.name = 'NotSignedInError';
  }
}

/** True for a {@link NotSignedInError} from any copy of Tessera. */
export function isNotSignedInError(error: unknown): error is NotSignedInError {
  return isTesseraError(error) && error.code === ErrorCode.NOT_SIGNED_IN;
}
