import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { ChainClock } from '../../chain/chain-clock.js';
import { ChainContext } from '../../chain/chain-context.js';
import { JobScheduler } from '../../common/jobs/job-scheduler.js';
import { NotificationService } from '../../notification/notification.service.js';
import type { TaskNotification } from '../../notification/task-notification.js';
import { ReplicatesListRepository } from '../../replicate/replicates-list.repository.js';
import { notificationsToReplay } from '../rules/notification-replay.js';
import { WAITING_REVEAL_STATUSES } from '../task-status.js';
import { TaskRepository } from '../task.repository.js';
import { replayedNotification, TaskEvents } from './task-events.service.js';

/**
 * Sends again the push notifications a worker evidently missed (see `notificationsToReplay`):
 * the safety net of the push channel, as the detectors are the safety net of task updates.
 * Runs with the reveal detectors' period; a replicate is told again at most once per grace period.
 * A session subscribing to a task's topic (a worker back after its session or the scheduler was
 * down) is sent at once, to it alone, what the same rule finds pending, with no grace: a
 * (re)subscription is a new session, what went to the old one is as good as lost, and right
 * after a restart the winners' CONTRIBUTED is often under a second old (issue 16: waiting for the
 * periodic replay cost ~16 s after a SIGKILL). Only replicates still CONTRIBUTED /
 * RESULT_UPLOAD_REQUESTED qualify, as for the periodic replay, so a worker that already reported
 * acting on the first notification is not told twice.
 */
@Injectable()
export class NotificationReplayService implements OnApplicationBootstrap {
  private readonly logger = new Logger(NotificationReplayService.name);
  private readonly graceMs: number;

  constructor(
    private readonly config: AppConfig,
    chain: ChainContext,
    private readonly jobs: JobScheduler,
    private readonly tasks: TaskRepository,
    private readonly replicates: ReplicatesListRepository,
    private readonly events: TaskEvents,
    private readonly clock: ChainClock,
    private readonly notifications: NotificationService,
  ) {
    // Long enough for a worker to react to the first notification (several block times).
    this.graceMs = Math.max(10_000, 10 * chain.chainConfig.blockTimeMs);
  }

  onApplicationBootstrap(): void {
    this.jobs.register('notification-replay', this.config.cron.revealMs, () => this.replay());
    this.notifications.onTaskSubscribe((chainTaskId, send) => {
      this.pendingFor(chainTaskId).then(
        (pending) => pending.forEach(send),
        (error: unknown) =>
          this.logger.warn(`Pending notifications of ${chainTaskId} not resent: ${String(error)}`, {
            chainTaskId,
          }),
      );
    });
  }

  /** What a new subscriber of the task's topic missed. */
  async pendingFor(chainTaskId: string): Promise<TaskNotification[]> {
    const task = await this.tasks.findByChainTaskId(chainTaskId);
    if (!task || !WAITING_REVEAL_STATUSES.includes(task.currentStatus)) return [];
    const list = await this.replicates.findByChainTaskId(chainTaskId);
    return notificationsToReplay(
      task,
      list?.replicates ?? [],
      Date.now(),
      -1, // no grace: `now - lastChange > -1` even for a change made this very millisecond
      this.clock.now(),
    ).map(({ walletAddress, type }) =>
      replayedNotification(chainTaskId, walletAddress, type, task.consensusReachedBlockNumber),
    );
  }

  async replay(): Promise<void> {
    const now = Date.now();
    const chainNow = this.clock.now();
    for (const task of await this.tasks.findByStatus(WAITING_REVEAL_STATUSES)) {
      const list = await this.replicates.findByChainTaskId(task.chainTaskId);
      const replicates = list?.replicates ?? [];
      for (const { walletAddress, type } of notificationsToReplay(
        task,
        replicates,
        now,
        this.graceMs,
        chainNow,
      ))
        this.events.replay(task.chainTaskId, walletAddress, type, task.consensusReachedBlockNumber);
    }
  }
}
