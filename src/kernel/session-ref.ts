import { createHmac } from 'node:crypto';
import type { Keyring } from '../crypto/keyring.js';

/**
 * Names sessions in events and logs without revealing them (S-57): the first 8 bytes of
 * HMAC-SHA-256 under a key derived from the current signing key, so log lines correlate
 * per session but a leaked log yields no usable id.
 */
export function sessionRefFactory(keyring: Keyring): (id: string) => string {
  const logKey = createHmac('sha256', keyring.key('sign', 0)).update('tessera/log-ref/v1').digest();
  return (id) => createHmac('sha256', logKey).update(id).digest('hex').slice(0, 16);
}
