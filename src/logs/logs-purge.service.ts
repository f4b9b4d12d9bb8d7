import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { JobScheduler } from '../common/jobs/job-scheduler.js';
import { AppConfig } from '../config/app-config.js';
import { TaskRepository } from '../task/task.repository.js';
import { TaskLogsRepository } from './task-logs.repository.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The job wakes up at least this often and runs when a purge period has elapsed (setInterval cannot wait days). */
const WAKE_UP_MS = 60 * 60 * 1000;
/** Task ids per query. */
export const LOGS_PURGE_BATCH_SIZE = 500;

const JOB = 'logs-purge';

/**
 * Every IEXEC_LOGS_PURGE_RATE_IN_DAYS days (first run at startup), deletes the compute logs of
 * the tasks whose final deadline is more than IEXEC_LOGS_AVAILABILITY_PERIOD_IN_DAYS days old
 * (persistence-and-ops.md §3.3). It walks the `taskLogs` documents page by page rather than the
 * tasks: tasks are kept forever, while logs only exist within the retention window.
 */
@Injectable()
export class LogsPurgeService implements OnApplicationBootstrap {
  private readonly logger = new Logger(LogsPurgeService.name);
  private lastRunAt?: number;

  constructor(
    private readonly config: AppConfig,
    private readonly jobs: JobScheduler,
    private readonly tasks: TaskRepository,
    private readonly taskLogs: TaskLogsRepository,
  ) {}

  onApplicationBootstrap(): void {
    const periodMs = this.config.logs.purgeRateInDays * DAY_MS;
    this.jobs.register(JOB, Math.min(periodMs, WAKE_UP_MS), () => this.runIfDue(periodMs), {
      runAtStart: true,
    });
  }

  private async runIfDue(periodMs: number): Promise<void> {
    const now = Date.now();
    // One minute of slack so that timer jitter does not postpone a run by a whole wake-up period.
    if (this.lastRunAt !== undefined && now - this.lastRunAt < periodMs - 60_000) return;
    this.lastRunAt = now;
    await this.purge(new Date(now));
  }

  /** Deletes the logs of tasks whose final deadline is before `now` minus the retention period; returns how many. */
  async purge(now: Date = new Date(), batchSize = LOGS_PURGE_BATCH_SIZE): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.logs.availabilityPeriodInDays * DAY_MS);
    let deleted = 0;
    let after: string | undefined;
    for (;;) {
      const page = await this.taskLogs.findChainTaskIds(after, batchSize);
      if (page.length === 0) break;
      after = page[page.length - 1];
      const expired = await this.tasks.findChainTaskIdsWithFinalDeadlineBefore(cutoff, page);
      deleted += await this.taskLogs.deleteByChainTaskIds(expired);
      if (page.length < batchSize) break;
    }
    if (deleted > 0)
      this.logger.log(
        `Purged the compute logs of ${deleted} tasks (final deadline before ${cutoff.toISOString()})`,
      );
    return deleted;
  }
}
