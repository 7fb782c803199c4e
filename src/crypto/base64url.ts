/**
 * Strict, canonical base64url (RFC 4648 §5, no padding) for every token Tessera reads.
 *
 * Node's decoder is lenient: it skips characters outside the alphabet, accepts `+` and `/`
 * as well as `-` and `_`, stops at `=` and ignores the unused low bits of the last
 * character, so `"QQ"`, `"QR"`, `"Q Q"` and `"Q.Q"` all decode to the byte 0x41 (S-26).
 * Re-encoding the decoded bytes and comparing with the input rejects every such variant:
 * the encoder only ever emits the one canonical text. It is also cheaper than a regular
 * expression over the input on Node 20, and the decode is needed anyway.
 */

/**
 * Decodes `text` if it is the canonical unpadded base64url encoding of some bytes
 * (only `[A-Za-z0-9_-]`, no `=`, length not 1 mod 4, unused trailing bits zero).
 *
 * @returns the bytes, or `null` for any other text. Never throws on a string.
 */
export function decodeCanonicalBase64url(text: string): Buffer | null {
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : null;
}

/** Length of the unpadded base64url encoding of `byteLength` bytes. */
export function base64urlLength(byteLength: number): number {
  return Math.ceil((byteLength * 4) / 3);
}
