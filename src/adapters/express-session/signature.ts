/**
 * The signed cookie value express-session writes (the `cookie-signature` format):
 *
 *     "s:" + id + "." + base64(HMAC-SHA256(key = secret, message = id)), "=" padding removed
 *
 * Reading it back is what lets existing users stay signed in after the switch.
 */
import { createHmac } from 'node:crypto';
import { timingSafeEqualStrings } from '../../crypto/compare.js';

/** The prefix express-session puts before a signed value. */
export const SIGNED_PREFIX = 's:';

function mac(id: string, secret: string | Uint8Array): string {
  return createHmac('sha256', secret).update(id).digest('base64').replace(/=+$/, '');
}

/** `s:<id>.<mac>` for `id`, signed with `secret` (the first of the configured secrets). */
export function signSessionId(id: string, secret: string | Uint8Array): string {
  return `${SIGNED_PREFIX}${id}.${mac(id, secret)}`;
}

/**
 * The id inside a signed cookie value, or `undefined` when it is not signed or no secret
 * verifies it. Every secret is tried (rotation: the first signs, all verify) and each
 * comparison runs in constant time, as does the choice of which one matched.
 */
export function unsignSessionId(
  value: string,
  secrets: readonly (string | Uint8Array)[],
): string | undefined {
  if (!value.startsWith(SIGNED_PREFIX)) return undefined;
  const signed = value.slice(SIGNED_PREFIX.length);
  const dot = signed.lastIndexOf('.');
  if (dot === -1) return undefined;
  const id = signed.slice(0, dot);
  const given = signed.slice(dot + 1);
  let valid = false;
  // No early exit: the time taken does not reveal which secret (if any) signed it.
  for (const secret of secrets) {
    if (timingSafeEqualStrings(mac(id, secret), given)) valid = true;
  }
  return valid ? id : undefined;
}
