import { Injectable } from '@nestjs/common';
import { PocoReader } from '../chain/poco-reader.js';
import { TaskRepository } from '../task/task.repository.js';

/** Deals whose requester is remembered (a deal's requester never changes). */
const MAX_CACHED_DEALS = 10_000;

/**
 * The requester of a task: from the task's deal on chain (`viewDeal`), cached per deal. Only
 * successful reads are cached, so an unreadable deal is read again next time.
 */
@Injectable()
export class TaskRequesters {
  private readonly byDeal = new Map<string, string>();

  constructor(
    private readonly tasks: TaskRepository,
    private readonly poco: PocoReader,
  ) {}

  /** Undefined when the task is unknown or its deal unreadable. */
  async requesterOf(chainTaskId: string): Promise<string | undefined> {
    const task = await this.tasks.findByChainTaskId(chainTaskId);
    if (!task?.chainDealId) return undefined;
    const dealId = task.chainDealId.toLowerCase();
    const cached = this.byDeal.get(dealId);
    if (cached) return cached;
    const deal = await this.poco.getChainDeal(dealId, { details: false });
    if (!deal?.requester) return undefined;
    if (this.byDeal.size >= MAX_CACHED_DEALS) {
      // Maps iterate in insertion order: drop the oldest entry.
      this.byDeal.delete(this.byDeal.keys().next().value as string);
    }
    this.byDeal.set(dealId, deal.requester);
    return deal.requester;
  }
}
