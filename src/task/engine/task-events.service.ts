import { Injectable } from '@nestjs/common';
import { TaskDescriptionService } from '../../chain/task-description.service.js';
import { NotificationService } from '../../notification/notification.service.js';
import { TaskAbortCause, TaskNotificationType } from '../../notification/task-notification-type.js';
import {
  emptyTaskNotificationExtra,
  TaskNotification,
  TaskNotificationExtra,
} from '../../notification/task-notification.js';
import { ReplicatesListRepository } from '../../replicate/replicates-list.repository.js';
import { WorkerService } from '../../worker/worker.service.js';
import { splitConsensusAudience } from '../rules/consensus.js';

/** What `TaskEvents.replay` publishes; NotificationReplayService also sends it to one subscriber. */
export function replayedNotification(
  chainTaskId: string,
  walletAddress: string,
  type: TaskNotificationType,
  consensusBlock: number,
): TaskNotification {
  const extra =
    type === TaskNotificationType.PLEASE_REVEAL ? { blockNumber: consensusBlock } : undefined;
  return {
    chainTaskId,
    workersAddress: [walletAddress],
    taskNotificationType: type,
    taskNotificationExtra: extra ? { ...emptyTaskNotificationExtra(), ...extra } : null,
  };
}

export type TaskPurger = (chainTaskId: string) => void;

/**
 * What a task transition tells the workers (task-lifecycle.md §11, worker-api.md §8.4) and the
 * clean-up when a task ends: the task leaves every worker's lists and in-memory state is dropped.
 */
@Injectable()
export class TaskEvents {
  private readonly purgers: TaskPurger[] = [];

  constructor(
    private readonly notifications: NotificationService,
    private readonly workers: WorkerService,
    private readonly replicates: ReplicatesListRepository,
    private readonly descriptions: TaskDescriptionService,
  ) {}

  /** Other modules drop their per-task memory (supply locks…) here. */
  onPurge(purger: TaskPurger): void {
    this.purgers.push(purger);
  }

  private notify(
    chainTaskId: string,
    workersAddress: string[],
    type: TaskNotificationType,
    extra?: Partial<TaskNotificationExtra>,
  ): void {
    this.notifications.notify({
      chainTaskId,
      workersAddress,
      taskNotificationType: type,
      taskNotificationExtra: extra ? { ...emptyTaskNotificationExtra(), ...extra } : null,
    });
  }

  private async wallets(chainTaskId: string): Promise<string[]> {
    const list = await this.replicates.findByChainTaskId(chainTaskId);
    return list?.replicates.map((r) => r.walletAddress) ?? [];
  }

  /** Every replicate holder is told to abort; the task leaves their lists (no purge: Java keeps it). */
  async contributionTimeout(chainTaskId: string): Promise<void> {
    const wallets = await this.wallets(chainTaskId);
    await this.workers.removeTaskFromAll(wallets, chainTaskId);
    this.notify(chainTaskId, wallets, TaskNotificationType.PLEASE_ABORT, {
      taskAbortCause: TaskAbortCause.CONTRIBUTION_TIMEOUT,
    });
  }

  /** Winners reveal (with the consensus block), everybody else aborts. */
  async consensusReached(
    chainTaskId: string,
    consensus: string,
    blockNumber: number,
  ): Promise<void> {
    const list = await this.replicates.findByChainTaskId(chainTaskId);
    const { winners, losers } = splitConsensusAudience(list?.replicates ?? [], consensus);
    if (winners.length > 0)
      this.notify(chainTaskId, winners, TaskNotificationType.PLEASE_REVEAL, { blockNumber });
    if (losers.length > 0) {
      this.notify(chainTaskId, losers, TaskNotificationType.PLEASE_ABORT, {
        taskAbortCause: TaskAbortCause.CONSENSUS_REACHED,
      });
    }
  }

  /** A notification the worker missed, sent again (NotificationReplayService). */
  replay(
    chainTaskId: string,
    walletAddress: string,
    type: TaskNotificationType,
    consensusBlock: number,
  ): void {
    this.notifications.notify(
      replayedNotification(chainTaskId, walletAddress, type, consensusBlock),
    );
  }

  pleaseUpload(chainTaskId: string, walletAddress: string): void {
    this.notify(chainTaskId, [walletAddress], TaskNotificationType.PLEASE_UPLOAD);
  }

  async completed(chainTaskId: string): Promise<void> {
    this.notify(chainTaskId, [], TaskNotificationType.PLEASE_COMPLETE);
    await this.purge(chainTaskId);
  }

  async failed(chainTaskId: string): Promise<void> {
    this.notify(chainTaskId, [], TaskNotificationType.PLEASE_ABORT);
    await this.purge(chainTaskId);
  }

  private async purge(chainTaskId: string): Promise<void> {
    await this.workers.removeTaskFromAll(await this.wallets(chainTaskId), chainTaskId);
    this.descriptions.purge(chainTaskId);
    for (const purger of this.purgers) purger(chainTaskId);
  }
}
