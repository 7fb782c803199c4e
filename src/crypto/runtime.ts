/**
 * Whether the runtime's `node:crypto` has what Tessera uses. Node.js, Bun and Deno do;
 * edge runtimes with partial Node.js compatibility may lack some functions, which would
 * otherwise surface as a `TypeError` on the first request that seals or signs.
 *
 * This runs when an adapter is created. It cannot help where `node:crypto` is missing
 * altogether (Vercel's edge runtime, Cloudflare Workers without `nodejs_compat`): there
 * the static import fails first, at bundling or module load, with the runtime's own
 * "cannot resolve node:crypto" error, before any Tessera code runs.
 */
import * as nodeCrypto from 'node:crypto';
import { UnsupportedRuntimeError } from '../errors.js';

/** Every `node:crypto` function Tessera's source imports (src/crypto, src/kernel). */
const REQUIRED = [
  'createCipheriv',
  'createDecipheriv',
  'createHmac',
  'hash',
  'hkdfSync',
  'randomFillSync',
  'timingSafeEqual',
] as const;

let checked = false;

/**
 * Throws {@link UnsupportedRuntimeError} naming the missing functions, once per process
 * at most (later calls are free).
 */
export function assertCryptoRuntime(
  crypto: Readonly<Record<string, unknown>> = nodeCrypto as Readonly<Record<string, unknown>>,
): void {
  if (checked && crypto === nodeCrypto) return;
  const missing = REQUIRED.filter((name) => typeof crypto[name] !== 'function');
  if (missing.length > 0) throw new UnsupportedRuntimeError(missing);
  if (crypto === nodeCrypto) checked = true;
}
