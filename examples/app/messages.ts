/**
 * What the user is told when a flow fails, by the error's stable `code` (and `reason`):
 * specific enough to act on, never revealing whether an account exists, never echoing
 * the password. The same table serves the pages and the JSON API.
 */
import {
  ErrorCode,
  isTesseraError,
  type PasswordPolicyReason,
  type TesseraError,
} from '../../src/errors.js';
import { failureResponse } from '../../src/index.js';

/** A failure the user can act on: the HTTP status, the stable code, the message. */
export interface UserFacingError {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  /** Which form field it concerns, for `aria-describedby`; `null` for the whole form. */
  readonly field: 'email' | 'password' | 'newPassword' | 'currentPassword' | null;
  /** Seconds to wait (throttled, or an outage), sent as `Retry-After` too. */
  readonly retryAfterSeconds: number | null;
}

/** The app's rules for new passwords, shared by the policy and its messages. */
export const MIN_PASSWORD_LENGTH = 10;

const POLICY_MESSAGES: Readonly<Record<PasswordPolicyReason, string>> = {
  too_short: `Use at least ${MIN_PASSWORD_LENGTH} characters: a few words make a strong, memorable password.`,
  too_long: 'Use at most 256 characters.',
  common:
    'This password is one of the most common ones, and the first an attacker tries. Choose another.',
  contains_context: 'Your password must not contain your email address or its name part.',
  breached: 'This password has appeared in a data breach. Choose another.',
  characters: 'Your password contains a character that cannot be used. Type it again.',
};

/** "1 second", "40 seconds", "3 minutes", "2 hours". */
export function formatWait(seconds: number): string {
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (seconds < 120) return unit(Math.max(1, Math.ceil(seconds)), 'second');
  if (seconds < 7200) return unit(Math.ceil(seconds / 60), 'minute');
  return unit(Math.ceil(seconds / 3600), 'hour');
}

function retryAfterOf(error: TesseraError): number | null {
  const header = failureResponse(error).headers.find(([name]) => name === 'retry-after');
  return header === undefined ? null : Number(header[1]);
}

/**
 * The user-facing form of a Tessera error, or `null` for anything else (a bug: the
 * error handler answers 500 and logs it).
 * @param field - the field a wrong password belongs to on this form.
 */
export function describeError(
  error: unknown,
  field: 'password' | 'currentPassword' = 'password',
): UserFacingError | null {
  if (!isTesseraError(error)) return null;
  const status = failureResponse(error).status;
  const retryAfterSeconds = retryAfterOf(error);
  const base = { status, code: error.code, retryAfterSeconds };
  switch (error.code) {
    case ErrorCode.INVALID_CREDENTIALS:
      return field === 'currentPassword'
        ? { ...base, field, message: 'Your current password is not correct.' }
        : {
            ...base,
            field: null,
            message: 'The email address or the password is not correct.',
          };
    case ErrorCode.TOO_MANY_ATTEMPTS: {
      const locked = (error as { locked?: unknown }).locked === true;
      return {
        ...base,
        field: null,
        message: locked
          ? 'This account is locked after too many failed attempts.'
          : `Too many attempts. Try again in ${formatWait(retryAfterSeconds ?? 1)}.`,
      };
    }
    case ErrorCode.EMAIL_TAKEN:
      return {
        ...base,
        field: 'email',
        message: 'An account with this email address already exists. Sign in instead.',
      };
    case ErrorCode.INVALID_EMAIL:
      return {
        ...base,
        field: 'email',
        message: 'Enter an email address such as name@example.com.',
      };
    case ErrorCode.PASSWORD_POLICY: {
      const reason = (error as { reason?: PasswordPolicyReason }).reason ?? 'too_short';
      return {
        ...base,
        field: field === 'currentPassword' ? 'newPassword' : 'password',
        message: POLICY_MESSAGES[reason] ?? POLICY_MESSAGES.too_short,
      };
    }
    case ErrorCode.CURRENT_PASSWORD_REQUIRED:
      return { ...base, field: 'currentPassword', message: 'Enter your current password.' };
    case ErrorCode.NOT_SIGNED_IN:
      return { ...base, field: null, message: 'Your session has ended. Sign in again.' };
    case ErrorCode.CSRF:
      return {
        ...base,
        field: null,
        message:
          'This form was sent from another site, or it has expired. Go back, reload the page and try again.',
      };
    case ErrorCode.STORE_UNAVAILABLE:
    case ErrorCode.USER_STORE:
    case ErrorCode.HASHER_BUSY:
      return {
        ...base,
        field: null,
        message: `The server is busy or its storage is unreachable. Try again in ${formatWait(retryAfterSeconds ?? 5)}.`,
      };
    default:
      return null;
  }
}
