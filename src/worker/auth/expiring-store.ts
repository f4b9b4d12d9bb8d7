import type { Clock } from '../../common/clock.js';

interface Entry<V> {
  value: V;
  expiresAt: number;
}

/**
 * An in-memory map whose entries all live the same fixed time from creation. Entries are kept in
 * creation order, so expired ones are dropped from the front in O(expired) on every write, and
 * the oldest entry is evicted when `maxEntries` is reached (bounds memory when logins are open
 * to everybody).
 */
export class ExpiringStore<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(
    private readonly lifetimeMs: number,
    private readonly clock: Clock,
    private readonly maxEntries = 100_000,
  ) {}

  /** The live value of `key`, if any (reads do not extend the lifetime). */
  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.clock()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** The live value of `key`, or a new one from `create` (get-or-create). */
  getOrCreate(key: string, create: () => V): V {
    const current = this.get(key);
    if (current !== undefined) return current;
    const value = create();
    this.set(key, value);
    return value;
  }

  set(key: string, value: V): void {
    const now = this.clock();
    this.entries.delete(key);
    this.purge(now);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, expiresAt: now + this.lifetimeMs });
  }

  /** Deletes `key` only while it still holds `value`; true when it did. */
  deleteIf(key: string, value: V): boolean {
    if (this.entries.get(key)?.value !== value) return false;
    this.entries.delete(key);
    return true;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  private purge(now: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt > now) break;
      this.entries.delete(key);
    }
  }
}
