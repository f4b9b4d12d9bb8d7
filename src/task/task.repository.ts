import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types, type UpdateQuery } from 'mongoose';
import { copyDocument } from '../common/document-cache.js';
import { duplicateIndexes } from '../common/mongo-errors.js';
import { CachedCollection } from '../database/cached-collection.js';
import { OpenTasks, supplyCandidates } from './open-tasks.js';
import { FINAL_TASK_STATUSES, SUPPLY_STATUSES, TaskStatus } from './task-status.js';
import { Task, TASK_JAVA_CLASS, TaskStatusChange } from './task.schema.js';
import { syncJavaIndexes } from '../database/java-indexes.js';
import { withJavaLongs } from '../database/java-longs.js';

export type TaskRecord = Task & { _id: Types.ObjectId };

/** What a detector needs to publish an update request with its priority. */
export type TaskRef = Pick<Task, 'chainTaskId' | 'currentStatus' | 'contributionDeadline'>;

const REF_PROJECTION = { _id: 0, chainTaskId: 1, currentStatus: 1, contributionDeadline: 1 };

/** Tasks kept in memory by chainTaskId (a few KB each). */
const CACHED_TASKS = 5000;
/** Tasks of one insert kept in the cache as inserted (a fifth of it). */
const REMEMBERED_PER_INSERT = CACHED_TASKS / 5;

/** Fields a status transition may set besides the status itself. */
export type TaskFieldUpdate = Partial<
  Pick<
    Task,
    | 'uploadingWorkerWalletAddress'
    | 'consensus'
    | 'consensusReachedBlockNumber'
    | 'revealDeadline'
    | 'resultLink'
    | 'chainCallbackData'
    | 'enclaveChallenge'
    | 'smsUrl'
    | 'initializationBlockNumber'
  >
>;

/**
 * The only place that queries the `task` collection. Reads by chainTaskId come from a
 * write-through cache, and status writes are compare-and-set in this process, by `_id` (see
 * CachedCollection): every write of a task goes through here.
 */
@Injectable()
export class TaskRepository implements OnModuleInit {
  private readonly byChainTaskId: CachedCollection<Task, TaskRecord>;
  private readonly openTasks: OpenTasks<TaskRecord>;

  constructor(@InjectModel(Task.name) private readonly model: Model<Task>) {
    this.byChainTaskId = new CachedCollection(model, 'chainTaskId', CACHED_TASKS);
    this.openTasks = new OpenTasks(() =>
      this.model
        .find({ currentStatus: { $in: SUPPLY_STATUSES } })
        .lean<TaskRecord[]>()
        .exec(),
    );
  }

  /** Creates the collection and its (Java-named) indexes before the application serves anything. */
  async onModuleInit(): Promise<void> {
    await this.model.init();
    await syncJavaIndexes(this.model);
  }

  /**
   * Inserts tasks in one unordered bulk write; duplicates (same chainTaskId or same deal/index)
   * are skipped. Returns the chainTaskIds actually inserted.
   */
  async insertMany(tasks: Task[]): Promise<string[]> {
    if (tasks.length === 0) return [];
    const docs = tasks.map((t) => ({
      _id: new Types.ObjectId(),
      _class: TASK_JAVA_CLASS,
      ...t,
      version: 0,
    }));
    let inserted = docs;
    try {
      const longs = docs.map((d) => withJavaLongs('task', d));
      await this.model.collection.insertMany(longs, { ordered: false });
    } catch (error) {
      const rejected = duplicateIndexes(error);
      inserted = docs.filter((_, i) => !rejected.has(i));
    }
    for (const doc of inserted) this.openTasks.written(doc as TaskRecord);
    // Each task's first update would otherwise load it by chainTaskId (a scan on FerretDB). Only
    // a deal's first tasks, which its updates reach first: a big deal must not push the tasks in
    // progress out of the cache.
    await Promise.all(
      inserted
        .slice(0, REMEMBERED_PER_INSERT)
        .map((d) => this.byChainTaskId.remember(d.chainTaskId, d as TaskRecord)),
    );
    return inserted.map((d) => d.chainTaskId);
  }

  findByChainTaskId(chainTaskId: string): Promise<TaskRecord | null> {
    return this.byChainTaskId.findOne(chainTaskId);
  }

  findByChainTaskIds(chainTaskIds: readonly string[]): Promise<TaskRecord[]> {
    return this.model
      .find({ chainTaskId: { $in: chainTaskIds } })
      .lean<TaskRecord[]>()
      .exec();
  }

  findByStatus(statuses: readonly TaskStatus[]): Promise<TaskRecord[]> {
    return this.model
      .find({ currentStatus: { $in: statuses } })
      .lean<TaskRecord[]>()
      .exec();
  }

  findByDeal(chainDealId: string): Promise<TaskRecord[]> {
    return this.model.find({ chainDealId }).sort({ taskIndex: 1 }).lean<TaskRecord[]>().exec();
  }

  /**
   * Compare-and-set of the status: applies only if the task is still in `expected`. Appends
   * `changes` to the history in one write and sets `currentStatus` to the last of them.
   */
  async updateStatus(
    chainTaskId: string,
    expected: TaskStatus,
    changes: TaskStatusChange[],
    fields: TaskFieldUpdate = {},
  ): Promise<boolean> {
    if (changes.length === 0) throw new Error('updateStatus needs at least one status change');
    const currentStatus = changes[changes.length - 1].status;
    return this.updateIf(
      chainTaskId,
      expected,
      {
        $set: { ...fields, currentStatus },
        $push: { dateStatusList: { $each: changes } },
        $inc: { version: 1 },
      },
      (task) => {
        Object.assign(task, copyDocument(fields));
        task.currentStatus = currentStatus;
        task.dateStatusList.push(...copyDocument(changes));
        task.version = (task.version ?? 0) + 1;
      },
    );
  }

