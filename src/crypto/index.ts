/**
 * Tessera's cryptography: keyring (secrets -> purpose-separated keys, rotation), sealing
 * (AES-256-GCM with per-seal subkeys), signed session ids (HMAC-SHA256) and constant-time
 * comparison. Formats and test vectors: docs/formats.md.
 *
 * Test-only and internal pieces (`sealWithSalt`, the HMAC helper, the random pool) are
 * deliberately not re-exported here.
 */
export { base64urlLength, decodeCanonicalBase64url } from './base64url.js';
export { timingSafeEqualBytes, timingSafeEqualStrings } from './compare.js';
export { KEY_ID_BYTES, type KeyPurpose, Keyring, type SecretInput } from './keyring.js';
export {
  SEAL_VERSION,
  type SealContext,
  seal,
  sealedLength,
  type UnsealResult,
  unseal,
} from './seal.js';
export {
  generateSessionId,
  hashSessionId,
  signSessionId,
  type VerifiedSessionId,
  verifySignedSessionId,
} from './sign.js';
