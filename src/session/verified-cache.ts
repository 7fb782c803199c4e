/**
 * A small bounded map from an exact cookie value to what verifying it produced.
 *
 * Why it is safe: an entry is only ever inserted after the full cryptographic check of
 * that exact string passed, and lookups match the whole string, so a hit proves the
 * same bytes were authenticated before. Time-dependent checks (expiry) are not cached:
 * callers re-check them on every request. Keys rotate out of the keyring only with a
 * new engine, which starts with an empty cache.
 *
 * Why it exists: a READ that changes nothing should cost almost nothing; decrypting or
 * re-MACing the same cookie on every request is most of the per-request overhead.
 */
export class VerifiedCache<V> {
  readonly #max: number;
  readonly #entries = new Map<string, V>();

  constructor(max: number) {
    this.#max = max;
  }

  get(value: string): V | undefined {
    return this.#entries.get(value);
  }

  set(value: string, verified: V): void {
    if (this.#max === 0) return;
    if (this.#entries.size >= this.#max) {
      // Oldest insertion first: Map iteration order is insertion order.
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(value, verified);
  }

  /** Forgets a value (e.g. the session behind it was destroyed or regenerated). */
  delete(value: string): void {
    this.#entries.delete(value);
  }

  get size(): number {
    return this.#entries.size;
  }
}
