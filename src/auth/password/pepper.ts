/**
 * The optional pepper (S-51): a secret kept outside the database (an environment
 * variable, a secrets manager) that every new password hash depends on, so a copy of the
 * users table alone cannot be attacked offline.
 *
 * Construction, the same for every algorithm: the hasher (argon2id or scrypt) is given
 * `base64(HMAC-SHA-256(pepper, NFKC password as UTF-8))` in place of the password, and
 * the hash records which pepper it used as the PHC parameter `keyid` (the name argon2's
 * PHC format gives the identifier of its secret key): `$argon2id$v=19$m=19456,t=2,p=1,
 * keyid=<8 characters>$salt$hash`. The key id is a one-way function of the pepper
 * (HKDF-SHA256, info `tessera/v1/pepper-id`, 6 bytes), so it says nothing about it.
 *
 * Why this and not argon2's own secret input: scrypt has none, and one construction for
 * both keeps hashes movable between them. bcrypt hashes (imported, verify-only) were made
 * without a pepper and are verified as they are, then rehashed with the pepper.
 *
 * Rotation: peppers are listed newest first. A hash made under an older one still
 * verifies and needs rehashing, so it is replaced with the newest at the next sign-in.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import { timingSafeEqualBytes } from '../../crypto/compare.js';
import { decodeSecret, type SecretInput } from '../../crypto/secret.js';
import { InvalidOptionsError, WeakSecretError } from '../../errors.js';
import { passwordBytes } from './input.js';
import { tooLong } from './too-long.js';
import type { PasswordHasher } from './types.js';

/** The PHC parameter that names the pepper of a hash. */
export const PEPPER_PARAM = 'keyid';
const ID_BYTES = 6;
const ID_INFO = 'tessera/v1/pepper-id';

/** One configured pepper: its HMAC key and public id. */
interface Pepper {
  readonly id: string;
  readonly key: Buffer;
}

/** The checked peppers of a hasher, newest first. */
export interface Peppers {
  readonly newest: Pepper;
  byId(id: string): Pepper | undefined;
}

/**
 * Reads the configured peppers (each as strong as a session secret: 256 random bits,
 * same encodings) newest first; refuses an empty list, duplicates and id collisions.
 */
export function readPeppers(list: readonly SecretInput[]): Peppers {
  if (!Array.isArray(list) || list.length === 0) {
    throw new InvalidOptionsError('peppers must be a non-empty list, newest first');
  }
  const peppers: Pepper[] = [];
  const byId = new Map<string, Pepper>();
  list.forEach((input, index) => {
    let key: Buffer;
    try {
      key = decodeSecret(index, input);
    } catch (error) {
      // The secret rules' message, but naming the pepper (never its value).
      if (error instanceof WeakSecretError) {
        throw new WeakSecretError(error.message.replace(/^secret #/, 'pepper #'));
      }
      throw error;
    }
    for (const [earlier, other] of peppers.entries()) {
      if (timingSafeEqualBytes(other.key, key)) {
        throw new WeakSecretError(`pepper #${index} duplicates pepper #${earlier}`);
      }
    }
    const id = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), ID_INFO, ID_BYTES)).toString(
      'base64',
    );
    if (byId.has(id)) throw new WeakSecretError(`peppers #${index} and an earlier one share an id`);
    const pepper = { id, key };
    peppers.push(pepper);
    byId.set(id, pepper);
  });
  return { newest: peppers[0]!, byId: (id) => byId.get(id) };
}

/** What the underlying hasher is given for `password` under `pepper`. */
function peppered(password: string, pepper: Pepper): string | 'type' | 'length' {
  const bytes = passwordBytes(password);
  if (typeof bytes === 'string') return bytes;
  return createHmac('sha256', pepper.key).update(bytes).digest('base64');
}

/** Where the parameters of a PHC string are: the segment before salt and hash. */
function paramsIndex(segments: readonly string[]): number {
  return segments.length - 3;
}

/**
 * The pepper id a PHC string names and the string without it (what the algorithm itself
 * reads); `id` is null for a hash made without a pepper, `invalid` when the parameter is
 * repeated or empty.
 */
export function splitKeyId(hash: string): { id: string | null | 'invalid'; bare: string } {
  const segments = hash.split('$');
  const at = paramsIndex(segments);
  if (at < 2) return { id: null, bare: hash };
  const params = segments[at]!.split(',');
  const named = params.filter((p) => p.startsWith(`${PEPPER_PARAM}=`));
  if (named.length === 0) return { id: null, bare: hash };
  const id = named[0]!.slice(PEPPER_PARAM.length + 1);
  if (named.length > 1 || id === '') return { id: 'invalid', bare: hash };
  segments[at] = params.filter((p) => !p.startsWith(`${PEPPER_PARAM}=`)).join(',');
  return { id, bare: segments.join('$') };
}

/** `hash` with `keyid=<id>` appended to its parameters. */
function withKeyId(hash: string, id: string): string {
  const segments = hash.split('$');
  const at = paramsIndex(segments);
  segments[at] = `${segments[at]},${PEPPER_PARAM}=${id}`;
  return segments.join('$');
}

/**
 * `inner` with the pepper applied: new hashes are made with the newest pepper and name
 * it; a hash naming an older configured pepper verifies and needs rehashing; a hash
 * naming no pepper is left to the caller (see `createPasswordHasher`), an unknown one
 * never verifies.
 */
export function pepperedHasher(inner: PasswordHasher, peppers: Peppers): PasswordHasher {
  return {
    id: inner.id,
    async hash(password) {
      const input = peppered(password, peppers.newest);
      if (input === 'type') throw new TypeError('password must be a well-formed string');
      if (input === 'length') throw tooLong();
      return withKeyId(await inner.hash(input), peppers.newest.id);
    },
    async verify(hash, password) {
      if (typeof hash !== 'string' || typeof password !== 'string') return false;
      const { id, bare } = splitKeyId(hash);
      const pepper = id === null || id === 'invalid' ? undefined : peppers.byId(id);
      if (pepper === undefined) return false;
      const input = peppered(password, pepper);
      if (input === 'type' || input === 'length') return false;
      return inner.verify(bare, input);
    },
    needsRehash(hash) {
      if (typeof hash !== 'string') return true;
      const { id, bare } = splitKeyId(hash);
      return id !== peppers.newest.id || inner.needsRehash(bare);
    },
  };
}
