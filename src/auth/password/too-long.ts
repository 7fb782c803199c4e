/** The error for a password above the hashing limit (S-34), shared by every hasher. */
import { PasswordPolicyError } from '../../errors.js';
import { MAX_PASSWORD_BYTES } from './input.js';

/** A `too_long` {@link PasswordPolicyError}; the message states the limit, not the input. */
export function tooLong(): PasswordPolicyError {
  return new PasswordPolicyError(
    'too_long',
    `password is longer than ${MAX_PASSWORD_BYTES} bytes of UTF-8 and cannot be hashed`,
  );
}
