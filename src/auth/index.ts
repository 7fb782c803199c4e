/**
 * `tesserajs/auth`: authentication. The flows (`createAuth`: sign-up, sign-in, sign-out,
 * the current user, password change, a user's sessions) and their building blocks: the
 * password layer (argon2id by default, scrypt without dependencies, legacy hashes
 * upgraded on sign-in, bounded hashing concurrency, the NIST SP 800-63B policy), the
 * users layer (the `UserRepository` contract, email normalization, the in-memory
 * repository; SQLite and PostgreSQL in `tesserajs/users/sqlite` and
 * `tesserajs/users/postgres`) and sign-in throttling (per account and per client
 * address, in memory here and in Redis through `tesserajs/auth/redis`).
 */

export {
  CsrfError,
  type CsrfReason,
  CurrentPasswordRequiredError,
  EmailTakenError,
  ErrorCode,
  InvalidCredentialsError,
  InvalidEmailError,
  type InvalidEmailReason,
  isCsrfError,
  isEmailTakenError,
  isInvalidCredentialsError,
  isInvalidEmailError,
  isNotSignedInError,
  isPasswordHasherBusyError,
  isTooManyAttemptsError,
  isUserStoreError,
  NotSignedInError,
  PasswordHasherBusyError,
  PasswordPolicyError,
  type PasswordPolicyReason,
  type ThrottleScope,
  TooManyAttemptsError,
  UserStoreError,
} from '../errors.js';
export {
  type Auth,
  type AuthOptions,
  type AuthRequest,
  type AuthUser,
  type Credentials,
  createAuth,
  type SignUpOptions,
} from './auth.js';
export type { SignInRecord } from './binding.js';
export {
  type ClientAddressFacts,
  type ClientAddressOptions,
  clientAddress,
  clientAddressFrom,
  type NamedRange,
  type TrustProxy,
} from './client-address.js';
export {
  checkRequestOrigin,
  isSafeMethod,
  type OriginCheckOptions,
  type OriginCheckResult,
  type OriginFacts,
  originGuard,
} from './csrf/origin.js';
export {
  CSRF_FIELD,
  CSRF_HEADER,
  type CsrfGuard,
  type CsrfProtectionOptions,
  type CsrfRequestFacts,
  csrfCheck,
  needsToken,
} from './csrf/protect.js';
export { CSRF_TOKEN_LENGTH, type Csrf, type CsrfOptions, createCsrf } from './csrf/token.js';
export type {
  EnumerationProtection,
  SignUpAttempt,
  SignUpAttemptHook,
  SignUpResult,
} from './enumeration.js';
export type { AuthEvent, SignInFailureReason } from './events.js';
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
export {
  type ProtectedRequest,
  type RefusalResponse,
  type RequireUserOptions,
  refuseStranger,
  wantsPage,
} from './protect.js';
export { MAX_RETURN_TO_LENGTH, safeReturnTo, signInRedirect } from './return-to.js';
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
