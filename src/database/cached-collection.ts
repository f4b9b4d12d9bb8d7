import { Logger } from '@nestjs/common';
import type { Model, QueryFilter, Types, UpdateQuery } from 'mongoose';
import { withJavaLongs } from './java-longs.js';
import { copyDocument, DocumentCache } from '../common/document-cache.js';
import { mergeUpdates } from './merge-updates.js';

/** How long a deferred update waits for a later write to carry it before it is written alone. */
export const DEFERRED_WRITE_MS = 1000;
const RETRY_MAX_MS = 30_000;

type Document = { _id: Types.ObjectId; version?: number };

/** A deferred update, with the `version` it brings the document to. */
interface DeferredUpdate<T> {
  readonly update: object;
  readonly apply: (doc: T) => void;
  readonly version: number;
}

/**
 * The documents of a collection that this process alone writes, found by a unique key (the
 * chainTaskId) through a write-through cache, and updated by compare-and-set: the expectation is
 * checked in-process on the current document and the update written by `_id`, the one filter
 * FerretDB runs inside SQLite (any other makes it decode the collection). See DocumentCache.
 */
export class CachedCollection<D, T extends Document> {
  private readonly logger = new Logger(CachedCollection.name);
  private readonly cache: DocumentCache<T>;
  private readonly deferred = new Map<string, DeferredUpdate<T>[]>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private closing = false;

  constructor(
    private readonly model: Model<D>,
    private readonly key: keyof D & string,
    limit: number,
  ) {
    this.cache = new DocumentCache<T>(limit);
  }

  /** The document, with the deferred updates not written yet. */
  findOne(value: string): Promise<T | null> {
    return this.cache.get(value, () => this.load(value));
  }

  /** A document just inserted by this process (see DocumentCache.remember). */
  remember(value: string, doc: T): Promise<void> {
    return this.cache.remember(value, doc);
  }

  /** For writes made otherwise (an insert that may have raced a read). */
  forget(value: string): void {
    this.cache.forget(value);
  }

  /**
   * Writes `update` if `expect` holds for the current document; `apply` does to the cached copy
   * what `update` does to the stored one. False when the expectation does not hold. Deferred
   * updates of the document go first, in the same write when they merge with this one.
   */
  updateIf(
    value: string,
    expect: (current: T) => boolean,
    update: UpdateQuery<D>,
    apply: (cached: T) => void,
  ): Promise<boolean> {
    return this.cache.compareAndWrite(
      value,
      () => this.load(value),
      expect,
      async (current) => {
        const queued = this.deferred.get(value) ?? [];
        if (queued.length === 0) return this.write(current, update);
        const merged = mergeUpdates([...queued.map((q) => q.update), update]);
        if (!merged)
          return (await this.writeDeferred(value, current)) && this.write(current, update);
        const written = await this.write(current, merged);
        if (written) this.writtenUpTo(value, queued.at(-1)!.version);
        return written;
      },
      apply,
    );
  }

  /**
   * Like updateIf, but written later: with the next updateIf on the document, or alone
   * DEFERRED_WRITE_MS later. Reads see it at once (a document loaded meanwhile gets it replayed).
   * `update` must add 1 to `version`: that tells a reload which ones the database already has.
   * A crash loses what was not written yet, so only what can be re-derived may be deferred.
   */
  deferIf(
    value: string,
    expect: (current: T) => boolean,
    update: UpdateQuery<D>,
    apply: (cached: T) => void,
  ): Promise<boolean> {
    if (this.closing) return this.updateIf(value, expect, update, apply);
    return this.cache.compareAndWrite(
      value,
      () => this.load(value),
      expect,
      async (current) => {
        const queue = this.deferred.get(value) ?? [];
        queue.push({ update, apply, version: (current.version ?? 0) + 1 });
        this.deferred.set(value, queue);
        if (!this.timers.has(value)) this.flushLater(value, DEFERRED_WRITE_MS);
        return true;
      },
      apply,
    );
  }

  /** Writes every deferred update now; later ones are written at once (application shutdown). */
  async flushAll(): Promise<void> {
    this.closing = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const value of [...this.deferred.keys()]) await this.flush(value);
  }

  /** Deferred updates not written yet (for tests and diagnostics). */
  get deferredCount(): number {
    let count = 0;
    for (const queue of this.deferred.values()) count += queue.length;
    return count;
  }

  private flushLater(value: string, delayMs: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(value);
      this.flush(value).catch((error: unknown) => {
        const retryMs = Math.min(delayMs * 2, RETRY_MAX_MS);
        this.logger.error(
          `Deferred writes of ${this.key} ${value} failed, retrying in ${retryMs} ms: ${String(error)}`,
        );
        if (!this.timers.has(value) && !this.closing) this.flushLater(value, retryMs);
      });
    }, delayMs);
    timer.unref();
    this.timers.set(value, timer);
  }

  private async flush(value: string): Promise<void> {
    if (!this.deferred.get(value)?.length) return;
    const written = await this.cache.compareAndWrite(
      value,
      () => this.load(value),
      () => true,
      (current) => this.writeDeferred(value, current),
      () => undefined,
    );
    if (!written && this.deferred.has(value)) {
      this.logger.warn(`Deferred writes of ${this.key} ${value} dropped: the document is gone`);
      this.deferred.delete(value);
    }
  }

  /** The deferred updates of `value`, in one write when they merge. */
  private async writeDeferred(value: string, current: T): Promise<boolean> {
    const queued = this.deferred.get(value) ?? [];
    if (queued.length === 0) return true;
    const merged = mergeUpdates(queued.map((q) => q.update));
    for (const batch of merged
      ? [{ update: merged, last: queued.at(-1)! }]
      : queued.map((q) => ({ update: q.update, last: q }))) {
      if (!(await this.write(current, batch.update))) return false;
      this.writtenUpTo(value, batch.last.version);
    }
    return true;
  }

  /**
   * Straight to the driver: Mongoose's update casting (a subdocument built for every pushed
   * status) was a third of the scheduler's database CPU. What casting also did is done here:
   * undefined values left out, class instances (DTOs) written as plain objects.
   */
  private async write(current: T, update: object): Promise<boolean> {
    const plain = copyDocument(update) as Record<string, object>;
    for (const [operator, operand] of Object.entries(plain)) {
      if (Object.keys(operand).length === 0) delete plain[operator];
    }
    const result = await this.model.collection.updateOne(
      { _id: current._id },
      withJavaLongs(this.model.collection.collectionName, plain),
    );
    return result.modifiedCount === 1;
  }

  /** Forgets the deferred updates the database now has. */
  private writtenUpTo(value: string, version: number): void {
    const rest = (this.deferred.get(value) ?? []).filter((q) => q.version > version);
    if (rest.length > 0) return void this.deferred.set(value, rest);
    this.deferred.delete(value);
    clearTimeout(this.timers.get(value));
    this.timers.delete(value);
  }

  private async load(value: string): Promise<T | null> {
    const doc = await this.model
      .findOne({ [this.key]: value } as QueryFilter<D>)
      .lean<T>()
      .exec();
    if (doc && this.deferred.has(value)) {
      // What the database already has (a write whose answer was lost) is not applied twice.
      this.writtenUpTo(value, doc.version ?? 0);
      for (const queued of this.deferred.get(value) ?? []) queued.apply(doc);
    }
    return doc;
  }
}
