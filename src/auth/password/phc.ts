/**
 * The PHC string format (`$id$v=19$m=19456,t=2,p=1$salt$hash`), the self-describing way
 * password hashes are stored: the algorithm and its parameters travel with every hash,
 * so parameters can be raised later and old hashes recognised and upgraded on sign-in.
 *
 * Spec: https://github.com/P-H-C/phc-string-format/blob/master/phc-sf-spec.md
 * Salt and hash use standard base64 without padding (not base64url).
 */

/** A parsed PHC string. */
export interface PhcHash {
  /** Algorithm identifier, e.g. `argon2id`, `scrypt`. */
  readonly id: string;
  /** The `v=` segment, when present. */
  readonly version?: number;
  /** Parameters in the order they appeared; values are kept as strings. */
  readonly params: ReadonlyMap<string, string>;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

const ID = /^[a-z0-9-]{1,32}$/;
const PARAM = /^([a-z0-9-]{1,32})=([a-zA-Z0-9/+.-]{1,64})$/;
const B64 = /^[A-Za-z0-9+/]+$/;
/** Longest PHC string accepted: far above any real hash, small enough to parse cheaply. */
const MAX_LENGTH = 512;

/** Strict unpadded standard base64; null when not canonical. */
function decodeB64(text: string): Buffer | null {
  if (!B64.test(text) || text.length % 4 === 1) return null;
  const bytes = Buffer.from(text, 'base64');
  return encodeB64(bytes) === text ? bytes : null;
}

/** Standard base64 without padding, as PHC strings write salts and hashes. */
export function encodeB64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('base64')
    .replace(/=+$/, '');
}

/**
 * Parses `text` as a PHC string with a salt and a hash. Returns null (never throws) for
 * anything else: not a string, too long, missing segments, duplicate parameters, non-
 * canonical base64. Callers treat null as "this hash can never verify".
 */
export function parsePhc(text: unknown): PhcHash | null {
  if (typeof text !== 'string' || text.length > MAX_LENGTH || !text.startsWith('$')) return null;
  const parts = text.slice(1).split('$');
  const id = parts.shift();
  if (id === undefined || !ID.test(id)) return null;
  let version: number | undefined;
  if (parts[0]?.startsWith('v=')) {
    const v = parts.shift()!.slice(2);
    if (!/^[0-9]{1,4}$/.test(v)) return null;
    version = Number(v);
  }
  if (parts.length !== 3) return null;
  const [paramText, saltText, hashText] = parts as [string, string, string];
  const params = new Map<string, string>();
  for (const pair of paramText.split(',')) {
    const match = PARAM.exec(pair);
    if (match === null || params.has(match[1]!)) return null;
    params.set(match[1]!, match[2]!);
  }
  const salt = decodeB64(saltText);
  const hash = decodeB64(hashText);
  if (salt === null || hash === null) return null;
  return version === undefined ? { id, params, salt, hash } : { id, version, params, salt, hash };
}

/**
 * The integer parameter `name`, or null when absent, not a decimal integer, or outside
 * `[min, max]` (bounds keep a planted or corrupt hash from demanding gigabytes).
 */
export function intParam(phc: PhcHash, name: string, min: number, max: number): number | null {
  const text = phc.params.get(name);
  if (text === undefined || !/^(0|[1-9][0-9]{0,9})$/.test(text)) return null;
  const value = Number(text);
  return value >= min && value <= max ? value : null;
}

/** Formats a PHC string from its parts. */
export function formatPhc(
  id: string,
  version: number | undefined,
  params: ReadonlyArray<readonly [string, number]>,
  salt: Uint8Array,
  hash: Uint8Array,
): string {
  const v = version === undefined ? '' : `$v=${version}`;
  const p = params.map(([k, value]) => `${k}=${value}`).join(',');
  return `$${id}${v}$${p}$${encodeB64(salt)}$${encodeB64(hash)}`;
}
