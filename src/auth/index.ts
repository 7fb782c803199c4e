/**
 * `tesserajs/auth`: authentication building blocks. The password layer: hashing (argon2id
 * by default, scrypt without dependencies), verification of legacy hashes with upgrade
 * on sign-in, bounded hashing concurrency, and the NIST SP 800-63B password policy. CSRF
 * defences (origin guard, masked per-session tokens) and safe return URLs. Users,
 * sign-in flows and throttling come later.
 */

export {
  CsrfError,
  type CsrfReason,
  ErrorCode,
  isCsrfError,
  isPasswordHasherBusyError,
  PasswordHasherBusyError,
  PasswordPolicyError,
  type PasswordPolicyReason,
} from '../errors.js';
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
export { MAX_RETURN_TO_LENGTH, safeReturnTo, signInRedirect } from './return-to.js';
