/**
 * HMAC-SHA256 (RFC 2104) over a fixed-length message, with the key pads computed once.
 *
 * Why not `createHmac`: on Node 20 one `createHmac(...).update(...).digest()` costs about
 * 2.5x as much as two one-shot `crypto.hash` calls, and the session engine runs an HMAC on
 * every request (seal subkey, signed id). The construction is the textbook one,
 * `H((K ^ opad) || H((K ^ ipad) || m))` with K zero-padded to the 64-byte block, and
 * `hmac.test.ts` checks it against `createHmac` for arbitrary keys and messages.
 *
 * Internal: not exported from the package root.
 */
import { hash } from 'node:crypto';

const BLOCK = 64;
const DIGEST = 32;

/** A reusable HMAC-SHA256 computation for one key and one message length. */
export class FixedHmac {
  /** `(K ^ ipad) || message`: the inner hash input, hashed whole. */
  readonly #inner: Buffer;
  /** `(K ^ opad) || innerDigest`: the outer hash input, hashed whole. */
  readonly #outer: Buffer;
  /**
   * Where callers write the message before calling {@link FixedHmac.digestInto}: a view of
   * exactly `messageLength` bytes. Bytes left untouched keep their previous value, so a
   * constant prefix needs writing only once.
   */
  readonly message: Buffer;

  /**
   * @param key - at most 64 bytes (longer keys would need hashing first; Tessera's are 32).
   * @param messageLength - the exact message length every digest covers.
   */
  constructor(key: Uint8Array, messageLength: number) {
    if (key.length > BLOCK) throw new RangeError('FixedHmac keys must be at most 64 bytes');
    this.#inner = Buffer.alloc(BLOCK + messageLength, 0x36);
    this.#outer = Buffer.alloc(BLOCK + DIGEST, 0x5c);
    for (let i = 0; i < key.length; i++) {
      this.#inner[i]! ^= key[i]!;
      this.#outer[i]! ^= key[i]!;
    }
    this.message = this.#inner.subarray(BLOCK);
  }

  /**
   * Writes HMAC(key, message) into `out[offset .. offset + 32)`.
   *
   * The digests travel as latin1 strings because `hash(..., 'buffer')` is several times
   * slower than a string result on Node 20; latin1 maps each byte to one char and back
   * exactly.
   */
  digestInto(out: Buffer, offset: number): void {
    this.#outer.write(hash('sha256', this.#inner, 'binary'), BLOCK, 'latin1');
    out.write(hash('sha256', this.#outer, 'binary'), offset, 'latin1');
  }
}
