import type { Connection } from 'mongoose';
import { LeaseDocument } from './lease-rules.js';

/** The lease collection (iexec-core 8.5 has none; Java ignores it). */
export const LEASE_COLLECTION = 'leaderLease';
const DUPLICATE_KEY = 11000;
/** Versions kept below the current one (history for people; pruning keeps the read cheap). */
const KEPT_VERSIONS = 20;

/** Where lease versions live. `insert` is the one operation the lease relies on being atomic. */
export interface LeaseStore {
  highest(): Promise<LeaseDocument | undefined>;
  /** false when that version exists already (another contender won it). */
  insert(lease: LeaseDocument): Promise<boolean>;
  prune(currentVersion: number): Promise<void>;
}

/** The lease collection over its own MongoDB connection (not fenced, not queued behind app writes). */
export class MongoLeaseStore implements LeaseStore {
  constructor(private readonly connection: Connection) {}

  private get collection() {
    return this.connection.collection<LeaseDocument>(LEASE_COLLECTION);
  }

  async highest(): Promise<LeaseDocument | undefined> {
    const [doc] = await this.collection.find({}).sort({ _id: -1 }).limit(1).toArray();
    return doc ?? undefined;
  }

  async insert(lease: LeaseDocument): Promise<boolean> {
    try {
      await this.collection.insertOne(lease);
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }

  async prune(currentVersion: number): Promise<void> {
    await this.collection.deleteMany({ _id: { $lt: currentVersion - KEPT_VERSIONS } });
  }
}
