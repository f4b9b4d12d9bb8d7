import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { ChainClock } from '../chain/chain-clock.js';
import { ChainContext } from '../chain/chain-context.js';
import { PocoReader } from '../chain/poco-reader.js';
import {
  signWorkerpoolAuthorization,
  WorkerpoolAuthorization,
} from '../chain/workerpool-authorization.js';
import { isConsensusReached, workerWeightFromScore } from '../task/rules/consensus.js';
import { TaskRecord, TaskRepository } from '../task/task.repository.js';
import { WorkerService } from '../worker/worker.service.js';
import { GasCheckCache } from '../chain/gas-check-cache.js';
import { ReplicateLocks } from './replicate-locks.js';
import { ReplicateStatus, ReplicateStatusModifier } from './replicate-status.js';
import {
  hasEnclaveChallenge,
  isStillOfferable,
  isTagOfferableToWorker,
  isUnstartedHandout,
  supplyPrecheck,
} from './replicate-supply-rules.js';
import { ReplicatesListRepository } from './replicates-list.repository.js';
import { Replicate } from './replicates-list.schema.js';
import { WorkerRecoveries } from './worker-recoveries.js';

export interface ReplicateTaskSummary {
  workerpoolAuthorization: WorkerpoolAuthorization;
  smsUrl: string | null;
}

/** Candidate tasks are read at most this often (shared by every worker asking meanwhile). */
const CANDIDATES_TTL_MS = 500;

/**
 * `/replicates/available` (worker-api.md §5): hands a worker one replicate of the most urgent
 * task that still needs contributions, with a WorkerpoolAuthorization signed as PoCo verifies it.
 */
@Injectable()
export class ReplicateSupplyService {
  private readonly logger = new Logger(ReplicateSupplyService.name);
  private candidates?: { at: number; tasks: Promise<Readonly<TaskRecord>[]> };
  /** Replicates written before this are an earlier process's (see isUnstartedHandout). */
  private readonly answeringSince = Date.now();

  constructor(
    private readonly config: AppConfig,
    private readonly chain: ChainContext,
    private readonly reader: PocoReader,
    private readonly tasks: TaskRepository,
    private readonly replicates: ReplicatesListRepository,
    private readonly workers: WorkerService,
    private readonly locks: ReplicateLocks,
    private readonly gas: GasCheckCache,
    private readonly clock: ChainClock,
    private readonly recoveries: WorkerRecoveries,
  ) {}

  /** Forgets the cached candidates (a task became available or went away). */
  invalidateCandidates(): void {
    this.candidates = undefined;
  }

  async supply(
    walletAddress: string,
    blockNumber: number,
  ): Promise<ReplicateTaskSummary | undefined> {
    if (blockNumber <= 0) return undefined;
    if (!(await this.gas.hasEnoughGas(walletAddress))) return undefined;
    const worker = await this.workers.getWorker(walletAddress);
    if (!worker) return undefined;
    const again = await this.lostHandout(walletAddress, worker.computingChainTaskIds);
    if (again) return again;
    if (worker.computingChainTaskIds.length >= worker.maxNbTasks) return undefined;
    for (const task of await this.candidateTasks()) {
      if (!isTagOfferableToWorker(task.tag, worker)) continue;
      if (task.contributionDeadline.getTime() <= this.clock.now()) continue;
      if (!hasEnclaveChallenge(task)) continue;
      const accepted = await this.locks.trySupply(task.chainTaskId, () =>
        this.tryAccept(task, walletAddress),
      );
      if (accepted === 'worker-full') return undefined;
      if (accepted) return accepted;
    }
    return undefined;
  }

