import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { SkippedDeal } from './skipped-deal.schema.js';

/** The only place that queries `skippedDeal`. Deal ids are stored lower case. */
@Injectable()
export class SkippedDealRepository implements OnModuleInit {
  constructor(@InjectModel(SkippedDeal.name) private readonly model: Model<SkippedDeal>) {}

  async onModuleInit(): Promise<void> {
    await this.model.init();
  }

  /** Records (or records again, after an operator retry) a skipped deal. */
  async record(deal: SkippedDeal): Promise<void> {
    const chainDealId = deal.chainDealId.toLowerCase();
    await this.model
      .updateOne({ chainDealId }, { $set: { ...deal, chainDealId } }, { upsert: true })
      .exec();
  }

  /** Skipped deals, oldest block first. */
  async list(): Promise<SkippedDeal[]> {
    return this.model
      .find({}, { _id: 0 })
      .sort({ dealBlockNumber: 1, chainDealId: 1 })
      .lean<SkippedDeal[]>()
      .exec();
  }

  /** The ids among `chainDealIds` that are recorded as skipped (lower case). */
  async skippedAmong(chainDealIds: string[]): Promise<Set<string>> {
    if (chainDealIds.length === 0) return new Set();
    const ids = chainDealIds.map((id) => id.toLowerCase());
    const found = await this.model
      .find({ chainDealId: { $in: ids } }, { _id: 0, chainDealId: 1 })
      .lean<Pick<SkippedDeal, 'chainDealId'>[]>()
      .exec();
    return new Set(found.map((d) => d.chainDealId));
  }

  async find(chainDealId: string): Promise<SkippedDeal | undefined> {
    const found = await this.model
      .findOne({ chainDealId: chainDealId.toLowerCase() }, { _id: 0 })
      .lean<SkippedDeal>()
      .exec();
    return found ?? undefined;
  }

  async remove(chainDealId: string): Promise<void> {
    await this.model.deleteOne({ chainDealId: chainDealId.toLowerCase() }).exec();
  }
}
