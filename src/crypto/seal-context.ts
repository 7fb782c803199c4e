/**
 * Associated data for sealing: the blob's header plus the purpose and cookie name it was
 * minted for (S-27). Byte layout in docs/formats.md ("Associated data").
 *
 * Internal: not exported from the package root.
 */

/** What a sealed blob is for. Both fields are bound into the AEAD associated data. */
export interface SealContext {
  /** What the blob carries, e.g. `'session'`, `'csrf'`, `'flash'`. */
  readonly purpose: string;
  /** The cookie name the blob travels in (e.g. `'__Host-sid'`). */
  readonly name: string;
}

/** Bytes of `version || keyId || salt` at the start of every sealed blob. */
export const HEADER_BYTES = 37;

const MAX_FIELD_BYTES = 0xffff;
const MAX_CACHED = 256;

/** AAD buffers by purpose, then name, with the header bytes left free at the front. */
const cache = new Map<string, Map<string, Buffer>>();
let cached = 0;

/**
 * Encodes a context field as UTF-8. Lone surrogates are refused: UTF-8 would turn each
 * into U+FFFD, so two different names would bind the same associated data.
 */
function encodeField(value: unknown, field: string): Buffer {
  if (typeof value !== 'string') throw new TypeError(`seal context ${field} must be a string`);
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > MAX_FIELD_BYTES) throw new TypeError(`seal context ${field} is too long`);
  if (bytes.toString('utf8') !== value) {
    throw new TypeError(`seal context ${field} is not well-formed Unicode`);
  }
  return bytes;
}

/** `[37 free bytes] || u16(len purpose) || purpose || u16(len name) || name`. */
function build(context: SealContext): Buffer {
  const purpose = encodeField(context.purpose, 'purpose');
  const name = encodeField(context.name, 'name');
  const aad = Buffer.alloc(HEADER_BYTES + 4 + purpose.length + name.length);
  let at = aad.writeUInt16BE(purpose.length, HEADER_BYTES);
  at += purpose.copy(aad, at);
  at = aad.writeUInt16BE(name.length, at);
  name.copy(aad, at);
  return aad;
}

/**
 * The associated data for `context` with `header` (the blob's first 37 bytes) copied into
 * its front. The returned Buffer is reused by the next call: pass it to `setAAD` at once.
 *
 * @throws TypeError - when purpose or name is not a string, has a lone surrogate, or
 * exceeds 65535 UTF-8 bytes.
 */
export function associatedData(context: SealContext, header: Buffer): Buffer {
  let byName = cache.get(context.purpose);
  let aad = byName?.get(context.name);
  if (aad === undefined) {
    aad = build(context);
    // A bounded cache: apps use a handful of cookie names; anything beyond is built per call.
    if (cached < MAX_CACHED) {
      if (byName === undefined) {
        byName = new Map();
        cache.set(context.purpose, byName);
      }
      byName.set(context.name, aad);
      cached++;
    }
  }
  header.copy(aad, 0, 0, HEADER_BYTES);
  return aad;
}
