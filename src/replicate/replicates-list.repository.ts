import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { isDuplicateKeyError } from '../common/mongo-errors.js';
import {
  Replicate,
  type ReplicateFieldUpdate,
  REPLICATES_LIST_JAVA_CLASS,
  ReplicatesList,
  ReplicateStatusUpdate,
} from './replicates-list.schema.js';

export type ReplicatesListRecord = ReplicatesList & { _id: Types.ObjectId };

/**
 * The only place that queries `replicatesList`. Writes use the document `version` as an
 * optimistic lock and address replicates by array index (no positional operator: the test
 * server does not support it; writes for a task are serialized in-process anyway).
 */
@Injectable()
export class ReplicatesListRepository implements OnModuleInit {
  constructor(@InjectModel(ReplicatesList.name) private readonly model: Model<ReplicatesList>) {}

  /** Creates the collection and its indexes before the application serves anything. */
  async onModuleInit(): Promise<void> {
    await this.model.init();
  }

  /** Creates the empty list of a task; returns false if it already exists. */
  async createEmpty(chainTaskId: string): Promise<boolean> {
    try {
      await this.model.collection.insertOne({
        _class: REPLICATES_LIST_JAVA_CLASS,
        version: 0,
        chainTaskId,
        replicates: [],
      });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  findByChainTaskId(chainTaskId: string): Promise<ReplicatesListRecord | null> {
    return this.model.findOne({ chainTaskId }).lean<ReplicatesListRecord>().exec();
  }

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
    const result = await this.model
      .updateOne(
        { chainTaskId, version: expectedVersion },
        { $push: { replicates: replicate }, $inc: { version: 1 } },
      )
      .exec();
    return result.modifiedCount === 1;
  }

  /** Appends status updates to replicate `index` (and sets its fields) if the list is still at `expectedVersion`. */
  async appendStatusUpdates(
    chainTaskId: string,
    expectedVersion: number,
    index: number,
    updates: ReplicateStatusUpdate[],
    fields: ReplicateFieldUpdate = {},
  ): Promise<boolean> {
    const set: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields)) set[`replicates.${index}.${key}`] = value;
    const result = await this.model
      .updateOne(
        { chainTaskId, version: expectedVersion },
        {
          ...(Object.keys(set).length > 0 ? { $set: set } : {}),
          $push: { [`replicates.${index}.statusUpdateList`]: { $each: updates } },
          $inc: { version: 1 },
        },
      )
      .exec();
    return result.modifiedCount === 1;
  }
}
