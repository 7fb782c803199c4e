/**
 * Account enumeration on sign-up (S-47). By default a sign-up with a taken email fails
 * with `EMAIL_TAKEN` (409), which tells the visitor that the email has an account. In
 * `strict` mode sign-up answers the same for a new and a taken email: it never signs in,
 * never fails with `EMAIL_TAKEN`, and resolves to nothing in both cases; the application
 * learns which it was through `onSignUpAttempt` and tells the owner of the address by
 * email, the one channel only they read.
 */
import { InvalidOptionsError } from '../errors.js';
import type { AuthUser } from './auth.js';

/**
 * How much sign-up may reveal about which emails have accounts:
 * - `standard`: a taken email fails with `EMAIL_TAKEN` (409) and a new one signs in at
 *   once; the cost is the same either way (S-46) and attempts are throttled (S-53);
 * - `strict`: a new and a taken email get the same answer; the application finishes
 *   the sign-up by email (see {@link SignUpAttempt}).
 */
export type EnumerationProtection = 'standard' | 'strict';

/**
 * What `onSignUpAttempt` hears after every sign-up that passed the email and password
 * checks: `created` with the new user, or `exists` when the email already had an account
 * (in strict mode, the owner should get an email saying so, not the visitor).
 */
export type SignUpAttempt =
  | { readonly outcome: 'created'; readonly email: string; readonly user: AuthUser }
  | { readonly outcome: 'exists'; readonly email: string };

/**
 * Told of each sign-up attempt; awaited before `signUp` resolves, and an error it throws
 * is `signUp`'s. Its time is part of the response time in both outcomes: queue the email
 * here and send it elsewhere, so that both outcomes take as long.
 */
export type SignUpAttemptHook = (attempt: SignUpAttempt) => void | Promise<void>;

/** What `signUp` resolves to: the new user, or nothing in strict mode (the same for both outcomes). */
export type SignUpResult<M extends EnumerationProtection> = M extends 'strict'
  ? undefined
  : AuthUser;

/** The checked enumeration options of `createAuth`. */
export interface EnumerationSettings {
  readonly strict: boolean;
  readonly onSignUpAttempt: SignUpAttemptHook | null;
}

/** Checks `enumerationProtection` and `onSignUpAttempt`; strict mode needs the hook. */
export function enumerationSettings(options: {
  readonly enumerationProtection?: unknown;
  readonly onSignUpAttempt?: unknown;
}): EnumerationSettings {
  const mode = options.enumerationProtection ?? 'standard';
  if (mode !== 'standard' && mode !== 'strict') {
    throw new InvalidOptionsError(
      "createAuth: enumerationProtection must be 'standard' or 'strict'",
    );
  }
  const hook = options.onSignUpAttempt ?? null;
  if (hook !== null && typeof hook !== 'function') {
    throw new InvalidOptionsError('createAuth: onSignUpAttempt must be a function');
  }
  if (mode === 'strict' && hook === null) {
    throw new InvalidOptionsError(
      "createAuth: enumerationProtection 'strict' needs onSignUpAttempt, to tell the owner of the email by email",
    );
  }
  return { strict: mode === 'strict', onSignUpAttempt: hook as SignUpAttemptHook | null };
}