  /** Sets fields on a task still in `expected` status (no status change). */
  async updateFields(
    chainTaskId: string,
    expected: TaskStatus,
    fields: TaskFieldUpdate,
  ): Promise<boolean> {
    return this.updateIf(chainTaskId, expected, { $set: fields, $inc: { version: 1 } }, (task) => {
      Object.assign(task, copyDocument(fields));
      task.version = (task.version ?? 0) + 1;
    });
  }

  /**
   * A compare-and-set on the status, and the open tasks told of the task as written: the copy the
   * check judged (this call's own) with the change applied.
   */
  private async updateIf(
    chainTaskId: string,
    expected: TaskStatus,
    update: UpdateQuery<Task>,
    apply: (task: TaskRecord) => void,
  ): Promise<boolean> {
    let checked: TaskRecord | undefined;
    const expect = (task: TaskRecord) => ((checked = task), task.currentStatus === expected);
    let written: boolean;
    try {
      written = await this.byChainTaskId.updateIf(chainTaskId, expect, update, apply);
    } catch (error) {
      this.openTasks.reset();
      throw error;
    }
    if (written && checked) {
      apply(checked);
      this.openTasks.written(checked);
    }
    return written;
  }

  /** Every task not yet COMPLETED or FAILED. */
  findUnfinishedRefs(): Promise<TaskRef[]> {
    return this.model
      .find({ currentStatus: { $nin: [...FINAL_TASK_STATUSES] } }, REF_PROJECTION)
      .lean<TaskRef[]>()
      .exec();
  }

  /** Detector selections (task-lifecycle.md §13): light references only. */
  findRefsByStatus(statuses: readonly TaskStatus[]): Promise<TaskRef[]> {
    return this.model
      .find({ currentStatus: { $in: statuses } }, REF_PROJECTION)
      .lean<TaskRef[]>()
      .exec();
  }

  /** RECEIVED or INITIALIZING with the contribution deadline ahead. */
  findInitializable(now: Date): Promise<TaskRef[]> {
    return this.model
      .find(
        {
          currentStatus: { $in: [TaskStatus.RECEIVED, TaskStatus.INITIALIZING] },
          contributionDeadline: { $gt: now },
        },
        REF_PROJECTION,
      )
      .lean<TaskRef[]>()
      .exec();
  }

  /** INITIALIZED or RUNNING between their contribution and final deadlines. */
  findContributionTimeoutCandidates(now: Date): Promise<TaskRef[]> {
    return this.model
      .find(
        {
          currentStatus: { $in: [TaskStatus.INITIALIZED, TaskStatus.RUNNING] },
          contributionDeadline: { $lte: now },
          finalDeadline: { $gt: now },
        },
        REF_PROJECTION,
      )
      .lean<TaskRef[]>()
      .exec();
  }

  /** Still in progress but past the final deadline. */
  findFinalDeadlineReached(now: Date): Promise<TaskRef[]> {
    return this.model
      .find(
        {
          currentStatus: {
            $nin: [TaskStatus.FAILED, TaskStatus.COMPLETED, TaskStatus.FINAL_DEADLINE_REACHED],
          },
          finalDeadline: { $lte: now },
        },
        REF_PROJECTION,
      )
      .lean<TaskRef[]>()
      .exec();
  }

  /** In one of `statuses` with the reveal deadline passed. */
  findPastRevealDeadline(statuses: readonly TaskStatus[], now: Date): Promise<TaskRecord[]> {
    return this.model
      .find({ currentStatus: { $in: statuses }, revealDeadline: { $lt: now } })
      .lean<TaskRecord[]>()
      .exec();
  }

  /**
   * Tasks waiting for contributions, best first for replicate supply (worker-api.md §5.3):
   * RUNNING before INITIALIZED (status string descending), then earliest contribution deadline.
   * From memory (see OpenTasks): the records are shared, not copies.
   */
  async findSupplyCandidates(now: Date): Promise<Readonly<TaskRecord>[]> {
    return supplyCandidates(await this.openTasks.list(), now);
  }

  /** Among `chainTaskIds`, those whose final deadline is before `date` (compute logs purge). */
  async findChainTaskIdsWithFinalDeadlineBefore(
    date: Date,
    chainTaskIds: readonly string[],
  ): Promise<string[]> {
    if (chainTaskIds.length === 0) return [];
    const rows = await this.model
      .find({ chainTaskId: { $in: chainTaskIds }, finalDeadline: { $lt: date } })
      .select({ _id: 0, chainTaskId: 1 })
      .lean<{ chainTaskId: string }[]>()
      .exec();
    return rows.map((r) => r.chainTaskId);
  }

  async countByStatus(): Promise<Map<TaskStatus, number>> {
    const rows = await this.model
      .aggregate<{ _id: TaskStatus; count: number }>([
        { $group: { _id: '$currentStatus', count: { $sum: 1 } } },
      ])
      .exec();
    return new Map(rows.map((r) => [r._id, r.count]));
  }
}
