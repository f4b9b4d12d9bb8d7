import { Injectable, Logger } from '@nestjs/common';
import { ChainContext } from '../chain/chain-context.js';
import { ChainContributionStatus } from '../chain/chain-status.js';
import { PocoReader } from '../chain/poco-reader.js';
import { isTeeTag } from '../chain/tee-tag.js';
import { signWorkerpoolAuthorization } from '../chain/workerpool-authorization.js';
import { TaskNotificationType } from '../notification/task-notification-type.js';
import { TaskNotification } from '../notification/task-notification.js';
import { isConsensusReached } from '../task/rules/consensus.js';
import { TaskRecord, TaskRepository } from '../task/task.repository.js';
import { TaskUpdateRequests } from '../task/task-update-requests.js';
import { WorkerService } from '../worker/worker.service.js';
import { decideRecovery, RecoveryDecision, RecoveryInput } from './replicate-recovery.js';
import { ReplicateStatus } from './replicate-status.js';
import { ReplicateStatusService } from './replicate-status.service.js';
import { ReplicatesListRepository } from './replicates-list.repository.js';
import { WorkerRecoveries } from './worker-recoveries.js';

/** Guards the decision loop: each fact is asked for at most once, an append happens once. */
const MAX_DECISION_STEPS = 6;

/**
 * `/replicates/interrupted` (worker-api.md §6): after a restart, a worker is told what it missed
 * for each task it took part in; what the chain shows it already did is recorded on the way.
 */
@Injectable()
export class ReplicateRecoveryService {
  private readonly logger = new Logger(ReplicateRecoveryService.name);

  constructor(
    private readonly chain: ChainContext,
    private readonly reader: PocoReader,
    private readonly tasks: TaskRepository,
    private readonly replicates: ReplicatesListRepository,
    private readonly status: ReplicateStatusService,
    private readonly workers: WorkerService,
    private readonly requests: TaskUpdateRequests,
    private readonly recoveries: WorkerRecoveries,
  ) {}

  async recover(walletAddress: string, blockNumber: number): Promise<TaskNotification[]> {
    const worker = await this.workers.getWorker(walletAddress);
    if (!worker) return [];
    this.recoveries.record(walletAddress, Date.now());
    const notifications: TaskNotification[] = [];
    for (const task of await this.tasks.findByChainTaskIds(worker.participatingChainTaskIds)) {
      const notification = await this.recoverTask(task, walletAddress, blockNumber);
      if (notification) notifications.push(notification);
    }
    return notifications;
  }

  private async replicateOf(chainTaskId: string, walletAddress: string) {
    return (await this.replicates.findByChainTaskId(chainTaskId))?.replicates.find(
      (r) => r.walletAddress === walletAddress,
    );
  }

  private async recoverTask(
    task: TaskRecord,
    walletAddress: string,
    blockNumber: number,
  ): Promise<TaskNotification | undefined> {
    const replicate = await this.replicateOf(task.chainTaskId, walletAddress);
    if (!replicate) return undefined;
    const input: { -readonly [K in keyof RecoveryInput]: RecoveryInput[K] } = {
      taskStatus: task.currentStatus,
      isTeeTask: isTeeTag(task.tag),
      enclaveChallenge: task.enclaveChallenge,
      consensusReachedBlockNumber: task.consensusReachedBlockNumber,
      replicate,
    };
    let decision: RecoveryDecision = decideRecovery(input);
    for (
      let step = 0;
      step < MAX_DECISION_STEPS && (decision.kind === 'NEED' || decision.kind === 'APPEND');
      step++
    ) {
      if (decision.kind === 'NEED') {
        if (decision.fact === 'consensusReached') {
          const list = await this.replicates.findByChainTaskId(task.chainTaskId);
          input.consensusReached = isConsensusReached(
            await this.reader.getChainTask(task.chainTaskId),
            list?.replicates ?? [],
          );
        } else {
          const status = (await this.reader.getChainContribution(task.chainTaskId, walletAddress))
            ?.status;
          input.onChainContributed =
            status === ChainContributionStatus.CONTRIBUTED ||
            status === ChainContributionStatus.REVEALED;
          input.onChainRevealed = status === ChainContributionStatus.REVEALED;
        }
      } else {
        await this.status.updateFromPoolManager(task.chainTaskId, walletAddress, decision.status, {
          chainReceipt: { blockNumber },
        });
        if (decision.requestTaskUpdate) this.requests.publish(task.chainTaskId);
        input.rereadReplicate =
          (await this.replicateOf(task.chainTaskId, walletAddress)) ?? replicate;
      }
      decision = decideRecovery(input);
    }
    if (decision.kind !== 'NOTIFY') return undefined;
    const { type, taskAbortCause } = decision.notification;
    let notificationBlock = decision.notification.blockNumber;
    if (type === TaskNotificationType.PLEASE_REVEAL && notificationBlock === 0) {
      // Consensus on chain while the task is still RUNNING here: give the worker the real block
      // (the reference sends 0, which makes the worker's reveal fail with CONSENSUS_BLOCK_MISSING).
      // A failed or empty lookup sends nothing: the worker asks again at its next recovery poll.
      const receipt = await this.reader
        .findTaskEvent('TaskConsensus', task.chainTaskId, BigInt(task.initializationBlockNumber))
        .catch((error: unknown) => {
          this.logger.warn(
            `Task ${task.chainTaskId}: consensus block unreadable, no PLEASE_REVEAL to ${walletAddress} yet: ${(error as Error).message}`,
            { chainTaskId: task.chainTaskId, walletAddress },
          );
          return null;
        });
      if (receipt === undefined)
        this.logger.warn(
          `Task ${task.chainTaskId}: no TaskConsensus log yet, no PLEASE_REVEAL to ${walletAddress} yet`,
          { chainTaskId: task.chainTaskId, walletAddress },
        );
      if (!receipt) return undefined;
      notificationBlock = receipt.blockNumber;
    }
    if (decision.requestTaskUpdate) this.requests.publish(task.chainTaskId);
    const workerpoolAuthorization = await signWorkerpoolAuthorization(this.chain.account, {
      chainTaskId: task.chainTaskId,
      workerWallet: walletAddress,
      enclaveChallenge: task.enclaveChallenge ?? '',
    });
    await this.status.updateFromPoolManager(
      task.chainTaskId,
      walletAddress,
      ReplicateStatus.RECOVERING,
    );
    return {
      chainTaskId: task.chainTaskId,
      workersAddress: [walletAddress],
      taskNotificationType: type,
      taskNotificationExtra: {
        workerpoolAuthorization,
        smsUrl: null,
        blockNumber: notificationBlock,
        taskAbortCause,
      },
    };
  }
}
