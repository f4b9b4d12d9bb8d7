import { LeaseDocument } from '../../src/leadership/lease-rules.js';
import { LeaseStore } from '../../src/leadership/lease-store.js';

/** An in-memory lease collection with a unique `_id`, for the keeper's unit tests. */
export class MemoryLeaseStore implements LeaseStore {
  readonly docs = new Map<number, LeaseDocument>();

  highest(): Promise<LeaseDocument | undefined> {
    const top = Math.max(0, ...this.docs.keys());
    return Promise.resolve(this.docs.get(top));
  }

  insert(lease: LeaseDocument): Promise<boolean> {
    if (this.docs.has(lease._id)) return Promise.resolve(false);
    this.docs.set(lease._id, lease);
    return Promise.resolve(true);
  }

  prune(): Promise<void> {
    return Promise.resolve();
  }
}
