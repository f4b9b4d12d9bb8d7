import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { Worker, WORKER_JAVA_CLASS } from './worker.schema.js';
import { syncJavaIndexes } from '../database/java-indexes.js';

// FerretDB v1.24 hangs on an `update` command of 100 statements or more (and wedges the
// connection): see docs/mongo-compatibility.md.
const BULK_CHUNK = 50;

export type WorkerRecord = Worker & { _id: Types.ObjectId };

export type WorkerRegistration = Pick<
  Worker,
  | 'name'
  | 'walletAddress'
  | 'os'
  | 'cpu'
  | 'cpuNb'
  | 'maxNbTasks'
  | 'memorySize'
  | 'teeEnabled'
  | 'gpuEnabled'
> &
  Partial<Pick<Worker, 'tdxEnabled'>>;

/**
 * The only place that queries the `worker` collection. Updates address a worker by its `_id` once
 * this process has seen it (FerretDB runs no other filter inside SQLite: by wallet, each update
 * decoded the collection until a match, thousands of documents for a large pool).
 */
@Injectable()
export class WorkerRepository implements OnModuleInit {
  private readonly ids = new Map<string, Types.ObjectId>();

  constructor(@InjectModel(Worker.name) private readonly model: Model<Worker>) {}

  /** Creates the collection and its (Java-named) indexes before the application serves anything. */
  async onModuleInit(): Promise<void> {
    await this.model.init();
    await syncJavaIndexes(this.model);
  }

  async findByWalletAddress(walletAddress: string): Promise<WorkerRecord | null> {
    const doc = await this.model.findOne({ walletAddress }).lean<WorkerRecord>().exec();
    return doc && this.seen(doc);
  }

  async findByWalletAddresses(walletAddresses: readonly string[]): Promise<WorkerRecord[]> {
    const docs = await this.model
      .find({ walletAddress: { $in: walletAddresses } })
      .lean<WorkerRecord[]>()
      .exec();
    return docs.map((d) => this.seen(d));
  }

  async findAll(): Promise<WorkerRecord[]> {
    const docs = await this.model.find().lean<WorkerRecord[]>().exec();
    return docs.map((d) => this.seen(d));
  }

  /**
   * Creates or refreshes a worker: descriptive fields are overwritten (an absent one is removed),
   * the id and both task lists are kept, and (as the Java scheduler does) the persisted liveness
   * dates are cleared.
   */
  async upsertRegistration(registration: WorkerRegistration): Promise<WorkerRecord> {
    const $set: Record<string, unknown> = {};
    const $unset: Record<string, ''> = { lastAliveDate: '', lastReplicateDemandDate: '' };
    for (const [key, value] of Object.entries(registration)) {
      if (value === undefined || value === null) $unset[key] = '';
      else $set[key] = value;
    }
    const doc = await this.model
      .findOneAndUpdate(
        { walletAddress: registration.walletAddress },
        {
          $set,
          $unset,
          $setOnInsert: {
            _class: WORKER_JAVA_CLASS,
            participatingChainTaskIds: [],
            computingChainTaskIds: [],
          },
        },
        { upsert: true, returnDocument: 'after' },
      )
      .lean<WorkerRecord>()
      .exec();
    if (!doc) throw new Error(`worker ${registration.walletAddress} vanished during registration`);
    return this.seen(doc);
  }

  /** Adds a task to both lists (idempotent). */
  async addTask(walletAddress: string, chainTaskId: string): Promise<boolean> {
    const result = await this.model
      .updateOne(this.filterFor(walletAddress), {
        $addToSet: { participatingChainTaskIds: chainTaskId, computingChainTaskIds: chainTaskId },
      })
      .exec();
    return result.matchedCount === 1;
  }

  async removeComputingTask(walletAddress: string, chainTaskId: string): Promise<void> {
    await this.model
      .updateOne(this.filterFor(walletAddress), { $pull: { computingChainTaskIds: chainTaskId } })
      .exec();
  }

  async removeTask(walletAddress: string, chainTaskId: string): Promise<void> {
    await this.model
      .updateOne(this.filterFor(walletAddress), {
        $pull: { participatingChainTaskIds: chainTaskId, computingChainTaskIds: chainTaskId },
      })
      .exec();
  }

  /** Writes many liveness dates in one round trip (pings are batched in memory). */
  async saveLastAliveDates(dates: ReadonlyMap<string, Date>): Promise<void> {
    await this.saveDates(dates, new Map());
  }

  async saveLastReplicateDemandDate(walletAddress: string, date: Date): Promise<void> {
    await this.model
      .updateOne(this.filterFor(walletAddress), { $set: { lastReplicateDemandDate: date } })
      .exec();
  }

  /**
   * Batched persistence of the in-memory liveness: `lastAliveDate` and `lastReplicateDemandDate`
   * per wallet, in unordered bulk writes of at most 50 updates (wallets without a document
   * match nothing).
   */
  async saveDates(
    lastAlive: ReadonlyMap<string, Date>,
    lastDemand: ReadonlyMap<string, Date>,
  ): Promise<void> {
    const updates = new Map<string, { lastAliveDate?: Date; lastReplicateDemandDate?: Date }>();
    for (const [wallet, date] of lastAlive) updates.set(wallet, { lastAliveDate: date });
    for (const [wallet, date] of lastDemand)
      updates.set(wallet, { ...updates.get(wallet), lastReplicateDemandDate: date });
    const operations = [...updates].map(([walletAddress, $set]) => ({
      updateOne: { filter: this.filterFor(walletAddress), update: { $set } },
    }));
    for (let i = 0; i < operations.length; i += BULK_CHUNK) {
      await this.model.bulkWrite(operations.slice(i, i + BULK_CHUNK), { ordered: false });
    }
  }

  /** `{_id}` when this process has seen the worker's document, `{walletAddress}` otherwise. */
  private filterFor(walletAddress: string): { _id: Types.ObjectId } | { walletAddress: string } {
    const _id = this.ids.get(walletAddress);
    return _id ? { _id } : { walletAddress };
  }

  private seen(doc: WorkerRecord): WorkerRecord {
    this.ids.set(doc.walletAddress, doc._id);
    return doc;
  }
}
