import { cookieFamily, planChunks, readChunks } from '../cookies/chunks.js';
import type { ParsedCookies } from '../cookies/parse.js';
import type { ResolvedSessionCookie } from '../cookies/precomputed.js';
import type { Keyring } from '../crypto/keyring.js';
import { randomBase64url } from '../crypto/random.js';
import { seal, unseal } from '../crypto/seal.js';
import { hashSessionId } from '../crypto/sign.js';
import { isTesseraError } from '../errors.js';
import type { SessionRecord, SessionStore } from '../stores/contract.js';
import { encodeDevice } from './device.js';
import type { RejectionReason } from './events.js';
import type { Origin, SessionHandle } from './lifecycle.js';
import { decodePayload, encodePayload, type PayloadMeta } from './payload.js';
import type { DataSnapshot } from './snapshot.js';
import {
  type ContinuedSession,
  type CookieReading,
  type IssuedSession,
  type NewSession,
  NO_COOKIE,
  type SessionStrategy,
  type Verified,
} from './strategy.js';
import { VerifiedCache, type VerifiedCacheStats } from './verified-cache.js';
import { readRecord, type Writes } from './writes.js';

/** What unsealing a cookie produced (cached per exact cookie). */
interface Unsealed {
  readonly meta: PayloadMeta;
  readonly snapshot: DataSnapshot;
  readonly reissue: boolean;
}

const SEAL_PURPOSE = 'session';
/** Sealed values are ASCII (base64url), so `.length` is bytes. */
const MAX_CACHED_LENGTH = 4096;
/** 128-bit nonces: they name a sealed session, in events and in the registry. */
const NONCE_BYTES = 16;

/**
 * The registry key of a cookie-mode session: a hash in its own domain, so it can never
 * equal a store-mode key (`SHA-256(id)`) when both share one store.
 */
export function registryKey(nonce: string): string {
  return hashSessionId(`cookie-session:${nonce}`);
}

/**
 * Cookie mode: the whole session is sealed (AES-256-GCM, per-seal subkey) into the
 * cookie, chunked over several cookies when large.
 *
 * Without a registry nothing is kept on the server, and so nothing on the server can end
 * a sealed session before its expiry: a copy of the cookie stays valid (the `validate`
 * hook can still refuse it). With a `registry` store, every sealed session is recorded
 * there under its nonce until its absolute expiry; a cookie whose record is gone is
 * refused, which makes `destroy()`, `regenerate()` and the per-user revocations real.
 */
export class CookieStrategy implements SessionStrategy {
  readonly mode = 'cookie';
  readonly #keyring: Keyring;
  readonly #maxChunks: number;
  readonly #cache: VerifiedCache<Verified>;
  readonly #registry: SessionStore | undefined;
  readonly #maxCookieBytes: number;

  constructor(
    keyring: Keyring,
    maxChunks: number,
    cacheSize: number,
    registry: SessionStore | undefined,
    maxCookieBytes: number,
  ) {
    this.#keyring = keyring;
    this.#maxChunks = maxChunks;
    this.#maxCookieBytes = maxCookieBytes;
    this.#cache = new VerifiedCache(cacheSize);
    this.#registry = registry;
  }

