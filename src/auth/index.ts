/**
 * `tesserajs/auth`: authentication building blocks. The password layer: hashing
 * (argon2id by default, scrypt without dependencies), verification of legacy hashes with
 * upgrade on sign-in, bounded hashing concurrency, and the NIST SP 800-63B password
 * policy. The users layer: the `UserRepository` contract, email normalization and the
 * in-memory repository (SQLite and PostgreSQL in `tesserajs/users/sqlite` and
 * `tesserajs/users/postgres`).
 */

export {
  EmailTakenError,
  ErrorCode,
  InvalidEmailError,
  type InvalidEmailReason,
  isEmailTakenError,
  isInvalidEmailError,
  isPasswordHasherBusyError,
  isUserStoreError,
  PasswordHasherBusyError,
  PasswordPolicyError,
  type PasswordPolicyReason,
  UserStoreError,
} from '../errors.js';
export { type Argon2Options, argon2idHasher } from './password/argon2.js';
export {
  BCRYPT_MAX_BYTES,
  type BcryptOptions,
  bcryptVerifier,
  isBcryptHash,
} from './password/bcrypt.js';
export { COMMON_PASSWORDS } from './password/common-passwords.js';
export {
  createPasswordHasher,
  defaultHasher,
  type PasswordAlgorithm,
  type PasswordHasherOptions,
  type Passwords,
} from './password/create.js';
export { MAX_PASSWORD_BYTES, normalizePassword } from './password/input.js';
export { type PhcHash, parsePhc } from './password/phc.js';
export { checkPasswordPolicy, type PasswordPolicyOptions } from './password/policy.js';
export { type ScryptOptions, scryptHasher } from './password/scrypt.js';
export type { LegacyVerifier, PasswordHasher, VerifyResult } from './password/types.js';
export type { NewUser, UserRecord, UserRepository } from './users/contract.js';
export {
  MAX_EMAIL_BYTES,
  MAX_EMAIL_LOCAL_BYTES,
  normalizeEmail,
  normalizeEmailOrNull,
} from './users/email.js';
export { newUserId, USER_ID_BYTES } from './users/id.js';
export {
  checkPasswordHash,
  isPlausibleUserId,
  MAX_PASSWORD_HASH_LENGTH,
  MAX_USER_ID_LENGTH,
} from './users/input.js';
export { MemoryUserRepository, type MemoryUsersOptions, memoryUsers } from './users/memory.js';
