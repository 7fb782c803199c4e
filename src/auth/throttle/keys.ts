/**
 * The names counters are kept under. An identifier is personal data and an address
 * nearly so, so neither reaches a backend: each is hashed, keyed by the keyring's
 * `throttle` key when there is one, with its scope so the two kinds never share a key.
 */
import { createHash, createHmac } from 'node:crypto';
import type { Keyring } from '../../crypto/keyring.js';
import { formatIp, maskIp, parseIp } from '../ip.js';

/** Hashes a scope and value to the key a backend sees (`a:` accounts, `i:` addresses). */
export type KeyHasher = (scope: 'a' | 'i', value: string) => string;

/**
 * The hasher: HMAC-SHA-256 under the `throttle` key of the current secret, or SHA-256
 * with a fixed label without a keyring. Rotating the current secret starts every count
 * afresh, which is the price of not keeping old keys around for this.
 */
export function keyHasher(keyring: Keyring | undefined): KeyHasher {
  if (keyring === undefined) {
    return (scope, value) =>
      `${scope}:${createHash('sha256').update(`tessera/throttle/v1\0${scope}\0${value}`).digest('base64url')}`;
  }
  const key = keyring.key('throttle', 0);
  return (scope, value) =>
    `${scope}:${createHmac('sha256', key).update(`${scope}\0${value}`).digest('base64url')}`;
}

/**
 * One spelling per identifier: NFKC, trimmed, lower case, so `Alice@Example.com ` and
 * `alice@example.com` share a count (an attacker gains nothing from variants).
 */
export function accountName(account: string): string {
  return account.normalize('NFKC').trim().toLowerCase();
}

/**
 * One name per source: an IPv4 address, or an IPv6 address's first `ipv6PrefixBits`
 * (`2001:db8:1:2::/64`). Text that is not an address is used as it is.
 */
export function addressName(address: string, ipv6PrefixBits: number): string {
  const ip = parseIp(address);
  if (ip === null) return address.trim();
  if (ip.version === 4) return formatIp(ip);
  return `${formatIp(maskIp(ip, ipv6PrefixBits))}/${ipv6PrefixBits}`;
}
