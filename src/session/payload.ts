import { InvalidSessionDataError } from '../errors.js';
import { type DataSnapshot, snapshotFromEntries, snapshotFromObject } from './snapshot.js';

/**
 * The plaintext sealed into a cookie-mode session cookie (documented in docs/formats.md,
 * "Session payload"). Version 2, written since 0.1, is binary:
 *
 *     0x02 || str(nonce) || u48(createdAt) || u48(expiresAt) || u48(absoluteExpiresAt)
 *          || user || (str(key) || str(json text))*
 *
 * `str(s)` is a varint byte length then the UTF-8 bytes; `user` is varint 0 for no user,
 * else the varint of its byte length plus one, then the bytes. Data values travel as the
 * JSON texts they were serialized to, so reading a cookie never re-serializes them, and
 * the fixed metadata costs no JSON at all.
 *
 * Version 1 (JSON, `{"v":1,...}`) is still read, so cookies issued before stay valid; it
 * starts with `{`, which no version byte is.
 *
 * Both expiries live inside the authenticated payload, so a replayed old cookie is
 * rejected by the server whatever the browser kept (S-08, S-09).
 */

/** Version of the payload layout written. */
export const PAYLOAD_VERSION = 2;
/** The JSON payload version still read. */
const JSON_PAYLOAD_VERSION = 1;
const JSON_START = 0x7b; // '{'
const INSTANT_BYTES = 6;
/** Instants are unsigned 48-bit milliseconds: enough until the year 10889. */
const MAX_INSTANT = 2 ** 48 - 1;
/** Lengths above 2^28 cannot occur in a cookie; four varint bytes are the most read. */
const MAX_VARINT_BYTES = 4;

/** Session metadata carried in every payload. */
export interface PayloadMeta {
  /** Random per-session nonce (regenerated with the session); names it in events. */
  readonly nonce: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly absoluteExpiresAt: number;
  readonly userId: string | null;
}

function varintBytes(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : 4;
}

function writeVarint(out: Buffer, at: number, n: number): number {
  while (n >= 0x80) {
    out[at++] = (n & 0x7f) | 0x80;
    n >>>= 7;
  }
  out[at++] = n;
  return at;
}

function checkInstant(value: number, field: string): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > MAX_INSTANT) {
    throw new InvalidSessionDataError(
      `session ${field} must be whole milliseconds between 0 and 2^48 - 1 (check the clock)`,
    );
  }
}

/**
 * Serializes a payload (version 2) from metadata and per-key JSON texts (already
 * serialized, in order).
 * @throws {InvalidSessionDataError} when an instant is not whole milliseconds in range.
 */
export function encodePayload(
  meta: PayloadMeta,
  keys: readonly string[],
  texts: readonly string[],
): Buffer {
  checkInstant(meta.createdAt, 'creation time');
  checkInstant(meta.expiresAt, 'expiry');
  checkInstant(meta.absoluteExpiresAt, 'absolute expiry');
  const nonceBytes = Buffer.byteLength(meta.nonce);
  const userBytes = meta.userId === null ? -1 : Buffer.byteLength(meta.userId);
  let size = 1 + varintBytes(nonceBytes) + nonceBytes + 3 * INSTANT_BYTES;
  size += userBytes < 0 ? 1 : varintBytes(userBytes + 1) + userBytes;
  const lengths: number[] = new Array(2 * keys.length);
  for (let i = 0; i < keys.length; i++) {
    const keyBytes = Buffer.byteLength(keys[i]!);
    const textBytes = Buffer.byteLength(texts[i]!);
    lengths[2 * i] = keyBytes;
    lengths[2 * i + 1] = textBytes;
    size += varintBytes(keyBytes) + keyBytes + varintBytes(textBytes) + textBytes;
  }
  const out = Buffer.allocUnsafe(size);
  out[0] = PAYLOAD_VERSION;
  let at = writeVarint(out, 1, nonceBytes);
  at += out.write(meta.nonce, at, 'utf8');
  at = out.writeUIntBE(meta.createdAt, at, INSTANT_BYTES);
  at = out.writeUIntBE(meta.expiresAt, at, INSTANT_BYTES);
  at = out.writeUIntBE(meta.absoluteExpiresAt, at, INSTANT_BYTES);
  if (userBytes < 0) out[at++] = 0;
  else {
    at = writeVarint(out, at, userBytes + 1);
    at += out.write(meta.userId!, at, 'utf8');
  }
  for (let i = 0; i < keys.length; i++) {
    at = writeVarint(out, at, lengths[2 * i]!);
    at += out.write(keys[i]!, at, 'utf8');
    at = writeVarint(out, at, lengths[2 * i + 1]!);
    at += out.write(texts[i]!, at, 'utf8');
  }
  return out;
}

