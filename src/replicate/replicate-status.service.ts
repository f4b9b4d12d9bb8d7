import { Injectable, Logger } from '@nestjs/common';
import { hexToString, type Hex } from 'viem';
import { PocoReader } from '../chain/poco-reader.js';
import { TaskDescription } from '../chain/task-description.js';
import { TaskDescriptionService } from '../chain/task-description.service.js';
import { ComputeLogsService } from '../logs/compute-logs.service.js';
import { TaskNotificationType } from '../notification/task-notification-type.js';
import { ResultService } from '../result/result.service.js';
import { workerWeightFromScore } from '../task/rules/consensus.js';
import { revealTimeoutTargets } from '../task/rules/task-detectors.js';
import { TaskRecord, TaskRepository } from '../task/task.repository.js';
import { TaskUpdateRequests } from '../task/task-update-requests.js';
import { ReplicateListeners } from './replicate-listeners.js';
import { ReplicateLocks } from './replicate-locks.js';
import {
  ReplicateStatus,
  ReplicateStatusCause,
  ReplicateStatusModifier,
} from './replicate-status.js';
import { currentStatus, nextAction } from './replicate-workflow.js';
import { ReplicatesListRepository } from './replicates-list.repository.js';
import { ReplicateStatusDetails, ReplicateStatusUpdate } from './replicates-list.schema.js';
import {
  deferIfClaimPending,
  IncomingStatusUpdate,
  isDeferrableUpdate,
  normalizeWorkerUpdate,
  progressGap,
  ReplicateStatusUpdateError,
  StatusUpdateFacts,
  statusUpdateEffects,
  StatusUpdateOutcome,
  validateStatusUpdate,
  verificationFactsNeeded,
} from './status-update-rules.js';
import { ClaimVerifier, WorkerClaim } from './claim-verifier.js';

const WRITE_ATTEMPTS = 5;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Facts = Mutable<StatusUpdateFacts> & { chainResultsText?: string | null };

/**
 * The one place where a replicate changes status (worker-api.md §7.2): facts are read from the
 * chain and the Result Proxy outside any lock, then validation and the write happen under the
 * task's lock (all replicates of a task share one document), then the listeners run.
 */
@Injectable()
export class ReplicateStatusService {
  private readonly logger = new Logger(ReplicateStatusService.name);

  constructor(
    private readonly tasks: TaskRepository,
    private readonly replicates: ReplicatesListRepository,
    private readonly descriptions: TaskDescriptionService,
    private readonly reader: PocoReader,
    private readonly results: ResultService,
    private readonly computeLogs: ComputeLogsService,
    private readonly claims: ClaimVerifier,
    private readonly updates: TaskUpdateRequests,
    private readonly listeners: ReplicateListeners,
    private readonly locks: ReplicateLocks,
  ) {}

  /** A worker's report (R3): modifier WORKER, date now, compute-log wallet forced to the caller. */
  async updateFromWorker(
    chainTaskId: string,
    walletAddress: string,
    update: IncomingStatusUpdate,
  ): Promise<{
    outcome: StatusUpdateOutcome;
  }> {
    const normalized = normalizeWorkerUpdate(update, walletAddress, new Date());
    return { outcome: await this.apply(chainTaskId, walletAddress, normalized) };
  }

  /** Winners of the consensus that never revealed: FAILED with cause REVEAL_TIMEOUT. */
  async failSilentWinners(chainTaskId: string): Promise<void> {
    const list = await this.replicates.findByChainTaskId(chainTaskId);
    for (const replicate of revealTimeoutTargets(list?.replicates ?? [])) {
      await this.updateFromPoolManager(
        chainTaskId,
        replicate.walletAddress,
        ReplicateStatus.FAILED,
        {
          cause: ReplicateStatusCause.REVEAL_TIMEOUT,
        },
      );
    }
  }

  /** A scheduler-originated status (POOL_MANAGER), through the same validation as a worker's. */
  async updateFromPoolManager(
    chainTaskId: string,
    walletAddress: string,
    status: ReplicateStatus,
    details?: ReplicateStatusDetails,
  ): Promise<StatusUpdateOutcome> {
    const update: ReplicateStatusUpdate = {
      status,
      modifier: ReplicateStatusModifier.POOL_MANAGER,
      date: new Date(),
    };
    if (details) update.details = details;
    return this.apply(chainTaskId, walletAddress, update);
  }

