import { Injectable } from '@nestjs/common';
import type { Hex } from 'viem';
import { ChainContext } from './chain-context.js';
import { ChainDeal } from './chain-models.js';
import { PocoReader } from './poco-reader.js';
import { TaskDescription, taskDescriptionOf } from './task-description.js';

const ATTEMPTS = 3;
/** Deals kept in memory (oldest first out); a re-read is cheap, this only bounds memory. */
const MAX_CACHED_DEALS = 5000;

/**
 * Task descriptions from the chain, cached: deals are immutable, so one deal read serves every
 * task of the deal (a 10,000-task deal costs one read, not 10,000). Failed reads are retried a
 * few times with a short delay and are not cached.
 */
@Injectable()
export class TaskDescriptionService {
  private readonly deals = new Map<string, Promise<ChainDeal | undefined>>();
  private readonly descriptions = new Map<string, TaskDescription>();

  constructor(
    private readonly reader: PocoReader,
    private readonly chain: ChainContext,
  ) {}

  async get(task: {
    chainTaskId: string;
    chainDealId: string;
    taskIndex: number;
  }): Promise<TaskDescription | undefined> {
    const cached = this.descriptions.get(task.chainTaskId);
    if (cached) return cached;
    const deal = await this.deal(task.chainDealId);
    if (!deal) return undefined;
    const description = taskDescriptionOf(deal, task.taskIndex);
    this.descriptions.set(task.chainTaskId, description);
    return description;
  }

  /** The deal "with details", read once (and again only after a failed read). */
  deal(chainDealId: string): Promise<ChainDeal | undefined> {
    const key = chainDealId.toLowerCase();
    let pending = this.deals.get(key);
    if (!pending) {
      pending = this.readDeal(key as Hex);
      this.deals.set(key, pending);
      if (this.deals.size > MAX_CACHED_DEALS) this.deals.delete(this.deals.keys().next().value!);
      void pending.then((deal) => {
        if (!deal) this.deals.delete(key);
      });
    }
    return pending;
  }

  /** Drops the cached description of a finished task. */
  purge(chainTaskId: string): void {
    this.descriptions.delete(chainTaskId);
  }

  private async readDeal(chainDealId: Hex): Promise<ChainDeal | undefined> {
    const delay = Math.min(this.chain.chainConfig.blockTimeMs, 1000);
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const deal = await this.reader.getChainDeal(chainDealId, { details: true });
      if (deal) return deal;
      if (attempt < ATTEMPTS) await new Promise((r) => setTimeout(r, delay));
    }
    return undefined;
  }
}
