/**
 * A small bounded map from an exact cookie (name and value) to what verifying it produced.
 *
 * Why it is safe: an entry is only ever inserted after the full cryptographic check of
 * that exact value under that exact cookie name passed, and lookups match both, so a hit
 * proves the same bytes were authenticated before under the same name (seals and MACs
 * bind the name: a value verified as `sid` proves nothing as `__Host-sid`).
 * Time-dependent checks (expiry) are not cached: callers re-check them on every request.
 * Keys rotate out of the keyring only with a new engine, which starts with an empty cache.
 *
 * Why it exists: a READ that changes nothing should cost almost nothing; decrypting or
 * re-MACing the same cookie on every request is most of the per-request overhead.
 *
 * Admission: a verified value is kept only when it was verified recently before (its
 * fingerprint, the value's last characters, is among the last `2 × capacity` misses).
 * When the same cookies do not come back soon (many more live sessions than entries),
 * caching every verified cookie would cost more than it saves: each entry outlives the
 * young generation and is evicted unread, which measured about a fifth of an uncached
 * load. A cookie that does come back is kept from its second request on. A fingerprint
 * only decides admission; lookups still match the exact name and value.
 */

/**
 * Characters of a value's end that stand for it when deciding admission: the end of a
 * sealed value is its GCM tag and the end of a signed id its MAC, so 16 base64url
 * characters (96 bits) differ between any two cookies a server issued.
 */
const FINGERPRINT_LENGTH = 16;

/** What a cache has done since it was created. */
export interface VerifiedCacheStats {
  /** Entries held now (at most `capacity`). */
  readonly entries: number;
  readonly capacity: number;
  /** Lookups that found an entry. */
  readonly hits: number;
  /** Lookups that found none (the cookie was verified in full). */
  readonly misses: number;
  /**
   * Bytes of the cookie values held as keys (ASCII, one byte per character), not counting
   * the maps' own overhead or the cached readings (a few hundred bytes per entry more).
   */
  readonly valueBytes: number;
}

export class VerifiedCache<V> {
  readonly #max: number;
  /** One map per cookie name (an engine uses one or two names), so lookups allocate nothing. */
  readonly #byName = new Map<string, Map<string, V>>();
  /** Insertion order: slot `#next` holds the oldest entry once the ring is full. */
  readonly #ringMaps: (Map<string, V> | undefined)[];
  readonly #ringKeys: (string | undefined)[];
  #next = 0;
  #size = 0;
  /** Fingerprints of recently verified values not (yet) admitted, in a ring of their own. */
  readonly #seen = new Set<string>();
  readonly #seenRing: (string | undefined)[];
  #seenNext = 0;
  #hits = 0;
  #misses = 0;
  #valueBytes = 0;

  constructor(max: number) {
    this.#max = max;
    this.#ringMaps = new Array(max).fill(undefined);
    this.#ringKeys = new Array(max).fill(undefined);
    this.#seenRing = new Array(2 * max).fill(undefined);
  }

  get(name: string, value: string): V | undefined {
    const verified = this.#byName.get(name)?.get(value);
    if (verified === undefined) this.#misses++;
    else this.#hits++;
    return verified;
  }

  set(name: string, value: string, verified: V): void {
    if (this.#max === 0) return;
    let entries = this.#byName.get(name);
    if (entries === undefined) {
      entries = new Map();
      this.#byName.set(name, entries);
    }
    if (entries.has(value) || !this.#seenBefore(value)) return;
    const slot = this.#next;
    const oldest = this.#ringMaps[slot];
    if (oldest !== undefined) {
      const key = this.#ringKeys[slot]!;
      oldest.delete(key);
      this.#size--;
      this.#valueBytes -= key.length;
    }
    this.#ringMaps[slot] = entries;
    this.#ringKeys[slot] = value;
    this.#next = slot + 1 === this.#max ? 0 : slot + 1;
    entries.set(value, verified);
    this.#size++;
    this.#valueBytes += value.length;
  }

  /** True when `value` was verified recently; otherwise remembers it for next time. */
  #seenBefore(value: string): boolean {
    const print = value.slice(-FINGERPRINT_LENGTH);
    if (this.#seen.has(print)) return true;
    const slot = this.#seenNext;
    const oldest = this.#seenRing[slot];
    if (oldest !== undefined) this.#seen.delete(oldest);
    this.#seenRing[slot] = print;
    this.#seen.add(print);
    this.#seenNext = slot + 1 === this.#seenRing.length ? 0 : slot + 1;
    return false;
  }

  get size(): number {
    return this.#size;
  }

  stats(): VerifiedCacheStats {
    return {
      entries: this.#size,
      capacity: this.#max,
      hits: this.#hits,
      misses: this.#misses,
      valueBytes: this.#valueBytes,
    };
  }
}
