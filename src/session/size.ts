/**
 * Bytes of UTF-8, the one unit of every size limit. Session keys and JSON texts may hold
 * any character, so their length in UTF-16 units would under-count.
 */
export { recordBytes } from '../stores/data-bytes.js';

/** Bytes of UTF-8 of parallel key and text lists (what a session's data costs to store). */
export function entriesBytes(keys: readonly string[], texts: readonly string[]): number {
  let bytes = 0;
  for (let i = 0; i < keys.length; i++) {
    bytes += Buffer.byteLength(keys[i]!) + Buffer.byteLength(texts[i]!);
  }
  return bytes;
}