  private async apply(
    chainTaskId: string,
    walletAddress: string,
    update: ReplicateStatusUpdate,
  ): Promise<StatusUpdateOutcome> {
    const task = await this.tasks.findByChainTaskId(chainTaskId);
    if (!task) return { error: ReplicateStatusUpdateError.UNKNOWN_REPLICATE };
    const description = await this.descriptions.get(task);
    const facts = await this.facts(task, walletAddress, update, description);

    const outcome = await this.locks.writes.run(
      chainTaskId,
      async (): Promise<
        | { error: ReplicateStatusUpdateError; replayedAction?: TaskNotificationType }
        | { accepted: true }
        | { deferred: true }
      > => {
        for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
          const list = await this.replicates.findByChainTaskId(chainTaskId);
          const index = list?.replicates.findIndex((r) => r.walletAddress === walletAddress) ?? -1;
          const replicate = index >= 0 ? list!.replicates[index] : undefined;
          const error = validateStatusUpdate(replicate, update, facts);
          if (
            error === ReplicateStatusUpdateError.ALREADY_REPORTED &&
            currentStatus(replicate!) === update.status
          ) {
            return { error, replayedAction: this.nextActionFor(update, description) };
          }
          if (error !== ReplicateStatusUpdateError.NO_ERROR) {
            const settled = deferIfClaimPending(error, facts);
            return settled === 'deferred' ? { deferred: true } : { error: settled };
          }
          const effects = statusUpdateEffects(update, facts);
          const logsPresent = await this.computeLogs.storeFromStatusUpdate(
            chainTaskId,
            walletAddress,
            update.status,
            update.details?.cause,
            update.details?.computeLogs,
          );
          const fields = logsPresent
            ? { ...effects.fields, appComputeLogsPresent: true }
            : effects.fields;
          const stored: ReplicateStatusUpdate = {
            status: update.status,
            modifier: update.modifier,
            date: update.date,
          };
          if (effects.storedDetails) stored.details = effects.storedDetails;
          const filled = progressGap(replicate!, update.status).map(
            (status): ReplicateStatusUpdate => ({
              status,
              modifier: ReplicateStatusModifier.POOL_MANAGER,
              date: update.date,
            }),
          );
          const written =
            filled.length === 0 && isDeferrableUpdate(stored) && Object.keys(fields).length === 0
              ? await this.replicates.appendProgressStatus(
                  chainTaskId,
                  list!.version,
                  index,
                  stored,
                )
              : await this.replicates.appendStatusUpdates(
                  chainTaskId,
                  list!.version,
                  index,
                  [...filled, stored],
                  fields,
                );
          if (written) return { accepted: true };
        }
        this.logger.error(
          `Replicate ${chainTaskId}/${walletAddress}: ${update.status} lost ${WRITE_ATTEMPTS} write races`,
          { chainTaskId, walletAddress },
        );
        return { error: ReplicateStatusUpdateError.NO_ERROR };
      },
    );
    if ('error' in outcome || 'deferred' in outcome) return outcome;

    this.logger.debug(
      `Replicate ${chainTaskId}/${walletAddress} → ${update.status} (${update.modifier})`,
      { chainTaskId, walletAddress },
    );
    await this.listeners.onReplicateUpdated(chainTaskId, walletAddress, update);
    this.updates.publish(chainTaskId, {
      status: task.currentStatus,
      contributionDeadline: task.contributionDeadline,
    });
    return { accepted: true, nextAction: this.nextActionFor(update, description) };
  }

  private nextActionFor(
    update: ReplicateStatusUpdate,
    description: TaskDescription | undefined,
  ): TaskNotificationType | undefined {
    return nextAction(update.status, update.details?.cause ?? undefined, description ?? null);
  }

  /** Chain and Result Proxy facts the verification of this status needs (worker-api.md §7.2 step 4). */
  private async facts(
    task: TaskRecord,
    walletAddress: string,
    update: ReplicateStatusUpdate,
    description: TaskDescription | undefined,
  ): Promise<Facts> {
    const needed = verificationFactsNeeded(update.status);
    const facts: Facts = { description: description ?? null };
    const chainTaskId = task.chainTaskId;
    const wanted: Promise<void>[] = [];
    const claim = claimOf(task, walletAddress, update);
    if (claim) {
      wanted.push(
        this.claims.verify(claim).then(async ({ verdict, contribution }) => {
          facts.claimPending = verdict === 'pending';
          facts.blockAvailable = verdict === 'confirmed';
          facts.onChainContribution = contribution ?? null;
          if (needed.includes('workerWeight')) {
            // Read after the hold: a read that failed before an outage ended is no weight 0.
            const score = await this.reader.getWorkerScore(walletAddress);
            if (score === undefined && verdict === 'confirmed') facts.claimPending = true;
            facts.workerWeight = workerWeightFromScore(score);
          }
        }),
      );
    }
    if (!claim && needed.includes('workerWeight')) {
      wanted.push(
        this.reader
          .getWorkerScore(walletAddress)
          .then((s) => void (facts.workerWeight = workerWeightFromScore(s))),
      );
    }
    if (needed.includes('resultUploaded')) {
      wanted.push(
        this.results
          .isResultUploaded(chainTaskId, description, task.enclaveChallenge)
          .then((uploaded) => void (facts.resultUploaded = uploaded)),
      );
    }
    await Promise.all(wanted);
    if (
      needed.includes('chainTaskStatus') ||
      update.status === ReplicateStatus.CONTRIBUTE_AND_FINALIZE_DONE
    ) {
      // After the claim check: the finalize of a contribute-and-finalize is in the same block.
      const chainTask = await this.reader.getChainTask(chainTaskId);
      facts.chainTaskStatus = chainTask?.status ?? null;
      facts.chainResultsText = chainTask ? resultsText(chainTask.results) : null;
    }
    return facts;
  }
}

/** The on-chain claim an update makes, checked against our node (§7.3 a-b); none for others. */
function claimOf(
  task: TaskRecord,
  walletAddress: string,
  update: ReplicateStatusUpdate,
): WorkerClaim | undefined {
  const target =
    update.status === ReplicateStatus.CONTRIBUTED
      ? 'contributed'
      : update.status === ReplicateStatus.REVEALED ||
          update.status === ReplicateStatus.CONTRIBUTE_AND_FINALIZE_DONE
        ? 'revealed'
        : undefined;
  if (!target) return undefined;
  return {
    chainTaskId: task.chainTaskId,
    walletAddress,
    target,
    claimedBlock: BigInt(update.details?.chainReceipt?.blockNumber ?? 0),
    finalDeadline: task.finalDeadline,
  };
}

function resultsText(results: string): string | null {
  if (!results || results === '0x') return null;
  try {
    return hexToString(results as Hex);
  } catch {
    return null;
  }
}
