import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { JobScheduler } from '../common/jobs/job-scheduler.js';
import { ChainClock } from '../chain/chain-clock.js';
import { PocoReader, type EventReceipt } from '../chain/poco-reader.js';
import { TaskDescriptionService } from '../chain/task-description.service.js';
import { isEligibleToContributeAndFinalize } from '../task/rules/task-description-facts.js';
import { resultUploadTimeoutDecision, shouldMarkWorkerLost } from '../task/rules/task-detectors.js';
import {
  isFullScanRun,
  isUnnotifiedCandidate,
  receiptLogFor,
  UNNOTIFIED_DETECTORS,
  UnnotifiedDetector,
  UnnotifiedScan,
  unnotifiedStatusesToAppend,
} from '../task/rules/unnotified-detection.js';
import { TaskStatus, WAITING_REVEAL_STATUSES } from '../task/task-status.js';
import { TaskRecord, TaskRepository } from '../task/task.repository.js';
import { TaskUpdateRequests } from '../task/task-update-requests.js';
import { WorkerService } from '../worker/worker.service.js';
import { ReplicateStatus } from './replicate-status.js';
import { ReplicateStatusService } from './replicate-status.service.js';
import { lastRelevantStatus } from './replicate-workflow.js';
import { ReplicatesListRepository } from './replicates-list.repository.js';
import { UnnotifiedScanTrigger } from './unnotified-scan-trigger.js';

/**
 * The replicate detectors of task-lifecycle.md §13 (1, 9–13): lost workers, statuses the chain
 * shows but workers never reported, reveal and result-upload timeouts. Every write goes through
 * the replicate status pipeline; every task move through an update request.
 */
@Injectable()
export class ReplicateDetectors implements OnApplicationBootstrap {
  private readonly logger = new Logger(ReplicateDetectors.name);
  private readonly runs = new Map<UnnotifiedDetector, number>();

  constructor(
    private readonly config: AppConfig,
    private readonly jobs: JobScheduler,
    private readonly tasks: TaskRepository,
    private readonly replicates: ReplicatesListRepository,
    private readonly status: ReplicateStatusService,
    private readonly reader: PocoReader,
    private readonly descriptions: TaskDescriptionService,
    private readonly workers: WorkerService,
    private readonly requests: TaskUpdateRequests,
    private readonly scans: UnnotifiedScanTrigger,
    private readonly clock: ChainClock,
  ) {}

  onApplicationBootstrap(): void {
    const c = this.config.cron;
    const at = { runAtStart: true };
    this.jobs.register('worker-lost-detector', c.workerLostMs, () => this.workerLost(), at);
    this.jobs.register(
      'contribution-unnotified-detector',
      c.contributeMs,
      () => this.unnotified(UnnotifiedDetector.CONTRIBUTION),
      at,
    );
    this.jobs.register(
      'reveal-unnotified-detector',
      c.revealMs,
      () => this.unnotified(UnnotifiedDetector.REVEAL),
      at,
    );
    this.jobs.register(
      'contribute-and-finalize-unnotified-detector',
      c.contributeAndFinalizeMs,
      () => this.unnotified(UnnotifiedDetector.CONTRIBUTE_AND_FINALIZE),
      at,
    );
    this.jobs.register('contribution-unnotified-full-scan', 24 * 3600 * 1000, () =>
      this.scan(UnnotifiedDetector.CONTRIBUTION, 'FULL'),
    );
    this.scans.onContributionFullScan(() => this.jobs.trigger('contribution-unnotified-full-scan'));
    this.jobs.register(
      'reveal-timeout-detector',
      c.revealTimeoutMs,
      () => this.revealTimeout(),
      at,
    );
    this.jobs.register(
      'replicate-result-upload-timeout-detector',
      c.resultUploadTimeoutMs,
      () => this.resultUploadTimeout(),
      at,
    );
  }

  /** §13.1 */
  async workerLost(): Promise<void> {
    const now = this.clock.now();
    for (const worker of await this.workers.lostWorkers()) {
      const wallet = worker.walletAddress;
      for (const task of await this.tasks.findByChainTaskIds(worker.participatingChainTaskIds)) {
        const replicate = (
          await this.replicates.findByChainTaskId(task.chainTaskId)
        )?.replicates.find((r) => r.walletAddress === wallet);
        if (replicate && shouldMarkWorkerLost(task, replicate, now)) {
          await this.status.updateFromPoolManager(
            task.chainTaskId,
            wallet,
            ReplicateStatus.WORKER_LOST,
          );
        }
      }
    }
  }

