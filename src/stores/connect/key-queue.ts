/**
 * Runs tasks on the same key one after another, within this process. The connect bridge
 * has no atomic per-key write, so it serializes its own read-modify-write cycles per key:
 * concurrent patches from this process then never lose each other, and a destroy is never
 * undone by a patch that read the record before it. Other processes are not covered.
 */
export class KeyQueue {
  readonly #tails = new Map<string, Promise<void>>();

  /** Runs `task` once every earlier task for `key` has settled; settles with it. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => {},
      () => {},
    );
    this.#tails.set(key, tail);
    // Forget the key once its last task settled, so the map only holds busy keys.
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  /** How many keys have tasks pending (for tests). */
  get size(): number {
    return this.#tails.size;
  }
}
