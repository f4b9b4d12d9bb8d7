import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { ChainClock } from '../../chain/chain-clock.js';
import { ChainContext } from '../../chain/chain-context.js';
import { JobScheduler } from '../../common/jobs/job-scheduler.js';
import { ReplicatesListRepository } from '../../replicate/replicates-list.repository.js';
import { notificationsToReplay } from '../rules/notification-replay.js';
import { WAITING_REVEAL_STATUSES } from '../task-status.js';
import { TaskRepository } from '../task.repository.js';
import { TaskEvents } from './task-events.service.js';

/**
 * Sends again the push notifications a worker evidently missed (see `notificationsToReplay`):
 * the safety net of the push channel, as the detectors are the safety net of task updates.
 * Runs with the reveal detectors' period; a replicate is told again at most once per grace period.
 */
@Injectable()
export class NotificationReplayService implements OnApplicationBootstrap {
  private readonly graceMs: number;

  constructor(
    private readonly config: AppConfig,
    chain: ChainContext,
    private readonly jobs: JobScheduler,
    private readonly tasks: TaskRepository,
    private readonly replicates: ReplicatesListRepository,
    private readonly events: TaskEvents,
    private readonly clock: ChainClock,
  ) {
    // Long enough for a worker to react to the first notification (several block times).
    this.graceMs = Math.max(10_000, 10 * chain.chainConfig.blockTimeMs);
  }

  onApplicationBootstrap(): void {
    this.jobs.register('notification-replay', this.config.cron.revealMs, () => this.replay());
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
