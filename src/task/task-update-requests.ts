import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { TaskStatus } from './task-status.js';
import { TaskUpdateHandler, TaskUpdateQueue, UpdatePriority } from './update/task-update-queue.js';

/**
 * Where everything that may move a task asks for it (new task, replicate update, chain receipt,
 * detector). The update itself is run by the handler the task engine attaches.
 */
@Injectable()
export class TaskUpdateRequests implements BeforeApplicationShutdown {
  private readonly logger = new Logger(TaskUpdateRequests.name);
  private queue?: TaskUpdateQueue;
  private readonly early = new Map<string, UpdatePriority>();

  constructor(private readonly config: AppConfig) {}

  attach(handler: TaskUpdateHandler): void {
    this.queue = new TaskUpdateQueue(handler, this.config.taskUpdate.concurrency, (id, error) =>
      this.logger.error(
        `Update of task ${id} failed: ${(error as Error).message}`,
        { chainTaskId: id },
        (error as Error).stack,
      ),
    );
    for (const [id, priority] of this.early) this.queue.publish(id, priority);
    this.early.clear();
  }

  publish(chainTaskId: string, priority: UpdatePriority = {}): boolean {
    if (!this.queue) {
      this.early.set(chainTaskId, priority);
      return true;
    }
    return this.queue.publish(chainTaskId, priority);
  }

  publishCreated(chainTaskIds: readonly string[]): void {
    for (const id of chainTaskIds) this.publish(id, { status: TaskStatus.RECEIVED });
  }

  get depth(): number {
    return (this.queue?.depth ?? this.early.size) + (this.queue?.inFlight ?? 0);
  }

  idle(): Promise<void> {
    return this.queue?.idle() ?? Promise.resolve();
  }

  /**
   * Before MongoDB closes: running updates finish, waiting ones are dropped (the start-up
   * resumer and the detectors redo them).
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.queue?.stop();
  }
}