  /** §13.9–13.11: a frequent scan every run, a full one every 10th run. */
  async unnotified(detector: UnnotifiedDetector): Promise<void> {
    const run = (this.runs.get(detector) ?? 0) + 1;
    this.runs.set(detector, run);
    await this.scan(detector, 'FREQUENT');
    if (isFullScanRun(run)) await this.scan(detector, 'FULL');
  }

  async scan(detector: UnnotifiedDetector, scan: UnnotifiedScan): Promise<void> {
    for (const task of await this.tasks.findByStatus(UNNOTIFIED_DETECTORS[detector].taskStatuses)) {
      const description = await this.descriptions.get(task);
      if (!description) continue;
      const eligible = isEligibleToContributeAndFinalize(description);
      const list = await this.replicates.findByChainTaskId(task.chainTaskId);
      for (const replicate of list?.replicates ?? []) {
        const last = lastRelevantStatus(replicate);
        if (
          !isUnnotifiedCandidate({
            detector,
            scan,
            taskStatus: task.currentStatus,
            taskEligibleToContributeAndFinalize: eligible,
            lastRelevantStatus: last,
          })
        ) {
          continue;
        }
        const contribution = await this.reader.getChainContribution(
          task.chainTaskId,
          replicate.walletAddress,
        );
        const statuses = unnotifiedStatusesToAppend({
          detector,
          lastRelevantStatus: last!,
          onChainStatus: contribution?.status,
        });
        if (statuses.length > 0) await this.backfill(task, replicate.walletAddress, statuses);
      }
    }
  }

  private async backfill(
    task: TaskRecord,
    wallet: string,
    statuses: ReplicateStatus[],
  ): Promise<void> {
    this.logger.log(
      `Task ${task.chainTaskId}: ${wallet} did ${statuses[statuses.length - 1]} on chain without saying so; recording ${statuses.join(', ')}`,
      { chainTaskId: task.chainTaskId },
    );
    for (const status of statuses) {
      const log = receiptLogFor(status);
      let receipt: EventReceipt | undefined;
      try {
        receipt = log
          ? await this.reader.findTaskEvent(
              log,
              task.chainTaskId,
              BigInt(task.initializationBlockNumber),
              log === 'TaskFinalize' ? undefined : wallet,
            )
          : undefined;
      } catch (error) {
        // nothing recorded from a failed read: the next detector run tries again
        this.logger.warn(
          `Task ${task.chainTaskId}: ${log} of ${wallet} unreadable, ${status} not recorded yet: ${(error as Error).message}`,
          { chainTaskId: task.chainTaskId },
        );
        return;
      }
      const details = log
        ? {
            chainReceipt: {
              blockNumber: receipt?.blockNumber ?? 0,
              ...(receipt?.txHash ? { txHash: receipt.txHash } : {}),
            },
          }
        : undefined;
      const outcome = await this.status.updateFromPoolManager(
        task.chainTaskId,
        wallet,
        status,
        details,
      );
      if (!('accepted' in outcome)) return;
    }
  }

  /** §13.12: replicates that did not reveal in time fail; the task may then finalize with the reveals it has. */
  async revealTimeout(): Promise<void> {
    for (const task of await this.tasks.findPastRevealDeadline(
      WAITING_REVEAL_STATUSES,
      this.clock.date(),
    )) {
      await this.status.failSilentWinners(task.chainTaskId);
      this.requests.publish(task.chainTaskId, {
        status: task.currentStatus,
        contributionDeadline: task.contributionDeadline,
      });
    }
  }

  /** §13.13, skipping (not stopping at) tasks that need nothing. */
  async resultUploadTimeout(): Promise<void> {
    const now = new Date();
    for (const task of await this.tasks.findByStatus([TaskStatus.RESULT_UPLOADING])) {
      const list = await this.replicates.findByChainTaskId(task.chainTaskId);
      const decision = resultUploadTimeoutDecision(task, list?.replicates ?? [], now);
      if (decision.kind === 'SKIP') continue;
      if (decision.kind === 'MARK_UPLOAD_FAILED') {
        await this.status.updateFromPoolManager(
          task.chainTaskId,
          decision.walletAddress,
          ReplicateStatus.RESULT_UPLOAD_FAILED,
        );
      }
      this.requests.publish(task.chainTaskId, { status: task.currentStatus });
    }
  }
}