  /**
   * A replicate of this worker whose R1 answer was lost (`isUnstartedHandout`, e.g. the scheduler
   * was killed before answering), answered again with the same authorization. Judged after two
   * block times: a worker reports STARTING right after the answer.
   */
  private async lostHandout(
    walletAddress: string,
    chainTaskIds: readonly string[],
  ): Promise<ReplicateTaskSummary | undefined> {
    const graceMs = 2 * this.chain.chainConfig.blockTimeMs;
    for (const chainTaskId of chainTaskIds) {
      const list = await this.replicates.findByChainTaskId(chainTaskId);
      const mine = list?.replicates.find((r) => r.walletAddress === walletAddress);
      // Unknown to the worker asking: written by an earlier scheduler process, or before the
      // worker's own restart (its R2).
      const unknownSince = Math.max(this.answeringSince, this.recoveries.lastOf(walletAddress));
      if (!mine || !isUnstartedHandout(mine, Date.now(), graceMs, unknownSince)) continue;
      const task = await this.tasks.findByChainTaskId(chainTaskId);
      if (!task || !isStillOfferable(task, this.clock.now()) || !hasEnclaveChallenge(task))
        continue;
      this.logger.warn(
        `Task ${chainTaskId}: replicate of ${walletAddress} never started, its answer was lost: given again`,
        { chainTaskId, walletAddress },
      );
      return this.summary(task, walletAddress);
    }
    return undefined;
  }

  private async summary(
    task: Readonly<TaskRecord>,
    walletAddress: string,
  ): Promise<ReplicateTaskSummary> {
    const workerpoolAuthorization = await signWorkerpoolAuthorization(this.chain.account, {
      chainTaskId: task.chainTaskId,
      workerWallet: walletAddress,
      enclaveChallenge: task.enclaveChallenge!,
    });
    return { workerpoolAuthorization, smsUrl: task.smsUrl ?? null };
  }

  private candidateTasks(): Promise<Readonly<TaskRecord>[]> {
    const now = Date.now();
    if (!this.candidates || now - this.candidates.at > CANDIDATES_TTL_MS) {
      this.candidates = { at: now, tasks: this.tasks.findSupplyCandidates(this.clock.date()) };
    }
    return this.candidates.tasks;
  }

  /** §5.4 step 3, under the task's supply lock. */
  private async tryAccept(
    task: Readonly<TaskRecord>,
    walletAddress: string,
  ): Promise<ReplicateTaskSummary | 'worker-full' | undefined> {
    const list = await this.replicates.findByChainTaskId(task.chainTaskId);
    const precheck = supplyPrecheck({
      replicates: list?.replicates,
      walletAddress,
      trust: task.trust,
      maxExecutionTimeMs: task.maxExecutionTime,
      now: new Date(),
    });
    if (precheck !== 'OK') return undefined;
    if (!isStillOfferable(await this.tasks.findByChainTaskId(task.chainTaskId), this.clock.now())) {
      this.invalidateCandidates();
      return undefined;
    }
    // Consensus can only be on chain once someone was authorized to contribute.
    if (
      list!.replicates.length > 0 &&
      isConsensusReached(await this.reader.getChainTask(task.chainTaskId), list!.replicates)
    ) {
      return undefined;
    }
    if (!(await this.workers.addTaskToWorker(walletAddress, task.chainTaskId)).added)
      return 'worker-full';
    try {
      const workerWeight = workerWeightFromScore(await this.reader.getWorkerScore(walletAddress));
      const replicate: Replicate = {
        statusUpdateList: [
          {
            status: ReplicateStatus.CREATED,
            modifier: ReplicateStatusModifier.POOL_MANAGER,
            date: new Date(),
          },
        ],
        walletAddress,
        chainTaskId: task.chainTaskId,
        contributionHash: '',
        workerWeight,
        appComputeLogsPresent: false,
      };
      const added = await this.locks.writes.run(task.chainTaskId, async () => {
        const current = await this.replicates.findByChainTaskId(task.chainTaskId);
        if (!current || current.replicates.some((r) => r.walletAddress === walletAddress))
          return false;
        return this.replicates.addReplicate(task.chainTaskId, current.version, replicate);
      });
      if (!added) {
        await this.workers.removeTask(walletAddress, task.chainTaskId);
        return undefined;
      }
    } catch (error) {
      await this.workers.removeTask(walletAddress, task.chainTaskId);
      throw error;
    }
    this.logger.log(`Task ${task.chainTaskId}: replicate given to ${walletAddress}`, {
      chainTaskId: task.chainTaskId,
      walletAddress,
    });
    return this.summary(task, walletAddress);
  }
}
