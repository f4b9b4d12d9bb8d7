import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { JobScheduler } from '../common/jobs/job-scheduler.js';
import { TASK_STATUSES, TaskStatus } from '../task/task-status.js';
import { TaskRepository } from '../task/task.repository.js';
import { orderedTaskStatusesCount, TaskStatusesCount } from './platform-metric.js';

const JOB = 'task-status-count';
/** Retry period of the start-up count when the database did not answer. */
const RETRY_MS = 10_000;

/**
 * Number of tasks per status (persistence-and-ops.md §4.2). At start-up the database is counted
 * in the background and the counts are added to the counters; afterwards the counters are moved
 * by the task engine: {@link onTaskCreated} for each inserted task, {@link onStatusChanged} for
 * each status write that modified a task. {@link snapshot} is `{}` until the start-up count is
 * done. As in the reference, transitions made while the count runs may be counted twice.
 */
@Injectable()
export class TaskStatusCounts implements OnApplicationBootstrap {
  private readonly logger = new Logger(TaskStatusCounts.name);
  private readonly counts = new Map<TaskStatus, number>(TASK_STATUSES.map((s) => [s, 0]));
  private counted = false;
  private readonly countedListeners: (() => void)[] = [];

  constructor(
    private readonly tasks: TaskRepository,
    private readonly jobs: JobScheduler,
  ) {}

  onApplicationBootstrap(): void {
    // Retried every RETRY_MS until it succeeds once; a no-op afterwards.
    this.jobs.register(JOB, RETRY_MS, () => this.countFromDatabase(), { runAtStart: true });
  }

  /** Adds the per-status counts of the database to the counters (once). */
  async countFromDatabase(): Promise<void> {
    if (this.counted) return;
    const fromDb = await this.tasks.countByStatus();
    for (const [status, n] of fromDb) {
      if (this.counts.has(status)) this.add(status, n);
    }
    this.counted = true;
    this.logger.log(
      `Task status counts loaded (${[...fromDb.values()].reduce((a, b) => a + b, 0)} tasks)`,
    );
    for (const listener of this.countedListeners.splice(0)) listener();
  }

  /** `n` new tasks were inserted (in RECEIVED). */
  onTaskCreated(n = 1): void {
    if (n > 0) this.add(TaskStatus.RECEIVED, n);
  }

  /** A conditional status write moved one task from `from` to `to`. */
  onStatusChanged(from: TaskStatus, to: TaskStatus): void {
    if (from === to) return;
    this.add(from, -1);
    this.add(to, 1);
  }

  get isCounted(): boolean {
    return this.counted;
  }

  /** Resolves once the start-up count is done. */
  whenCounted(): Promise<void> {
    if (this.counted) return Promise.resolve();
    return new Promise((resolve) => this.countedListeners.push(resolve));
  }

  /** The current counter of one status (what the Prometheus gauges show, 0 before the count). */
  count(status: TaskStatus): number {
    return this.counts.get(status) ?? 0;
  }

  /** Every status in declaration order with its count, or `{}` until the start-up count is done. */
  snapshot(): TaskStatusesCount {
    return this.counted ? orderedTaskStatusesCount(this.counts) : {};
  }

  private add(status: TaskStatus, n: number): void {
    this.counts.set(status, (this.counts.get(status) ?? 0) + n);
  }
}
