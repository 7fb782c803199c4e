/**
 * User ids: 128 bits from the CSPRNG as base64url (22 characters). Random rather than a
 * sequence so that ids reveal neither how many users there are nor when one signed up,
 * and cannot be guessed from a neighbour's.
 */
import { randomBytes } from 'node:crypto';

/** Bytes of randomness in a user id. */
export const USER_ID_BYTES = 16;

/** A fresh user id. */
export function newUserId(): string {
  return randomBytes(USER_ID_BYTES).toString('base64url');
}
