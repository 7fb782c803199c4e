import { InvalidSessionDataError } from '../errors.js';
import { type DataSnapshot, snapshotFromObject } from './snapshot.js';

/**
 * The plaintext sealed into a cookie-mode session cookie (documented in
 * docs/formats.md, "Session payload"). JSON, compact keys:
 *
 * `{"v":1,"n":nonce,"c":createdAt,"e":expiresAt,"a":absoluteExpiresAt,"u":userId,"d":{...}}`
 *
 * Both expiries live inside the authenticated payload, so a replayed old cookie is
 * rejected by the server whatever the browser kept (S-08, S-09).
 */

/** Version of the payload layout. */
export const PAYLOAD_VERSION = 1;

/** Session metadata carried in every payload. */
export interface PayloadMeta {
  /** Random per-session nonce (regenerated with the session); names it in events. */
  readonly nonce: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly absoluteExpiresAt: number;
  readonly userId: string | null;
}

/** Serializes a payload from metadata and per-key JSON texts (already serialized). */
export function encodePayload(
  meta: PayloadMeta,
  keys: readonly string[],
  texts: readonly string[],
): string {
  let data = '';
  for (let i = 0; i < keys.length; i++) {
    data += `${i === 0 ? '' : ','}${JSON.stringify(keys[i])}:${texts[i]}`;
  }
  return `{"v":${PAYLOAD_VERSION},"n":${JSON.stringify(meta.nonce)},"c":${meta.createdAt},"e":${meta.expiresAt},"a":${meta.absoluteExpiresAt},"u":${JSON.stringify(meta.userId)},"d":{${data}}}`;
}

function isInstant(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/**
 * Parses a payload. Throws {@link InvalidSessionDataError} when it is not this version's
 * shape; data values go through the hardened parser (prototype keys dropped, depth bounded).
 */
export function decodePayload(plaintext: string): { meta: PayloadMeta; snapshot: DataSnapshot } {
  let raw: unknown;
  try {
    raw = JSON.parse(plaintext);
  } catch {
    throw new InvalidSessionDataError('session payload is not JSON');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new InvalidSessionDataError('session payload is not an object');
  }
  const p = raw as Record<string, unknown>;
  const { v, n, c, e, a, u, d } = p;
  if (v !== PAYLOAD_VERSION) throw new InvalidSessionDataError('unknown session payload version');
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
