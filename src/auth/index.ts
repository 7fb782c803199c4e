/**
 * `tesserajs/auth`: authentication building blocks. This release holds the password
 * layer (hashing, argon2id by default and scrypt without dependencies, verification of
 * legacy hashes with upgrade on sign-in, bounded hashing concurrency, the NIST SP
 * 800-63B password policy) and sign-in throttling (per account and per client address,
 * in memory here and in Redis through `tesserajs/auth/redis`). Users, sign-in flows and
 * CSRF come later.
 */

export {
  ErrorCode,
  isPasswordHasherBusyError,
  isTooManyAttemptsError,
  PasswordHasherBusyError,
  PasswordPolicyError,
  type PasswordPolicyReason,
  type ThrottleScope,
  TooManyAttemptsError,
} from '../errors.js';
export {
  type ClientAddressFacts,
  type ClientAddressOptions,
  clientAddress,
  clientAddressFrom,
  type NamedRange,
  type TrustProxy,
} from './client-address.js';
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
export type { Admission, AttemptRule, AttemptStore } from './throttle/contract.js';
export {
  MemoryAttempts,
  type MemoryAttemptsOptions,
  type MemoryAttemptsStats,
  memoryAttempts,
} from './throttle/memory.js';
export type {
  AccountThrottleOptions,
  AddressThrottleOptions,
  ThrottleOptions,
} from './throttle/options.js';
export { type AttemptIdentity, createThrottle, type Throttle } from './throttle/throttle.js';
