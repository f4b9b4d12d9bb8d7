import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ChainClock } from '../../chain/chain-clock.js';
import { ChainHealthService } from '../../chain/chain-health.service.js';
import { ChainTaskStatus } from '../../chain/chain-status.js';
import type { ChainTask } from '../../chain/chain-task.js';
import { PocoReader } from '../../chain/poco-reader.js';
import { TaskDescriptionService } from '../../chain/task-description.service.js';
import { ChainWriter } from '../../chain/writer/chain-writer.js';
import { ReplicateStatusService } from '../../replicate/replicate-status.service.js';
import { ReplicatesListRepository } from '../../replicate/replicates-list.repository.js';
import { WorkerService } from '../../worker/worker.service.js';
import {
  chainTaskDecides,
  effectiveStatus,
  fromRunning,
  initializedToRunning,
  taskHandlerFor,
  TaskHandler,
} from '../rules/task-transitions.js';
import type { ConsensusReplicate } from '../rules/consensus.js';
import { TaskStatus } from '../task-status.js';
import { TaskFieldUpdate, TaskRecord, TaskRepository } from '../task.repository.js';
import { TaskUpdateRequests } from '../task-update-requests.js';
import { CompletionSteps } from './completion.steps.js';
import { InitializationSteps } from './initialization.steps.js';
import { TaskEvents } from './task-events.service.js';
import { TaskStateWriter } from './task-state-writer.js';

/** One update may chain this many transitions (RECEIVED → … → INITIALIZED, RESULT_UPLOADED → COMPLETED). */
const MAX_STEPS_PER_UPDATE = 12;

/** Handlers that need the chain (reads or a transaction): skipped while out of service. */
const NEEDS_CHAIN: ReadonlySet<TaskHandler> = new Set<TaskHandler>([
  'RECEIVED_TO_INITIALIZING',
  'INITIALIZING_TO_INITIALIZED',
  'INITIALIZED_TO_RUNNING',
  'FROM_RUNNING',
  'RESULT_UPLOADED_TO_FINALIZING',
  'FINALIZING_TO_FINALIZED',
  'REOPENING_TO_REOPENED',
]);

/** Reads the chain task at most once per step, when a handler needs it. */
type ChainTaskRead = () => Promise<ChainTask | undefined>;

/**
 * The task update engine (task-lifecycle.md §6–§7): the only place where a task changes status.
 * Runs one update per task at a time (TaskUpdateRequests), reads the task, applies the
 * final-deadline override, dispatches to the handler of the status (which reads the chain task
 * only if its decision depends on it), and keeps going while a handler says the next step can be
 * taken right away.
 */
@Injectable()
export class TaskUpdateService implements OnModuleInit {
  private readonly logger = new Logger(TaskUpdateService.name);

  constructor(
    private readonly tasks: TaskRepository,
    private readonly reader: PocoReader,
    private readonly health: ChainHealthService,
    private readonly writer: ChainWriter,
    private readonly descriptions: TaskDescriptionService,
    private readonly replicates: ReplicatesListRepository,
    private readonly replicateStatus: ReplicateStatusService,
    private readonly workers: WorkerService,
    private readonly requests: TaskUpdateRequests,
    private readonly state: TaskStateWriter,
    private readonly events: TaskEvents,
    private readonly initialization: InitializationSteps,
    private readonly completion: CompletionSteps,
    private readonly clock: ChainClock,
  ) {}

  onModuleInit(): void {
    this.requests.attach((chainTaskId) => this.update(chainTaskId));
    // A mined (or failed) initialize/finalize moves its task at once, not at the next detector run.
    this.writer.onSettled((chainTaskId) => this.requests.publish(chainTaskId));
  }

  async update(chainTaskId: string): Promise<void> {
    for (let step = 0; step < MAX_STEPS_PER_UPDATE; step++) {
      const task = await this.tasks.findByChainTaskId(chainTaskId);
      if (!task) {
        this.logger.warn(`Update of unknown task ${chainTaskId}`, { chainTaskId });
        return;
      }
      const handler = taskHandlerFor(effectiveStatus(task, this.clock.now()));
      if (handler === 'NONE') return;
      if (NEEDS_CHAIN.has(handler) && this.health.isOutOfService()) return;
      let read: Promise<ChainTask | undefined> | undefined;
      const chainTask: ChainTaskRead = () => (read ??= this.reader.getChainTask(chainTaskId));
      if (!(await this.run(handler, task, chainTask))) return;
    }
    this.logger.warn(
      `Task ${chainTaskId}: ${MAX_STEPS_PER_UPDATE} steps in one update, continuing later`,
      { chainTaskId },
    );
    this.requests.publish(chainTaskId);
  }

