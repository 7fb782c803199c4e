/**
 * The size of a stored session's data, in the unit of every size limit: bytes of UTF-8 of
 * its keys and JSON texts (their length in UTF-16 units would under-count). Stores measure
 * a patched record with it, so `maxDataBytes` holds for what is stored, not only for what
 * one request saw.
 */
import { InvalidSessionDataError } from '../errors.js';

/** Bytes of UTF-8 of a data map's keys and texts. */
export function recordBytes(data: Readonly<Record<string, string>>): number {
  let bytes = 0;
  for (const key in data) bytes += Buffer.byteLength(key) + Buffer.byteLength(data[key] ?? '');
  return bytes;
}

/**
 * The error a store rejects a patch with when the patched data would exceed
 * `maxDataBytes` (the record is left unchanged). `bytes` is omitted when the store's
 * backend only reported that the bound was crossed.
 */
export function patchTooLarge(maxDataBytes: number, bytes?: number): InvalidSessionDataError {
  const size = bytes === undefined ? 'more bytes' : `${bytes} bytes`;
  return new InvalidSessionDataError(
    `session data would be ${size} after this change (a concurrent request added to it), above maxDataBytes (${maxDataBytes}); nothing was written`,
  );
}
