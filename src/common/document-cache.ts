import { KeyedMutex } from './keyed-mutex.js';

/**
 * Write-through copies of documents that this process alone writes (a workerpool has one
 * scheduler, and its writes for a task are serialized in-process), keyed by an identifier such as
 * the chainTaskId. The database stays the truth: a write goes to it first and only then to the
 * copy, a failed or uncertain write drops the copy, and a restart starts empty. What it saves is
 * the read before each state change, the hot path of every worker report.
 *
 * Writes are compare-and-set, one at a time per key. A read that missed is only kept if no write
 * to its key was in flight at any moment of the read, so a slow read can never put back a state
 * older than the last write. Copies go in and out by value: callers may change what they get. At
 * most `limit` documents are kept, least recently used out.
 */
export class DocumentCache<T extends object> {
  private readonly entries = new Map<string, T>();
  private readonly reads = new Map<string, { value: Promise<T | null>; stale: boolean }>();
  /** Keys with a write in flight. */
  private readonly writing = new Set<string>();
  private readonly locks = new KeyedMutex();

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`cache limit must be ≥ 1: ${limit}`);
  }

  /** The cached document, or `load()`'s (kept unless a write to `key` happened meanwhile). */
  async get(key: string, load: () => Promise<T | null>): Promise<T | null> {
    const cached = this.entries.get(key);
    if (cached) {
      this.touch(key, cached);
      return copyDocument(cached);
    }
    let read = this.reads.get(key);
    if (!read) {
      const value = load();
      const current = { value, stale: this.writing.has(key) };
      read = current;
      this.reads.set(key, current);
      const settle = () => {
        if (this.reads.get(key) === current) this.reads.delete(key);
      };
      value.then((doc) => {
        if (!current.stale && doc) this.keep(key, doc);
        settle();
      }, settle);
    }
    const doc = await read.value;
    return doc ? copyDocument(doc) : null;
  }

  /**
   * Compare-and-set made in this process: under a lock per key, `expect` judges the current
   * document (the cached copy, or `load()`'s) and only if it holds does `persist` write, addressing
   * the document by `_id` (the one filter FerretDB runs inside SQLite; any other makes it decode
   * the collection). Two calls on one key never interleave, so no write is lost between the
   * check and the write; a writer outside this process is not seen (one scheduler per database).
   */
  compareAndWrite(
    key: string,
    load: () => Promise<T | null>,
    expect: (current: T) => boolean,
    persist: (current: T) => Promise<boolean>,
    apply: (cached: T) => void,
  ): Promise<boolean> {
    return this.locks.run(key, async () => {
      const current = await this.get(key, load);
      if (!current || !expect(current)) return false;
      return this.write(key, () => persist(current), apply);
    });
  }

  /**
   * A database write on `key` and, once it reports success, `apply` on the cached copy. A write
   * that fails or throws drops the copy: the next read goes to the database.
   */
  private async write(
    key: string,
    persist: () => Promise<boolean>,
    apply: (cached: T) => void,
  ): Promise<boolean> {
    const read = this.reads.get(key);
    if (read) read.stale = true;
    this.writing.add(key);
    let written = false;
    try {
      written = await persist();
      return written;
    } finally {
      const cached = this.entries.get(key);
      if (cached && written) apply(cached);
      else this.entries.delete(key);
      this.writing.delete(key);
    }
  }

  /**
   * A document this process has just inserted, kept without reading it back (a read by a key
   * other than `_id` decodes the whole collection on FerretDB). Under the key's lock, and only if
   * no copy is there yet: a compare-and-set since the insert has already put a newer one.
   */
  remember(key: string, doc: T): Promise<void> {
    return this.locks.run(key, async () => {
      if (!this.entries.has(key) && !this.writing.has(key)) this.keep(key, doc);
    });
  }

  /** Forgets `key` (a write outside `compareAndWrite`, e.g. an insert that may have raced a read). */
  forget(key: string): void {
    this.entries.delete(key);
    const read = this.reads.get(key);
    if (read) read.stale = true;
  }

  /** Documents kept (for tests and diagnostics). */
  get size(): number {
    return this.entries.size;
  }

  private keep(key: string, doc: T): void {
    this.touch(key, copyDocument(doc));
    if (this.entries.size > this.limit) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  /** Map order is insertion order: re-inserting marks the entry as the most recently used. */
  private touch(key: string, doc: T): void {
    this.entries.delete(key);
    this.entries.set(key, doc);
  }
}

/**
 * Deep copy of a document in the shape the driver stores and returns it: plain objects (class
 * instances such as DTOs become plain too) and arrays copied, undefined properties left out, dates
 * cloned, BSON values (ObjectId, Decimal128…) shared, as they are immutable.
 */
export function copyDocument<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => copyDocument(v)) as T;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (value === null || typeof value !== 'object' || '_bsontype' in value) return value;
  const copy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) copy[k] = copyDocument(v);
  return copy as T;
}