/** A forward-only reader over a version 2 payload; every read is bounds-checked. */
class PayloadReader {
  readonly #bytes: Buffer;
  #at = 1;

  constructor(bytes: Buffer) {
    this.#bytes = bytes;
  }

  get done(): boolean {
    return this.#at === this.#bytes.length;
  }

  varint(): number {
    let n = 0;
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      const byte = this.#bytes[this.#at++];
      if (byte === undefined) throw truncated();
      n += (byte & 0x7f) * 2 ** (7 * i);
      if (byte < 0x80) return n;
    }
    throw new InvalidSessionDataError('session payload has an overlong length');
  }

  text(bytes: number): string {
    const end = this.#at + bytes;
    if (end > this.#bytes.length) throw truncated();
    const value = this.#bytes.toString('utf8', this.#at, end);
    this.#at = end;
    return value;
  }

  instant(): number {
    if (this.#at + INSTANT_BYTES > this.#bytes.length) throw truncated();
    const value = this.#bytes.readUIntBE(this.#at, INSTANT_BYTES);
    this.#at += INSTANT_BYTES;
    return value;
  }
}

function truncated(): InvalidSessionDataError {
  return new InvalidSessionDataError('session payload is truncated');
}

/**
 * Parses a payload of either version. Throws {@link InvalidSessionDataError} when it is
 * not a known version's shape; data values go through the hardened parser (prototype keys
 * dropped, depth bounded).
 */
export function decodePayload(plaintext: Buffer): { meta: PayloadMeta; snapshot: DataSnapshot } {
  const version = plaintext[0];
  if (version === JSON_START) return decodeJsonPayload(plaintext.toString('utf8'));
  if (version !== PAYLOAD_VERSION) {
    throw new InvalidSessionDataError('unknown session payload version');
  }
  const reader = new PayloadReader(plaintext);
  const nonce = reader.text(reader.varint());
  const createdAt = reader.instant();
  const expiresAt = reader.instant();
  const absoluteExpiresAt = reader.instant();
  const user = reader.varint();
  const userId = user === 0 ? null : reader.text(user - 1);
  const keys: string[] = [];
  const texts: string[] = [];
  while (!reader.done) {
    keys.push(reader.text(reader.varint()));
    texts.push(reader.text(reader.varint()));
  }
  return {
    meta: { nonce, createdAt, expiresAt, absoluteExpiresAt, userId },
    snapshot: snapshotFromEntries(keys, texts),
  };
}

function isInstant(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** Version 1: `{"v":1,"n":nonce,"c":createdAt,"e":expiresAt,"a":absoluteExpiresAt,"u":userId,"d":{...}}`. */
function decodeJsonPayload(plaintext: string): { meta: PayloadMeta; snapshot: DataSnapshot } {
  // The text starts with `{`, so JSON.parse either throws or returns a plain object.
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(plaintext) as Record<string, unknown>;
  } catch {
    throw new InvalidSessionDataError('session payload is not JSON');
  }
  const { v, n, c, e, a, u, d } = raw;
  if (v !== JSON_PAYLOAD_VERSION) {
    throw new InvalidSessionDataError('unknown session payload version');
  }
  if (
    typeof n !== 'string' ||
    !isInstant(c) ||
    !isInstant(e) ||
    !isInstant(a) ||
    (u !== null && typeof u !== 'string') ||
    typeof d !== 'object' ||
    d === null ||
    Array.isArray(d)
  ) {
    throw new InvalidSessionDataError('session payload has the wrong shape');
  }
  return {
    meta: { nonce: n, createdAt: c, expiresAt: e, absoluteExpiresAt: a, userId: u },
    snapshot: snapshotFromObject(d as Record<string, unknown>),
  };
}
