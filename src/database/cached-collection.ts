import type { Model, QueryFilter, Types, UpdateQuery } from 'mongoose';
import { DocumentCache } from '../common/document-cache.js';

/**
 * The documents of a collection that this process alone writes, found by a unique key (the
 * chainTaskId) through a write-through cache, and updated by compare-and-set: the expectation is
 * checked in-process on the current document and the update written by `_id`, the one filter
 * FerretDB runs inside SQLite (any other makes it decode the collection). See DocumentCache.
 */
export class CachedCollection<D, T extends { _id: Types.ObjectId }> {
  private readonly cache: DocumentCache<T>;

  constructor(
    private readonly model: Model<D>,
    private readonly key: keyof D & string,
    limit: number,
  ) {
    this.cache = new DocumentCache<T>(limit);
  }

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
   * what `update` does to the stored one. False when the expectation does not hold.
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
        const result = await this.model.updateOne({ _id: current._id }, update).exec();
        return result.modifiedCount === 1;
      },
      apply,
    );
  }

  private load(value: string): Promise<T | null> {
    return this.model
      .findOne({ [this.key]: value } as QueryFilter<D>)
      .lean<T>()
      .exec();
  }
}
