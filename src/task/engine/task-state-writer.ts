import { Injectable, Logger } from '@nestjs/common';
import { MetricsService } from '../../metrics/metrics.service.js';
import { TaskStatusCounts } from '../../metrics/task-status-counts.js';
import { TaskStatus } from '../task-status.js';
import type { TaskStatusChange } from '../task.schema.js';
import { TaskFieldUpdate, TaskRecord, TaskRepository } from '../task.repository.js';

/** A failure reason is a log line, not a document: bounded. */
const MAX_CAUSE_LENGTH = 500;

/**
 * Writes task transitions: compare-and-set on the status the handler started from, the new
 * statuses appended in one write, the status counters and the transition latency histogram moved
 * for each applied change. The record passed in is updated in memory so a handler can go on.
 */
@Injectable()
export class TaskStateWriter {
  private readonly logger = new Logger(TaskStateWriter.name);

  constructor(
    private readonly tasks: TaskRepository,
    private readonly counts: TaskStatusCounts,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * Returns false (and logs) when the task was no longer in `task.currentStatus`. A `cause` is
   * stored on the first status written (the failure reason before FAILED).
   */
  async transition(
    task: TaskRecord,
    statuses: TaskStatus[],
    fields: TaskFieldUpdate = {},
    cause?: string,
  ): Promise<boolean> {
    const from = task.currentStatus;
    const now = new Date();
    const changes: TaskStatusChange[] = statuses.map((status) => ({ date: now, status }));
    if (cause !== undefined && changes.length > 0)
      changes[0].cause = cause.slice(0, MAX_CAUSE_LENGTH);
    const applied = await this.tasks.updateStatus(task.chainTaskId, from, changes, fields);
    if (!applied) {
      this.logger.warn(
        `Task ${task.chainTaskId} left ${from} meanwhile; ${statuses.join(', ')} not written`,
        { chainTaskId: task.chainTaskId },
      );
      return false;
    }
    const previousChange = task.dateStatusList[task.dateStatusList.length - 1]?.date;
    const seconds = previousChange
      ? (now.getTime() - new Date(previousChange).getTime()) / 1000
      : 0;
    Object.assign(task, fields);
    task.currentStatus = statuses[statuses.length - 1];
    task.dateStatusList = [...task.dateStatusList, ...changes];
    task.version += 1;
    this.logger.log(`Task ${task.chainTaskId}: ${[from, ...statuses].join(' → ')}`, {
      chainTaskId: task.chainTaskId,
    });
    this.counts.onStatusChanged(from, task.currentStatus);
    let previous = from;
    for (const status of statuses) {
      this.metrics.observeTransition(previous, status, previous === from ? seconds : 0);
      previous = status;
    }
    return true;
  }

  /** Sets fields while the task stays in its status. */
  async setFields(task: TaskRecord, fields: TaskFieldUpdate): Promise<boolean> {
    const applied = await this.tasks.updateFields(task.chainTaskId, task.currentStatus, fields);
    if (applied) {
      Object.assign(task, fields);
      task.version += 1;
    }
    return applied;
  }
}
