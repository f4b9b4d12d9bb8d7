import { BeforeApplicationShutdown, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { copyDocument } from '../common/document-cache.js';
import { isDuplicateKeyError } from '../common/mongo-errors.js';
import { CachedCollection } from '../database/cached-collection.js';
import {
  Replicate,
  type ReplicateFieldUpdate,
  REPLICATES_LIST_JAVA_CLASS,
  ReplicatesList,
  ReplicateStatusUpdate,
} from './replicates-list.schema.js';
import { syncJavaIndexes } from '../database/java-indexes.js';
import { withJavaLongs } from '../database/java-longs.js';

export type ReplicatesListRecord = ReplicatesList & { _id: Types.ObjectId };

/** Lists kept in memory by chainTaskId (one per task, a few KB each). */
const CACHED_LISTS = 5000;

/**
 * The only place that queries `replicatesList`. Writes are compare-and-set on the document
 * `version`, made in this process and written by `_id` (see CachedCollection), and address
 * replicates by array index (no positional operator: the test server does not support it).
 * Reads by chainTaskId come from a write-through cache.
 */
@Injectable()
export class ReplicatesListRepository implements OnModuleInit, BeforeApplicationShutdown {
  private readonly byChainTaskId: CachedCollection<ReplicatesList, ReplicatesListRecord>;

  constructor(@InjectModel(ReplicatesList.name) private readonly model: Model<ReplicatesList>) {
    this.byChainTaskId = new CachedCollection(model, 'chainTaskId', CACHED_LISTS);
  }

  /** Creates the collection and its (Java-named) indexes before the application serves anything. */
  async onModuleInit(): Promise<void> {
    await this.model.init();
    await syncJavaIndexes(this.model);
  }

  /** Creates the empty list of a task; returns false if it already exists. */
  async createEmpty(chainTaskId: string): Promise<boolean> {
    // A read that raced the insert may have seen no list: it must not be taken as the truth.
    this.byChainTaskId.forget(chainTaskId);
    const list = {
      _id: new Types.ObjectId(),
      _class: REPLICATES_LIST_JAVA_CLASS,
      version: 0,
      chainTaskId,
      replicates: [] as Replicate[],
    };
    try {
      await this.model.collection.insertOne(withJavaLongs('replicatesList', list));
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
    // Its first reader would otherwise load it by chainTaskId (a collection scan on FerretDB).
    await this.byChainTaskId.remember(chainTaskId, list as ReplicatesListRecord);
    return true;
  }

  findByChainTaskId(chainTaskId: string): Promise<ReplicatesListRecord | null> {
    return this.byChainTaskId.findOne(chainTaskId);
  }

  /** As stored: progress statuses still deferred (≤ DEFERRED_WRITE_MS) are not in them yet. */
  findByChainTaskIds(chainTaskIds: readonly string[]): Promise<ReplicatesListRecord[]> {
    return this.model
      .find({ chainTaskId: { $in: chainTaskIds } })
      .lean<ReplicatesListRecord[]>()
      .exec();
  }

  /** Appends a replicate if the list is still at `expectedVersion`. */
  async addReplicate(
    chainTaskId: string,
    expectedVersion: number,
    replicate: Replicate,
  ): Promise<boolean> {
    return this.byChainTaskId.updateIf(
      chainTaskId,
      (list) => list.version === expectedVersion,
      { $push: { replicates: replicate }, $inc: { version: 1 } },
      (list) => {
        list.replicates.push(copyDocument(replicate));
        list.version = (list.version ?? 0) + 1;
      },
    );
  }

  /** Appends status updates to replicate `index` (and sets its fields) if the list is still at `expectedVersion`. */
  appendStatusUpdates(
    chainTaskId: string,
    expectedVersion: number,
    index: number,
    updates: ReplicateStatusUpdate[],
    fields: ReplicateFieldUpdate = {},
  ): Promise<boolean> {
    const { update, apply } = statusAppend(index, updates, fields);
    const expect = (list: ReplicatesListRecord) => list.version === expectedVersion;
    return this.byChainTaskId.updateIf(chainTaskId, expect, update, apply);
  }

  /**
   * Like appendStatusUpdates for a progress status (see `isDeferrableStatus`): reads see it at
   * once, the database gets it with the task's next write or within DEFERRED_WRITE_MS. A crash
   * may lose it; the worker's next report then fills it in.
   */
  appendProgressStatus(
    chainTaskId: string,
    expectedVersion: number,
    index: number,
    update: ReplicateStatusUpdate,
  ): Promise<boolean> {
    const append = statusAppend(index, [update], {});
    const expect = (list: ReplicatesListRecord) => list.version === expectedVersion;
    return this.byChainTaskId.deferIf(chainTaskId, expect, append.update, append.apply);
  }

  /** Writes the deferred progress statuses before the database connection closes. */
  beforeApplicationShutdown(): Promise<void> {
    return this.byChainTaskId.flushAll();
  }
}

/** The database update of a status append, and the same change made to a copy in memory. */
function statusAppend(
  index: number,
  updates: ReplicateStatusUpdate[],
  fields: ReplicateFieldUpdate,
) {
  const set: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) set[`replicates.${index}.${key}`] = value;
  const update = {
    ...(Object.keys(set).length > 0 ? { $set: set } : {}),
    $push: { [`replicates.${index}.statusUpdateList`]: { $each: updates } },
    $inc: { version: 1 },
  };
  const apply = (list: ReplicatesListRecord) => {
    const replicate = list.replicates[index] as unknown as Record<string, unknown>;
    Object.assign(replicate, copyDocument(fields));
    list.replicates[index].statusUpdateList.push(...updates.map((u) => copyDocument(u)));
    list.version = (list.version ?? 0) + 1;
  };
  return { update, apply };
}
