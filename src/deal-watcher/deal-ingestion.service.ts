import { Injectable, Logger } from '@nestjs/common';
import type { Hex } from 'viem';
import { ChainClock } from '../chain/chain-clock.js';
import { PocoReader } from '../chain/poco-reader.js';
import { TaskDescriptionService } from '../chain/task-description.service.js';
import { TaskStatusCounts } from '../metrics/task-status-counts.js';
import { TaskRepository } from '../task/task.repository.js';
import { TaskUpdateRequests } from '../task/task-update-requests.js';
import { tasksFromDeal } from './deal-to-tasks.js';

/** 'failed': the deal, its category or its app could not be read or decoded (the watcher retries). */
export type DealOutcome = 'created' | 'skipped' | 'failed';

/** Turns one deal into its tasks, idempotently (duplicates are ignored by the unique indexes). */
@Injectable()
export class DealIngestionService {
  private readonly logger = new Logger(DealIngestionService.name);

  constructor(
    private readonly reader: PocoReader,
    private readonly descriptions: TaskDescriptionService,
    private readonly tasks: TaskRepository,
    private readonly updates: TaskUpdateRequests,
    private readonly counts: TaskStatusCounts,
    private readonly clock: ChainClock,
  ) {}

  async ingest(chainDealId: Hex, dealBlockNumber: bigint): Promise<DealOutcome> {
    const deal = await this.descriptions.deal(chainDealId);
    if (!deal) return 'failed';
    const ratio = await this.reader.getContributionDeadlineRatio();
    const result = tasksFromDeal(deal, {
      dealBlockNumber: Number(dealBlockNumber),
      contributionDeadlineRatio: ratio,
      now: this.clock.date(),
    });
    if ('skipped' in result) {
      this.logger.error(`Deal ${chainDealId} skipped: ${result.skipped}`, { chainDealId });
      return 'skipped';
    }
    const inserted = await this.tasks.insertMany(result.tasks);
    if (inserted.length > 0) {
      this.logger.log(
        `Deal ${chainDealId}: ${inserted.length} new task(s) of ${result.tasks.length}`,
        { chainDealId },
      );
    }
    this.counts.onTaskCreated(inserted.length);
    this.updates.publishCreated(inserted);
    return 'created';
  }
}
