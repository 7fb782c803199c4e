/**
 * Whether the runtime has what Tessera's core uses from Node.js: functions of
 * `node:crypto` and the `Buffer` global. Node.js, Bun and Deno have both; edge runtimes
 * with partial Node.js compatibility may lack some, which would otherwise surface as a
 * `TypeError` on the first request that seals or signs.
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

/** What is checked: the `node:crypto` module and the `Buffer` global. */
export interface RuntimeParts {
  readonly crypto: Readonly<Record<string, unknown>>;
  readonly buffer: unknown;
}

const ACTUAL: RuntimeParts = {
  crypto: nodeCrypto as Readonly<Record<string, unknown>>,
  buffer: (globalThis as { Buffer?: unknown }).Buffer,
};
let checked = false;

/**
 * Throws {@link UnsupportedRuntimeError} naming what is missing. The real runtime is
 * checked once per process (later calls are free); `parts` is for tests.
 */
export function assertCryptoRuntime(parts: RuntimeParts = ACTUAL): void {
  if (checked && parts === ACTUAL) return;
  const missing: string[] = REQUIRED.filter((name) => typeof parts.crypto[name] !== 'function');
  if (typeof parts.buffer !== 'function') missing.push('the Buffer global');
  if (missing.length > 0) throw new UnsupportedRuntimeError(missing);
  if (parts === ACTUAL) checked = true;
}
