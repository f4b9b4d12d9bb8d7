import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { withJavaLongs } from '../database/java-longs.js';
import {
  Configuration,
  CONFIGURATION_JAVA_CLASS,
  REPLAY_CONFIGURATION_JAVA_CLASS,
  ReplayConfiguration,
} from './configuration.schema.js';

/**
 * The two single-document block cursors (`configuration.lastSeenBlockWithDeal` and
 * `replayConfiguration.fromBlockNumber`). Reading an absent cursor creates it with the given
 * start block, so a stored value always wins over IEXEC_START_BLOCK_NUMBER.
 */
@Injectable()
export class BlockCursorRepository implements OnModuleInit {
  constructor(
    @InjectModel(Configuration.name) private readonly configuration: Model<Configuration>,
    @InjectModel(ReplayConfiguration.name) private readonly replay: Model<ReplayConfiguration>,
  ) {}

  async onModuleInit(): Promise<void> {
    await Promise.all([this.configuration.init(), this.replay.init()]);
  }

  async getLastSeenBlockWithDeal(startBlock: bigint): Promise<bigint> {
    const doc = await this.configuration.findOne().sort({ _id: 1 }).lean().exec();
    if (doc) return BigInt(doc.lastSeenBlockWithDeal);
    await this.configuration.collection.insertOne(
      withJavaLongs('configuration', {
        _class: CONFIGURATION_JAVA_CLASS,
        version: 0,
        lastSeenBlockWithDeal: startBlock.toString(),
      }),
    );
    return startBlock;
  }

  /** Moves the cursor to `block` (never backwards unless `allowBackwards`, used by the operator replay). */
  async setLastSeenBlockWithDeal(block: bigint, allowBackwards = false): Promise<void> {
    const doc = await this.configuration.findOne().sort({ _id: 1 }).lean().exec();
    if (!doc) {
      await this.configuration.collection.insertOne(
        withJavaLongs('configuration', {
          _class: CONFIGURATION_JAVA_CLASS,
          version: 0,
          lastSeenBlockWithDeal: block.toString(),
        }),
      );
      return;
    }
    if (!allowBackwards && BigInt(doc.lastSeenBlockWithDeal) >= block) return;
    await this.configuration
      .updateOne(
        { _id: doc._id },
        { $set: { lastSeenBlockWithDeal: block.toString() }, $inc: { version: 1 } },
      )
      .exec();
  }

  async getReplayFromBlock(startBlock: bigint): Promise<bigint> {
    const doc = await this.replay.findOne().sort({ _id: 1 }).lean().exec();
    if (doc) return BigInt(doc.fromBlockNumber);
    await this.replay.collection.insertOne(
      withJavaLongs('replayConfiguration', {
        _class: REPLAY_CONFIGURATION_JAVA_CLASS,
        version: 0,
        fromBlockNumber: startBlock.toString(),
      }),
    );
    return startBlock;
  }

  async setReplayFromBlock(block: bigint): Promise<void> {
    const doc = await this.replay.findOne().sort({ _id: 1 }).lean().exec();
    if (!doc) {
      await this.replay.collection.insertOne(
        withJavaLongs('replayConfiguration', {
          _class: REPLAY_CONFIGURATION_JAVA_CLASS,
          version: 0,
          fromBlockNumber: block.toString(),
        }),
      );
      return;
    }
    await this.replay
      .updateOne(
        { _id: doc._id },
        { $set: { fromBlockNumber: block.toString() }, $inc: { version: 1 } },
      )
      .exec();
  }
}
