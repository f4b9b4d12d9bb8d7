/**
 * Per-key mutual exclusion for async work (per wallet, per task…): calls with the same key run one
 * after the other in arrival order, calls with different keys run concurrently. Not re-entrant: a
 * holder must not call `run` again with its own key. Idle keys take no memory.
 */
export class KeyedMutex<K = string> {
  private readonly tails = new Map<K, Promise<void>>();

  async run<T>(key: K, critical: () => Promise<T> | T): Promise<T> {
    const previous = this.tails.get(key);
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    const tail = previous ? previous.then(() => done) : done;
    this.tails.set(key, tail);
    if (previous) await previous;
    try {
      return await critical();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Keys with a holder or waiters (for tests and diagnostics). */
  get size(): number {
    return this.tails.size;
  }
}
