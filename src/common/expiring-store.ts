import { LRUCache } from 'lru-cache';
import type { Clock } from './clock.js';

/** Expired entries are dropped in one pass at most this often (on write; no timer). */
const MAX_SWEEP_PERIOD_MS = 60_000;

/**
 * An in-memory map whose entries all live the same fixed time from creation (reads do not
 * extend it), bounded to `maxEntries`: past it the least recently used entry goes, so a flood of
 * new keys costs a bounded amount of memory. Built on `lru-cache`, timed by `clock`.
 */
export class ExpiringStore<V extends NonNullable<unknown>> {
  private readonly entries: LRUCache<string, V>;
  private readonly sweepPeriodMs: number;
  private nextSweep = 0;

  constructor(
    lifetimeMs: number,
    private readonly clock: Clock,
    maxEntries = 100_000,
  ) {
    this.entries = new LRUCache<string, V>({
      max: maxEntries,
      // lru-cache expires an entry once strictly older than its ttl; ours expire at their age
      // of lifetimeMs (millisecond clocks).
      ttl: Math.max(1, lifetimeMs - 1),
      ttlResolution: 0,
      perf: { now: clock },
    });
    this.sweepPeriodMs = Math.min(lifetimeMs, MAX_SWEEP_PERIOD_MS);
  }

  /** The live value of `key`, if any. */
  get(key: string): V | undefined {
    return this.entries.get(key);
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
    if (now >= this.nextSweep) {
      this.nextSweep = now + this.sweepPeriodMs;
      this.entries.purgeStale();
    }
    this.entries.set(key, value);
  }

  /** Deletes `key` only while it still holds `value`; true when it did. */
  deleteIf(key: string, value: V): boolean {
    if (this.entries.get(key) !== value) return false;
    this.entries.delete(key);
    return true;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Entries held, expired ones not yet swept included. */
  get size(): number {
    return this.entries.size;
  }
}
