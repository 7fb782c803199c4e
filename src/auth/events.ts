/**
 * The authentication layer's events, for audit logs. They join the open event set of
 * every Tessera module (`TesseraEventMap` in `kernel/events.ts`). None carries a
 * password, a hash, a session id or a cookie: users are named by id, sessions by
 * `sessionRef`-style handles only where the engine already exposes them.
 */
import type { TesseraEvent } from '../kernel/events.js';

/** Why a sign-in failed. Logged, never shown to the user (S-45). */
export type SignInFailureReason =
  /** No user has this email. */
  | 'unknown_email'
  /** The password did not match. */
  | 'wrong_password';

declare module '../kernel/events.js' {
  interface TesseraEventMap {
    'auth.signed_up': { readonly userId: string };
    'auth.signed_in': { readonly userId: string; readonly address: string | null };
    'auth.sign_in_failed': {
      readonly reason: SignInFailureReason;
      /** The user, when the email exists. */
      readonly userId: string | null;
      readonly address: string | null;
    };
    'auth.signed_out': { readonly userId: string | null };
    'auth.password_changed': { readonly userId: string; readonly otherSessionsRevoked: number };
    'auth.password_rehashed': { readonly userId: string };
    'auth.session_revoked': {
      readonly userId: string;
      /**
       * `one` (a device), `others` (all but the current one), `all`, or `limit` (the
       * oldest, beyond `maxSessionsPerUser`, at a sign-in).
       */
      readonly scope: 'one' | 'others' | 'all' | 'limit';
      readonly count: number;
    };
  }
}

/** @internal Keeps this module's augmentation in the program of every importer. */
export type AuthEvent = Extract<TesseraEvent, { type: `auth.${string}` }>;
