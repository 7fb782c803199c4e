import { cookieFamily, planChunks, readChunks } from '../cookies/chunks.js';
import type { ParsedCookies } from '../cookies/parse.js';
import type { ResolvedSessionCookie } from '../cookies/precomputed.js';
import type { Keyring } from '../crypto/keyring.js';
import { seal, unseal } from '../crypto/seal.js';
import { isTesseraError } from '../errors.js';
import type { RejectionReason } from './events.js';
import { decodePayload, encodePayload, type PayloadMeta } from './payload.js';
import type { DataSnapshot } from './snapshot.js';
import { VerifiedCache } from './verified-cache.js';

/** What reading a cookie-mode session produced. */
export interface SealedSession {
  readonly meta: PayloadMeta;
  readonly snapshot: DataSnapshot;
  /** Index of the key that opened it; > 0 means re-seal with the current key. */
  readonly keyIndex: number;
}

const SEAL_PURPOSE = 'session';
const MAX_CACHED_LENGTH = 4096;

/**
 * Cookie mode: the whole session is sealed (AES-256-GCM, per-seal subkey) into the
 * cookie, chunked over several cookies when large. Nothing is kept on the server.
 */
export class CookieMode {
  readonly #keyring: Keyring;
  readonly #maxChunks: number;
  readonly #cache: VerifiedCache<SealedSession>;

  constructor(keyring: Keyring, maxChunks: number, cacheSize: number) {
    this.#keyring = keyring;
    this.#maxChunks = maxChunks;
    this.#cache = new VerifiedCache(cacheSize);
  }

  /**
   * Reads the session cookie(s) named `name`. Returns the session, a rejection reason,
   * or `null` when there is no session cookie at all; `present` receives every cookie
   * name of this session family in the request.
   */
  read(
    cookies: ParsedCookies,
    name: string,
    present: { names: readonly string[] },
  ): SealedSession | RejectionReason | null {
    const found = readChunks(cookies, name, this.#maxChunks);
    if (found === null) {
      // Family cookies without a consistent set (gap, mixed forms, too many chunks):
      // remember them all so the response expires every one of them.
      const family = cookieFamily(cookies, name);
      if (family.length === 0) return null;
      present.names = family;
      return 'malformed';
    }
    present.names = found.present;
    if ('duplicate' in found) return 'duplicate_cookie';
    const cached = this.#cache.get(found.value);
    if (cached !== undefined) return cached;
    let opened: { plaintext: Buffer; keyIndex: number };
    try {
      opened = unseal(this.#keyring, { purpose: SEAL_PURPOSE, name }, found.value);
    } catch (error) {
      if (isTesseraError(error)) return tamperOrMalformed((error as { reason?: string }).reason);
      throw error;
    }
    let decoded: ReturnType<typeof decodePayload>;
    try {
      decoded = decodePayload(opened.plaintext.toString('utf8'));
    } catch {
      return 'corrupt';
    }
    const session = { ...decoded, keyIndex: opened.keyIndex };
    // Multi-chunk sessions are rare and large: caching them would let the cache grow to
    // maxChunks x 4 KiB per entry.
    if (found.value.length <= MAX_CACHED_LENGTH) this.#cache.set(found.value, session);
    return session;
  }

  /**
   * Seals `meta` and data into `Set-Cookie` lines for `cookie`, chunked as needed, plus
   * deletions for stale chunks present in the request.
   * @throws {SessionTooLargeError} before anything is emitted when it cannot fit.
   */
  write(
    cookie: ResolvedSessionCookie,
    meta: PayloadMeta,
    keys: readonly string[],
    texts: readonly string[],
    present: readonly string[],
    maxAge: number | undefined,
  ): string[] {
    const payload = encodePayload(meta, keys, texts);
    const sealed = seal(
      this.#keyring,
      { purpose: SEAL_PURPOSE, name: cookie.name },
      Buffer.from(payload, 'utf8'),
    );
    const suffixLength = cookie.suffix.length + (maxAge === undefined ? 0 : 24);
    const chunks = planChunks(cookie.name, sealed, suffixLength, this.#maxChunks);
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

function tamperOrMalformed(reason: string | undefined): RejectionReason {
  // Encoding and version problems are "malformed"; failed authentication is "tamper".
  return reason === 'auth' || reason === 'key' ? 'tamper' : 'malformed';
}
