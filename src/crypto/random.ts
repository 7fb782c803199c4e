/**
 * CSPRNG bytes served from a pool that is refilled with `randomFillSync`.
 *
 * Why a pool: on Node 20 each `randomBytes(32)` / `randomFillSync(buf32)` call costs
 * several microseconds of fixed overhead, more than the rest of a seal; filling 4 KiB at
 * once spreads that over 128 draws. The bytes come from the same OpenSSL CSPRNG either
 * way (Node's own `randomUUID` pools the same way). Each byte is handed out once and
 * zeroed as it leaves the pool, so secret values (session ids) do not linger in it.
 *
 * Internal: not exported from the package root.
 */
import { randomFillSync } from 'node:crypto';

const POOL_SIZE = 4096;
const pool = Buffer.alloc(POOL_SIZE);
/** Next unused byte; POOL_SIZE means "empty". */
let next = POOL_SIZE;

/** Reserves `n` fresh bytes (n <= POOL_SIZE) and returns their offset in `pool`. */
function take(n: number): number {
  if (next + n > POOL_SIZE) {
    randomFillSync(pool);
    next = 0;
  }
  const at = next;
  next += n;
  return at;
}

/** Fills `target[offset .. offset + n)` with fresh random bytes. */
export function randomInto(target: Uint8Array, offset: number, n: number): void {
  if (n > POOL_SIZE) {
    randomFillSync(target, offset, n);
    return;
  }
  const at = take(n);
  pool.copy(target, offset, at, at + n);
  pool.fill(0, at, at + n);
}

/** `n` fresh random bytes, encoded as unpadded base64url. */
export function randomBase64url(n: number): string {
  if (n > POOL_SIZE) return randomFillSync(Buffer.alloc(n)).toString('base64url');
  const at = take(n);
  const text = pool.toString('base64url', at, at + n);
  pool.fill(0, at, at + n);
  return text;
}
