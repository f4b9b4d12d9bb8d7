import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { isDuplicateKeyError } from '../common/mongo-errors.js';
import { ComputeLogs } from '../replicate/replicates-list.schema.js';
import { TaskLogs, TASK_LOGS_JAVA_CLASS } from './task-logs.schema.js';
import { copyDocument } from '../common/document-cache.js';
import { withJavaLongs } from '../database/java-longs.js';
import { syncJavaIndexes } from '../database/java-indexes.js';

export type TaskLogsRecord = TaskLogs & { _id: Types.ObjectId };

/** The only place that queries `taskLogs`. */
@Injectable()
export class TaskLogsRepository implements OnModuleInit {
  constructor(@InjectModel(TaskLogs.name) private readonly model: Model<TaskLogs>) {}

  /** Creates the collection and its (Java-named) indexes before the application serves anything. */
  async onModuleInit(): Promise<void> {
    await this.model.init();
    await syncJavaIndexes(this.model);
  }

  findByChainTaskId(chainTaskId: string): Promise<TaskLogsRecord | null> {
    return this.model.findOne({ chainTaskId }).lean<TaskLogsRecord>().exec();
  }

  /**
   * Adds the logs of one worker unless that worker already has an entry (first logs win).
   * Returns true when stored. The first logs of a task create its document in one insert (a task
   * of trust 1 has one worker); later ones find it there (unique chainTaskId) and are pushed.
   */
  async addComputeLogs(chainTaskId: string, logs: ComputeLogs): Promise<boolean> {
    try {
      // straight to the driver: Mongoose would cast the Int64 version back to a number
      const doc = {
        _class: TASK_LOGS_JAVA_CLASS,
        version: 0,
        chainTaskId,
        computeLogsList: [logs],
      };
      await this.model.collection.insertOne(withJavaLongs('taskLogs', copyDocument(doc)));
      return true;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const result = await this.model
      .updateOne(
        { chainTaskId, 'computeLogsList.walletAddress': { $ne: logs.walletAddress } },
        { $push: { computeLogsList: logs }, $inc: { version: 1 } },
      )
      .exec();
    return result.modifiedCount === 1;
  }

  /** One page of the chainTaskIds having logs, ascending, strictly after `afterChainTaskId`. */
  async findChainTaskIds(afterChainTaskId: string | undefined, limit: number): Promise<string[]> {
    const filter = afterChainTaskId === undefined ? {} : { chainTaskId: { $gt: afterChainTaskId } };
    const rows = await this.model
      .find(filter)
      .sort({ chainTaskId: 1 })
      .limit(limit)
      .select({ _id: 0, chainTaskId: 1 })
      .lean<{ chainTaskId: string }[]>()
      .exec();
    return rows.map((r) => r.chainTaskId);
  }

  async deleteByChainTaskIds(chainTaskIds: readonly string[]): Promise<number> {
    if (chainTaskIds.length === 0) return 0;
    const result = await this.model.deleteMany({ chainTaskId: { $in: chainTaskIds } }).exec();
    return result.deletedCount;
  }
}