  private async run(
    handler: TaskHandler,
    task: TaskRecord,
    chainTask: ChainTaskRead,
  ): Promise<boolean> {
    switch (handler) {
      case 'RECEIVED_TO_INITIALIZING': {
        // The embedded writer's batch simulation refuses an initialized task: no read first.
        const known = this.writer.mode === 'embedded' ? undefined : await chainTask();
        return this.initialization.received(task, known, chainTask);
      }
      case 'INITIALIZING_TO_INITIALIZED':
        return this.initialization.initializing(task, await chainTask());
      case 'INITIALIZED_TO_RUNNING':
        return this.initializedToRunning(task, chainTask);
      case 'FROM_RUNNING':
        return this.fromRunning(task, chainTask);
      case 'CONSENSUS_REACHED_TO_AT_LEAST_ONE_REVEALED':
        return this.completion.consensusReached(task);
      case 'REQUEST_UPLOAD':
        return this.completion.requestUpload(task);
      case 'RESULT_UPLOADING_TO_UPLOADED':
        return this.completion.resultUploading(task);
      case 'RESULT_UPLOADED_TO_FINALIZING':
        return this.withChainTask(task, await chainTask(), (c) =>
          this.completion.resultUploaded(task, c),
        );
      case 'FINALIZING_TO_FINALIZED':
        return this.withChainTask(task, await chainTask(), (c) =>
          this.completion.finalizing(task, c),
        );
      case 'FINALIZED_TO_COMPLETED':
        return this.completion.complete(task, [TaskStatus.COMPLETED]);
      case 'TO_FAILED':
        return this.completion.fail(task, undefined, `${task.currentStatus} is a failure`);
      case 'FINAL_DEADLINE_REACHED':
        return this.completion.fail(
          task,
          TaskStatus.FINAL_DEADLINE_REACHED,
          'final deadline reached',
        );
      case 'REOPENING_TO_REOPENED':
        return this.withChainTask(task, await chainTask(), (c) => this.reopening(task, c));
      case 'REOPENED_TO_INITIALIZED':
        return this.state.transition(task, [TaskStatus.INITIALIZED]).then(() => false);
      case 'NONE':
        return Promise.resolve(false);
    }
  }

  /** Runs `step` with the chain task; an unreadable one postpones the update. */
  private withChainTask(
    task: TaskRecord,
    chainTask: ChainTask | undefined,
    step: (chainTask: ChainTask) => Promise<boolean>,
  ): Promise<boolean> {
    return chainTask ? step(chainTask) : Promise.resolve(this.postponed(task));
  }

  private postponed(task: TaskRecord): false {
    this.logger.warn(
      `Task ${task.chainTaskId} (${task.currentStatus}): chain task unreadable, update postponed`,
      { chainTaskId: task.chainTaskId },
    );
    return false;
  }

  /**
   * The chain task if the decision depends on it (undefined when it does not); null when it does
   * but is unreadable.
   */
  private async decidingChainTask(
    task: TaskRecord,
    replicates: readonly ConsensusReplicate[],
    chainTask: ChainTaskRead,
  ): Promise<ChainTask | undefined | null> {
    if (!chainTaskDecides(task, replicates, this.clock.now())) return undefined;
    return (await chainTask()) ?? null;
  }

  private async initializedToRunning(task: TaskRecord, read: ChainTaskRead): Promise<boolean> {
    const list = await this.replicates.findByChainTaskId(task.chainTaskId);
    const replicates = list?.replicates ?? [];
    const chainTask = await this.decidingChainTask(task, replicates, read);
    if (chainTask === null) return this.postponed(task);
    const decision = initializedToRunning({
      task,
      chainTask,
      replicates,
      now: this.clock.now(),
    });
    if (decision.kind === 'CONTRIBUTION_TIMEOUT') return this.contributionTimeout(task);
    if (decision.kind === 'RUNNING') return this.state.transition(task, [TaskStatus.RUNNING]);
    return false;
  }