  read(cookies: ParsedCookies, name: string): CookieReading {
    const found = readChunks(cookies, name, this.#maxChunks);
    if (found === null) {
      // Family cookies without a consistent set (gap, mixed forms, too many chunks):
      // expire them so the browser stops sending them.
      const family = cookieFamily(cookies, name, this.#maxChunks);
      return family.length === 0 ? NO_COOKIE : { result: 'malformed', present: family };
    }
    const present = found.present;
    if ('duplicate' in found) return { result: 'duplicate_cookie', present };
    let verified = this.#cache.get(name, found.value);
    if (verified === undefined) {
      const opened = this.#unseal(name, found.value);
      if (typeof opened === 'string') return { result: opened, present };
      verified = this.#verified(opened);
      // Multi-chunk sessions are rare and large: caching them would let the cache grow to
      // maxChunks x 4 KiB per entry.
      if (found.value.length <= MAX_CACHED_LENGTH) this.#cache.set(name, found.value, verified);
    }
    return { result: verified, present };
  }

  #unseal(name: string, value: string): Unsealed | RejectionReason {
    let opened: { plaintext: Buffer; keyIndex: number };
    try {
      opened = unseal(this.#keyring, { purpose: SEAL_PURPOSE, name }, value);
    } catch (error) {
      if (isTesseraError(error)) return tamperOrMalformed((error as { reason?: string }).reason);
      throw error;
    }
    try {
      const decoded = decodePayload(opened.plaintext);
      return { meta: decoded.meta, snapshot: decoded.snapshot, reissue: opened.keyIndex > 0 };
    } catch {
      return 'corrupt';
    }
  }

  #verified(unsealed: Unsealed): Verified {
    const { meta } = unsealed;
    const registry = this.#registry;
    const key = registry === undefined ? null : registryKey(meta.nonce);
    const origin: Origin = {
      id: meta.nonce,
      key,
      publicId: undefined,
      snapshot: unsealed.snapshot,
      createdAt: meta.createdAt,
      expiresAt: meta.expiresAt,
      absoluteExpiresAt: meta.absoluteExpiresAt,
      userId: meta.userId,
      reissue: unsealed.reissue,
    };
    if (registry === undefined) return new SealedOnly(origin);
    const handle: SessionHandle = origin;
    return {
      handle,
      // The sealed data is the truth; the registry only says whether it is still live.
      resolve: () => readRecord(registry, key!, (record) => (record === null ? 'revoked' : origin)),
    };
  }

  create(session: NewSession, cookie: ResolvedSessionCookie, writes: Writes): IssuedSession {
    const nonce = randomBase64url(NONCE_BYTES);
    const meta: PayloadMeta = {
      nonce,
      createdAt: session.createdAt,
      expiresAt: session.expiresAt,
      absoluteExpiresAt: session.absoluteExpiresAt,
      userId: session.userId,
    };
    const lines = this.#seal(
      cookie,
      meta,
      session.keys,
      session.texts,
      session.present,
      session.maxAge,
    );
    const registry = this.#registry;
    if (registry === undefined) return { lines, id: nonce, key: null, publicId: undefined };
    {
      const data: Record<string, string> = {};
      if (session.device !== null) encodeDevice(data, session.device);
      // Kept until the absolute expiry: the idle expiry lives in the sealed payload.
      const record: SessionRecord = {
        data,
        createdAt: session.createdAt,
        expiresAt: session.absoluteExpiresAt,
        absoluteExpiresAt: session.absoluteExpiresAt,
        userId: session.userId,
      };
      const key = registryKey(nonce);
      writes.add('set', () => registry.set(key, record));
      return { lines, id: nonce, key, publicId: undefined };
    }
  }

  update(session: ContinuedSession, cookie: ResolvedSessionCookie): string[] {
    const { origin } = session;
    // The expiry travels in the cookie: extending it means re-sealing.
    if (session.diff === null && !session.touchDue && !origin.reissue) return [];
    const meta: PayloadMeta = {
      nonce: origin.id,
      createdAt: origin.createdAt,
      expiresAt: session.expiresAt,
      absoluteExpiresAt: origin.absoluteExpiresAt,
      userId: origin.userId,
    };
    return this.#seal(cookie, meta, session.keys, session.texts, session.present, session.maxAge);
  }

  revoke(handle: SessionHandle, writes: Writes): void {
    const registry = this.#registry;
    if (registry === undefined || handle.key === null) return;
    const key = handle.key;
    writes.revoke(handle.id, () => registry.destroy(key));
  }

  cacheStats(): VerifiedCacheStats {
    return this.#cache.stats();
  }

  /**
   * Seals `meta` and data into `Set-Cookie` lines for `cookie`, chunked as needed, plus
   * deletions for stale chunks present in the request.
   * @throws {SessionTooLargeError} before anything is emitted when it cannot fit.
   */
  #seal(
    cookie: ResolvedSessionCookie,
    meta: PayloadMeta,
    keys: readonly string[],
    texts: readonly string[],
    present: readonly string[],
    maxAge: number | undefined,
  ): string[] {
    const payload = encodePayload(meta, keys, texts);
    const sealed = seal(this.#keyring, { purpose: SEAL_PURPOSE, name: cookie.name }, payload);
    const suffixLength = cookie.suffix.length + (maxAge === undefined ? 0 : 24);
    const chunks = planChunks(
      cookie.name,
      sealed,
      suffixLength,
      this.#maxChunks,
      this.#maxCookieBytes,
    );
    const lines: string[] = [];
    const written = new Set<string>();
    for (const chunk of chunks) {
      written.add(chunk.name);
      lines.push(
        cookie.serialize(
          chunk.value,
          maxAge === undefined ? { name: chunk.name } : { name: chunk.name, maxAge },
        ),
      );
    }
    for (const name of present) if (!written.has(name)) lines.push(cookie.serializeExpired(name));
    return lines;
  }
}

/** A verified sealed session with no registry to ask: the seal alone is the answer. */
class SealedOnly implements Verified {
  readonly handle: Origin;

  constructor(origin: Origin) {
    this.handle = origin;
  }

  resolve(): Origin {
    return this.handle;
  }
}

function tamperOrMalformed(reason: string | undefined): RejectionReason {
  // Encoding and version problems are "malformed"; failed authentication is "tamper".
  return reason === 'auth' || reason === 'key' ? 'tamper' : 'malformed';
}
