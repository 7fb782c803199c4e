/**
 * The keyring: the application's secrets turned into purpose-separated working keys,
 * ordered for rotation (S-28, S-29).
 */
import { hkdfSync } from 'node:crypto';
import { WeakSecretError } from '../errors.js';
import { timingSafeEqualBytes } from './compare.js';
import { decodeSecret, GENERATE_HINT, type SecretInput } from './secret.js';

export type { SecretInput } from './secret.js';

/**
 * What a working key is for. Each purpose has its own key, so no token type can stand in
 * for another. `throttle` keys the hashes that name throttled accounts and addresses.
 */
export type KeyPurpose = 'seal' | 'sign' | 'csrf' | 'throttle';

/** Length of a key id, in bytes. */
export const KEY_ID_BYTES = 4;

const PURPOSES: readonly KeyPurpose[] = ['seal', 'sign', 'csrf', 'throttle'];
const KEY_BYTES = 32;
/** HKDF salt: empty, i.e. 32 zero bytes (RFC 5869 §2.2); the secret is already uniform. */
const HKDF_SALT = Buffer.alloc(0);
const KEY_ID_INFO = 'tessera/v1/key-id';

function derive(material: Buffer, info: string, length: number): Buffer {
  return Buffer.from(hkdfSync('sha256', material, HKDF_SALT, info, length));
}

/** The keys derived from one secret. */
interface Entry {
  readonly id: Buffer;
  readonly keys: Readonly<Record<KeyPurpose, Buffer>>;
}

/** Reads the 4-byte key id at `offset` as an unsigned integer (map key). */
function readId(source: Uint8Array, offset: number): number {
  return (
    source[offset]! * 0x1000000 +
    ((source[offset + 1]! << 16) | (source[offset + 2]! << 8) | source[offset + 3]!)
  );
}

/**
 * An ordered list of secrets: the first (index 0) is current and seals and signs; every
 * one verifies, so a secret can be rotated in front of the old one and the old one
 * removed once its tokens have expired or been re-issued (S-29).
 *
 * Each secret yields one 32-byte key per {@link KeyPurpose} (HKDF-SHA256, info
 * `tessera/v1/key/<purpose>`) and a 4-byte public key id (info `tessera/v1/key-id`) that
 * tokens carry so a reader picks the right key at once. Everything is derived here, once;
 * the raw secrets are not kept.
 *
 * @throws WeakSecretError - when the list is empty, a secret carries less than 256 bits
 * of randomness or looks hand-written (rules in docs/formats.md), two secrets are equal,
 * or two key ids collide. The message names the secret's index and how to generate a
 * good one; it never contains the secret.
 */
export class Keyring {
  readonly #entries: readonly Entry[];
  readonly #indexById = new Map<number, number>();

  constructor(secrets: readonly SecretInput[]) {
    if (!Array.isArray(secrets) || secrets.length === 0) {
      throw new WeakSecretError(
        `no secret given: pass at least one secret of 256+ random bits. ${GENERATE_HINT}`,
      );
    }
    const materials = secrets.map((secret, index) => decodeSecret(index, secret));
    try {
      this.#entries = materials.map((_, index) => this.#add(materials, index));
    } finally {
      for (const material of materials) material.fill(0);
    }
  }

  /** Derives the keys of secret `index`, refusing duplicates and key-id collisions. */
  #add(materials: readonly Buffer[], index: number): Entry {
    const material = materials[index]!;
    for (let earlier = 0; earlier < index; earlier++) {
      if (timingSafeEqualBytes(materials[earlier]!, material)) {
        throw new WeakSecretError(
          `secret #${index} duplicates secret #${earlier}; remove it or replace it. ${GENERATE_HINT}`,
        );
      }
    }
    const id = derive(material, KEY_ID_INFO, KEY_ID_BYTES);
    const clash = this.#indexById.get(readId(id, 0));
    if (clash !== undefined) {
      throw new WeakSecretError(
        `secrets #${clash} and #${index} have the same key id; replace one. ${GENERATE_HINT}`,
      );
    }
    this.#indexById.set(readId(id, 0), index);
    const keys = {} as Record<KeyPurpose, Buffer>;
    for (const purpose of PURPOSES) {
      keys[purpose] = derive(material, `tessera/v1/key/${purpose}`, KEY_BYTES);
    }
    return { id, keys: Object.freeze(keys) };
  }

  /** Number of secrets (>= 1). */
  get size(): number {
    return this.#entries.length;
  }

  #entry(index: number): Entry {
    const entry = this.#entries[index];
    if (entry === undefined) throw new RangeError(`no key at index ${index}`);
    return entry;
  }

  /**
   * The 4-byte key id of secret `index`. Public: it appears in every token.
   * The returned Buffer is shared; do not modify it.
   * @default index 0 (the current secret)
   */
  keyId(index = 0): Buffer {
    return this.#entry(index).id;
  }

  /**
   * The 32-byte working key for `purpose` from secret `index`. The Buffer is shared (no
   * copy per call, for speed): never modify it, log it or send it anywhere.
   * @default index 0 (the current secret)
   */
  key(purpose: KeyPurpose, index = 0): Buffer {
    return this.#entry(index).keys[purpose];
  }

  /**
   * The index of the secret whose key id is the 4 bytes of `source` at `offset`, or -1
   * when no listed secret has that id (or fewer than 4 bytes are there).
   * @default offset 0
   */
  indexOfKeyId(source: Uint8Array, offset = 0): number {
    if (offset < 0 || offset + KEY_ID_BYTES > source.length) return -1;
    return this.#indexById.get(readId(source, offset)) ?? -1;
  }
}