  private async fromRunning(task: TaskRecord, read: ChainTaskRead): Promise<boolean> {
    const list = await this.replicates.findByChainTaskId(task.chainTaskId);
    const chainTask = await this.decidingChainTask(task, list?.replicates ?? [], read);
    if (chainTask === null) return this.postponed(task);
    const description = await this.descriptions.get(task);
    const decision = fromRunning({
      task,
      chainTask,
      replicates: list?.replicates,
      description,
      aliveWorkers: (await this.workers.aliveWorkers()).map((w) => w.walletAddress),
      now: this.clock.now(),
    });
    switch (decision.kind) {
      case 'CONTRIBUTION_TIMEOUT':
        return this.contributionTimeout(task);
      case 'CONSENSUS_REACHED': {
        const blockNumber = await this.consensusBlock(task);
        if (blockNumber === undefined) return false;
        const written = await this.state.transition(task, [TaskStatus.CONSENSUS_REACHED], {
          consensus: decision.consensus,
          revealDeadline: new Date(decision.revealDeadline),
          consensusReachedBlockNumber: blockNumber,
        });
        if (written)
          await this.events.consensusReached(task.chainTaskId, decision.consensus, blockNumber);
        return written;
      }
      case 'FINALIZED_COMPLETED':
        return this.completion.complete(
          task,
          [TaskStatus.FINALIZED, TaskStatus.COMPLETED],
          decision.consensus && (await this.consensusFields(task, decision.consensus)),
        );
      case 'RUNNING_FAILED':
        return this.completion.fail(task, TaskStatus.RUNNING_FAILED, decision.reason);
      case 'NO_REPLICATES_LIST':
      case 'NO_TASK_DESCRIPTION':
        this.logger.error(`Task ${task.chainTaskId} RUNNING: ${decision.kind}`, {
          chainTaskId: task.chainTaskId,
        });
        return false;
      case 'NONE':
        return false;
    }
  }

  /**
   * The block of the task's TaskConsensus log, undefined when it cannot be read yet: nothing is
   * stored then, the task stays RUNNING and the consensus-reached detector asks again (a block 0
   * in PLEASE_REVEAL made every winner's reveal fail).
   */
  private async consensusBlock(task: TaskRecord): Promise<number | undefined> {
    try {
      const receipt = await this.reader.findTaskEvent(
        'TaskConsensus',
        task.chainTaskId,
        BigInt(task.initializationBlockNumber),
      );
      if (receipt) return receipt.blockNumber;
      this.logger.warn(`Task ${task.chainTaskId}: consensus on chain, no TaskConsensus log yet`, {
        chainTaskId: task.chainTaskId,
      });
    } catch (error) {
      this.logger.warn(
        `Task ${task.chainTaskId}: consensus block unreadable, read again at the next update: ${(error as Error).message}`,
        { chainTaskId: task.chainTaskId },
      );
    }
    return undefined;
  }

  /**
   * A contribute-and-finalize task's consensus fields, copied from the chain task (iexec-core 8.6
   * #720). The consensus block only when its event is found: nothing is derived from a failed read.
   */
  private async consensusFields(
    task: TaskRecord,
    consensus: { consensus: string; revealDeadline: number },
  ): Promise<TaskFieldUpdate> {
    const blockNumber = await this.consensusBlock(task);
    return {
      consensus: consensus.consensus,
      revealDeadline: new Date(consensus.revealDeadline),
      ...(blockNumber !== undefined &&
        blockNumber > 0 && { consensusReachedBlockNumber: blockNumber }),
    };
  }

  private async contributionTimeout(task: TaskRecord): Promise<boolean> {
    if (await this.state.transition(task, [TaskStatus.CONTRIBUTION_TIMEOUT, TaskStatus.FAILED])) {
      await this.events.contributionTimeout(task.chainTaskId);
    }
    return false;
  }

  /** Dormant in Java 8.5 (nothing enters REOPENING), kept for data written by other versions. */
  private async reopening(task: TaskRecord, chainTask: ChainTask): Promise<boolean> {
    if (chainTask.status !== ChainTaskStatus.ACTIVE) return false;
    await this.replicateStatus.failSilentWinners(task.chainTaskId);
    await this.state.transition(task, [TaskStatus.REOPENED], {
      consensus: undefined,
      revealDeadline: new Date(0),
    });
    return this.state.transition(task, [TaskStatus.INITIALIZED]).then(() => false);
  }
}
