/**
 * Which session keys belong to which user, so listing or revoking a user's sessions costs
 * O(that user's sessions) instead of a scan of the whole store. A `Map` (not a plain
 * object) keeps user ids like `__proto__` ordinary keys.
 */
export class UserIndex {
  readonly #keysByUser = new Map<string, Set<string>>();
  #keyCount = 0;

  /** Number of users with at least one indexed session. */
  get users(): number {
    return this.#keysByUser.size;
  }

  /** Number of indexed session keys, over all users. */
  get keys(): number {
    return this.#keyCount;
  }

  /** Records that `key` belongs to `userId`; `null` (anonymous) is not indexed. */
  add(userId: string | null, key: string): void {
    if (userId === null) return;
    let keys = this.#keysByUser.get(userId);
    if (keys === undefined) {
      keys = new Set();
      this.#keysByUser.set(userId, keys);
    }
    const before = keys.size;
    keys.add(key);
    this.#keyCount += keys.size - before;
  }

  /** Forgets that `key` belongs to `userId`, dropping the user once they have no keys left. */
  remove(userId: string | null, key: string): void {
    if (userId === null) return;
    const keys = this.#keysByUser.get(userId);
    if (keys === undefined || !keys.delete(key)) return;
    this.#keyCount -= 1;
    if (keys.size === 0) this.#keysByUser.delete(userId);
  }

  /** Moves `key` from one user to another; a no-op when both are the same. */
  move(from: string | null, to: string | null, key: string): void {
    if (from === to) return;
    this.remove(from, key);
    this.add(to, key);
  }

  /** A snapshot of the user's keys, safe to iterate while the index changes. */
  keysOf(userId: string): string[] {
    const keys = this.#keysByUser.get(userId);
    return keys === undefined ? [] : [...keys];
  }
}
