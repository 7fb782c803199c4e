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
 */
export class VerifiedCache<V> {
  readonly #max: number;
  /** One map per cookie name (an engine uses one or two names), so lookups allocate nothing. */
  readonly #byName = new Map<string, Map<string, V>>();
  #size = 0;

  constructor(max: number) {
    this.#max = max;
  }

  get(name: string, value: string): V | undefined {
    return this.#byName.get(name)?.get(value);
  }

  set(name: string, value: string, verified: V): void {
    if (this.#max === 0) return;
    let entries = this.#byName.get(name);
    if (entries === undefined) {
      entries = new Map();
      this.#byName.set(name, entries);
    }
    if (entries.has(value)) return;
    if (this.#size >= this.#max) this.#evict(entries);
    entries.set(value, verified);
    this.#size++;
  }

  /** Drops the oldest entry, preferring the map being written to (insertion order). */
  #evict(preferred: Map<string, V>): void {
    const from =
      preferred.size > 0 ? preferred : [...this.#byName.values()].find((m) => m.size > 0);
    const oldest = from?.keys().next().value;
    if (from !== undefined && oldest !== undefined) {
      from.delete(oldest);
      this.#size--;
    }
  }

  get size(): number {
    return this.#size;
  }
}
