import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { Worker, WORKER_JAVA_CLASS } from './worker.schema.js';

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
>;

/** The only place that queries the `worker` collection. */
@Injectable()
export class WorkerRepository implements OnModuleInit {
  constructor(@InjectModel(Worker.name) private readonly model: Model<Worker>) {}

  /** Creates the collection and its indexes before the application serves anything. */
  async onModuleInit(): Promise<void> {
    await this.model.init();
  }

  findByWalletAddress(walletAddress: string): Promise<WorkerRecord | null> {
    return this.model.findOne({ walletAddress }).lean<WorkerRecord>().exec();
  }

  findByWalletAddresses(walletAddresses: readonly string[]): Promise<WorkerRecord[]> {
    return this.model
      .find({ walletAddress: { $in: walletAddresses } })
      .lean<WorkerRecord[]>()
      .exec();
  }

  findAll(): Promise<WorkerRecord[]> {
    return this.model.find().lean<WorkerRecord[]>().exec();
  }

  /**
   * Creates or refreshes a worker: descriptive fields are overwritten, the id and both task
   * lists are kept, and (as the Java scheduler does) the persisted liveness dates are cleared.
   */
  async upsertRegistration(registration: WorkerRegistration): Promise<WorkerRecord> {
    const doc = await this.model
      .findOneAndUpdate(
        { walletAddress: registration.walletAddress },
        {
          $set: { ...registration },
          $unset: { lastAliveDate: '', lastReplicateDemandDate: '' },
          $setOnInsert: {
            _class: WORKER_JAVA_CLASS,
            participatingChainTaskIds: [],
            computingChainTaskIds: [],
          },
        },
        { upsert: true, new: true },
      )
      .lean<WorkerRecord>()
      .exec();
    if (!doc) throw new Error(`worker ${registration.walletAddress} vanished during registration`);
    return doc;
  }

  /** Adds a task to both lists (idempotent). */
  async addTask(walletAddress: string, chainTaskId: string): Promise<boolean> {
    const result = await this.model
      .updateOne(
        { walletAddress },
        {
          $addToSet: { participatingChainTaskIds: chainTaskId, computingChainTaskIds: chainTaskId },
        },
      )
      .exec();
    return result.matchedCount === 1;
  }

  async removeComputingTask(walletAddress: string, chainTaskId: string): Promise<void> {
    await this.model
      .updateOne({ walletAddress }, { $pull: { computingChainTaskIds: chainTaskId } })
      .exec();
  }

  async removeTask(walletAddress: string, chainTaskId: string): Promise<void> {
    await this.model
      .updateOne(
        { walletAddress },
        { $pull: { participatingChainTaskIds: chainTaskId, computingChainTaskIds: chainTaskId } },
      )
      .exec();
  }

  /** Writes many liveness dates in one round trip (pings are batched in memory). */
  async saveLastAliveDates(dates: ReadonlyMap<string, Date>): Promise<void> {
    if (dates.size === 0) return;
    await this.model.bulkWrite(
      [...dates].map(([walletAddress, date]) => ({
        updateOne: { filter: { walletAddress }, update: { $set: { lastAliveDate: date } } },
      })),
      { ordered: false },
    );
  }

  async saveLastReplicateDemandDate(walletAddress: string, date: Date): Promise<void> {
    await this.model
      .updateOne({ walletAddress }, { $set: { lastReplicateDemandDate: date } })
      .exec();
  }
}
