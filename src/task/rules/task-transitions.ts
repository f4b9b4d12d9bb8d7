import { ChainTaskStatus } from '../../chain/chain-status.js';
import type { ChainTask } from '../../chain/chain-task.js';
import { Instant, toMillis } from '../../common/instant.js';
import { ReplicateStatus as R } from '../../replicate/replicate-status.js';
import type { Replicate } from '../../replicate/replicates-list.schema.js';
import {
  currentStatus,
  isFailedBeforeComputed,
  lastRelevantStatus,
  ReplicateHistory,
} from '../../replicate/replicate-workflow.js';
import type { Task } from '../task.schema.js';
import {
  FINAL_DEADLINE_IRRELEVANT_STATUSES,
  TaskStatus,
  taskStatusOrdinal,
} from '../task-status.js';
import { ConsensusReplicate, isConsensusReached, isContributed } from './consensus.js';
import { isPastContributionDeadline, isPastFinalDeadline } from './deadlines.js';
import { revealTimeoutTargets } from './task-detectors.js';
import {
  isEligibleToContributeAndFinalize,
  TaskDescriptionFacts,
} from './task-description-facts.js';

// Decision parts of the task update engine (task-lifecycle.md §6.2, §7.1, §7.3, §7.4).
// Every function returns what to do; the engine does the I/O.

// ---------------------------------------------------------------------------------------------
// §7.1 entry point

/** Step 3: FINAL_DEADLINE_REACHED replaces any still-relevant status once now > finalDeadline. */
export function effectiveStatus(
  task: Pick<Task, 'currentStatus' | 'finalDeadline'>,
  now: Instant,
): TaskStatus {
  if (FINAL_DEADLINE_IRRELEVANT_STATUSES.includes(task.currentStatus)) return task.currentStatus;
  return isPastFinalDeadline(task, now) ? TaskStatus.FINAL_DEADLINE_REACHED : task.currentStatus;
}

/**
 * Whether the chain task can change the decision from INITIALIZED or RUNNING: only past the
 * contribution deadline (contribution timeout), once a replicate is CONTRIBUTED (consensus), or
 * CONTRIBUTE_AND_FINALIZE_DONE (its consensus fields are copied, iexec-core 8.6 #720).
 * Before that the update does not read it: the progress reports of a replicate (STARTED,
 * COMPUTED…) each trigger an update, and each used to cost a chain read. [deviation] Step 2 of
 * the reference reads it for every update from INITIALIZED on and stops when it is unreadable;
 * here only the updates that use it read it, and those still stop when it is unreadable.
 */
export function chainTaskDecides(
  task: Pick<Task, 'contributionDeadline'>,
  replicates: readonly ConsensusReplicate[],
  now: Instant,
): boolean {
  return (
    isPastContributionDeadline(task, now) ||
    replicates.some((r) => isContributed(r) || currentStatus(r) === R.CONTRIBUTE_AND_FINALIZE_DONE)
  );
}

export type TaskHandler =
  | 'RECEIVED_TO_INITIALIZING'
  | 'INITIALIZING_TO_INITIALIZED'
  | 'INITIALIZED_TO_RUNNING'
  | 'FROM_RUNNING'
  | 'CONSENSUS_REACHED_TO_AT_LEAST_ONE_REVEALED'
  | 'REQUEST_UPLOAD'
  | 'REOPENING_TO_REOPENED'
  | 'REOPENED_TO_INITIALIZED'
  | 'RESULT_UPLOADING_TO_UPLOADED'
  | 'RESULT_UPLOADED_TO_FINALIZING'
  | 'FINALIZING_TO_FINALIZED'
  | 'FINALIZED_TO_COMPLETED'
  | 'TO_FAILED'
  | 'FINAL_DEADLINE_REACHED'
  | 'NONE';

const HANDLERS: Readonly<Record<TaskStatus, TaskHandler>> = {
  [TaskStatus.RECEIVED]: 'RECEIVED_TO_INITIALIZING',
  [TaskStatus.INITIALIZING]: 'INITIALIZING_TO_INITIALIZED',
  [TaskStatus.INITIALIZED]: 'INITIALIZED_TO_RUNNING',
  [TaskStatus.INITIALIZE_FAILED]: 'TO_FAILED',
  [TaskStatus.RUNNING]: 'FROM_RUNNING',
  [TaskStatus.RUNNING_FAILED]: 'TO_FAILED',
  [TaskStatus.CONTRIBUTION_TIMEOUT]: 'TO_FAILED',
  [TaskStatus.CONSENSUS_REACHED]: 'CONSENSUS_REACHED_TO_AT_LEAST_ONE_REVEALED',
  [TaskStatus.REOPENING]: 'REOPENING_TO_REOPENED',
  [TaskStatus.REOPENED]: 'REOPENED_TO_INITIALIZED',
  [TaskStatus.REOPEN_FAILED]: 'TO_FAILED',
  [TaskStatus.AT_LEAST_ONE_REVEALED]: 'REQUEST_UPLOAD',
  [TaskStatus.RESULT_UPLOADING]: 'RESULT_UPLOADING_TO_UPLOADED',
  [TaskStatus.RESULT_UPLOADED]: 'RESULT_UPLOADED_TO_FINALIZING',
  [TaskStatus.RESULT_UPLOAD_TIMEOUT]: 'TO_FAILED',
  [TaskStatus.FINALIZING]: 'FINALIZING_TO_FINALIZED',
  [TaskStatus.FINALIZED]: 'FINALIZED_TO_COMPLETED',
  [TaskStatus.FINALIZE_FAILED]: 'TO_FAILED',
  [TaskStatus.FINAL_DEADLINE_REACHED]: 'FINAL_DEADLINE_REACHED',
  [TaskStatus.COMPLETED]: 'NONE',
  [TaskStatus.FAILED]: 'NONE',
};

/** Step 4 dispatch table, keyed by the effective status. */
export function taskHandlerFor(status: TaskStatus): TaskHandler {
  return HANDLERS[status];
}

/** Statuses appended by the failure handlers (`TO_FAILED` → [FAILED], final deadline → both). */
export function failureStatusesToAppend(
  handler: 'TO_FAILED' | 'FINAL_DEADLINE_REACHED',
): TaskStatus[] {
  return handler === 'TO_FAILED'
    ? [TaskStatus.FAILED]
    : [TaskStatus.FINAL_DEADLINE_REACHED, TaskStatus.FAILED];
}

// ---------------------------------------------------------------------------------------------
// §6.2 update queue ordering

export interface TaskUpdatePriorityKey {
  /** Unknown status (a request without a task snapshot) comes last. */
  readonly status?: TaskStatus;
  readonly contributionDeadline?: Instant | null;
}

const ordinalOf = (status: TaskStatus | undefined) => (status ? taskStatusOrdinal(status) : -1);

/** Comparator (negative = `a` runs first): higher status ordinal, then earlier deadline. */
export function compareTaskUpdatePriority(
  a: TaskUpdatePriorityKey,
  b: TaskUpdatePriorityKey,
): number {
  const byStatus = ordinalOf(b.status) - ordinalOf(a.status);
  if (byStatus !== 0) return byStatus;
  const da = a.contributionDeadline == null ? Infinity : toMillis(a.contributionDeadline);
  const db = b.contributionDeadline == null ? Infinity : toMillis(b.contributionDeadline);
  return da === db ? 0 : da < db ? -1 : 1;
}

// ---------------------------------------------------------------------------------------------
// §7.3 INITIALIZED → RUNNING

/** Contribution timeout applies while the chain task is UNSET/ACTIVE and now > deadline. */
export function isContributionTimeout(
  task: Pick<Task, 'contributionDeadline'>,
  chainTask: Pick<ChainTask, 'status'> | undefined,
  now: Instant,
): boolean {
  return (
    chainTask !== undefined &&
    chainTask.status < ChainTaskStatus.REVEALING &&
    isPastContributionDeadline(task, now)
  );
}

/** Last relevant statuses that prove a worker has started working on the task (§7.3 step 2). */
export const STARTED_REPLICATE_STATUSES: readonly R[] = [
  R.STARTED,
  R.APP_DOWNLOADING,
  R.APP_DOWNLOAD_FAILED,
  R.APP_DOWNLOADED,
  R.DATA_DOWNLOADING,
  R.DATA_DOWNLOAD_FAILED,
  R.DATA_DOWNLOADED,
  R.COMPUTING,
  R.COMPUTE_FAILED,
  R.COMPUTED,
  R.CONTRIBUTING,
  R.CONTRIBUTE_FAILED,
  R.CONTRIBUTED,
  R.CONTRIBUTE_AND_FINALIZE_ONGOING,
  R.CONTRIBUTE_AND_FINALIZE_FAILED,
  R.CONTRIBUTE_AND_FINALIZE_DONE,
];

export function countStartedReplicates(replicates: readonly ConsensusReplicate[]): number {
  return replicates.filter((r) => {
    const last = lastRelevantStatus(r);
    return last !== undefined && STARTED_REPLICATE_STATUSES.includes(last);
  }).length;
}

export type InitializedDecision =
  /** Append [CONTRIBUTION_TIMEOUT, FAILED], publish ContributionTimeoutEvent, stop. */
  | { readonly kind: 'CONTRIBUTION_TIMEOUT' }
  /** Write RUNNING; when `updateAgain`, run the update again at once (consensus may be there). */
  | { readonly kind: 'RUNNING'; readonly updateAgain: boolean }
  | { readonly kind: 'NONE' };

/**
 * [quirk fixed] The reference does not return after the contribution timeout: it goes on with
 * an in-memory status of FAILED and a later RUNNING write matches the FAILED document, turning
 * it back into RUNNING. Here the timeout is final.
 */
export function initializedToRunning(input: {
  readonly task: Pick<Task, 'contributionDeadline'>;
  /** Undefined when not read: {@link chainTaskDecides} was false. */
  readonly chainTask: Pick<ChainTask, 'status'> | undefined;
  readonly replicates: readonly ConsensusReplicate[];
  readonly now: Instant;
}): InitializedDecision {
  if (isContributionTimeout(input.task, input.chainTask, input.now)) {
    return { kind: 'CONTRIBUTION_TIMEOUT' };
  }
  if (countStartedReplicates(input.replicates) === 0) return { kind: 'NONE' };
  const updateAgain = input.replicates.some((r) => lastRelevantStatus(r) === R.CONTRIBUTED);
  return { kind: 'RUNNING', updateAgain };
}

// ---------------------------------------------------------------------------------------------
// §7.4 transitions from RUNNING

export type RunningReplicate = ConsensusReplicate & Pick<Replicate, 'walletAddress'>;

export type RunningDecision =
  | { readonly kind: 'CONTRIBUTION_TIMEOUT' }
  /** Stop with an error log; nothing changes. */
  | { readonly kind: 'NO_REPLICATES_LIST' }
  /** Stop with an error log ([quirk fixed]: the reference throws on a null description). */
  | { readonly kind: 'NO_TASK_DESCRIPTION' }
  /**
   * Exactly one CONTRIBUTE_AND_FINALIZE_DONE: persist the chain task's consensus and reveal
   * deadline (+ the consensus block), as for CONSENSUS_REACHED, and append [FINALIZED, COMPLETED].
   * `consensus` is undefined only when the chain task was not read.
   */
  | {
      readonly kind: 'FINALIZED_COMPLETED';
      readonly consensus?: { readonly consensus: string; readonly revealDeadline: number };
    }
  /**
   * Append [RUNNING_FAILED, FAILED]. `MULTIPLE_CONTRIBUTE_AND_FINALIZE` is a toFailed (publish
   * TaskFailedEvent); `ALL_ALIVE_WORKERS_FAILED` publishes TaskRunningFailedEvent.
   */
  | {
      readonly kind: 'RUNNING_FAILED';
      readonly reason: 'MULTIPLE_CONTRIBUTE_AND_FINALIZE' | 'ALL_ALIVE_WORKERS_FAILED';
    }
  /** Persist revealDeadline + consensus (+ the consensus block the engine looks up), write CONSENSUS_REACHED. */
  | {
      readonly kind: 'CONSENSUS_REACHED';
      readonly consensus: string;
      readonly revealDeadline: number;
    }
  | { readonly kind: 'NONE' };

export interface RunningInput {
  readonly task: Pick<Task, 'contributionDeadline'>;
  /** Undefined when not read: {@link chainTaskDecides} was false. */
  readonly chainTask:
    Pick<ChainTask, 'status' | 'consensusValue' | 'winnerCounter' | 'revealDeadline'> | undefined;
  /** `null`/`undefined` when the task has no replicates list. */
  readonly replicates: readonly RunningReplicate[] | null | undefined;
  /** `null`/`undefined` when the task description could not be obtained. */
  readonly description: TaskDescriptionFacts | null | undefined;
  /** Wallets of the workers currently alive (pinged during the last minute). */
  readonly aliveWorkers: readonly string[];
  readonly now: Instant;
}

export function fromRunning(input: RunningInput): RunningDecision {
  if (isContributionTimeout(input.task, input.chainTask, input.now)) {
    return { kind: 'CONTRIBUTION_TIMEOUT' };
  }
  const { replicates, description } = input;
  if (!replicates) return { kind: 'NO_REPLICATES_LIST' };
  if (!description) return { kind: 'NO_TASK_DESCRIPTION' };

  if (isEligibleToContributeAndFinalize(description)) {
    const done = replicates.filter((r) => currentStatus(r) === R.CONTRIBUTE_AND_FINALIZE_DONE);
    if (done.length > 1)
      return { kind: 'RUNNING_FAILED', reason: 'MULTIPLE_CONTRIBUTE_AND_FINALIZE' };
    if (done.length === 1) {
      const c = input.chainTask;
      return c
        ? {
            kind: 'FINALIZED_COMPLETED',
            consensus: { consensus: c.consensusValue, revealDeadline: c.revealDeadline },
          }
        : { kind: 'FINALIZED_COMPLETED' };
    }
  } else if (input.chainTask && isConsensusReached(input.chainTask, replicates)) {
    return {
      kind: 'CONSENSUS_REACHED',
      consensus: input.chainTask.consensusValue,
      revealDeadline: input.chainTask.revealDeadline,
    };
  }

  if (
    description.isTeeTask &&
    allAliveWorkersFailedBeforeComputed(replicates, input.aliveWorkers)
  ) {
    return { kind: 'RUNNING_FAILED', reason: 'ALL_ALIVE_WORKERS_FAILED' };
  }
  return { kind: 'NONE' };
}

/**
 * §7.4 step 6 (TEE tasks): every alive worker holds a replicate of this task and each of those
 * replicates' last relevant status is START/APP_DOWNLOAD/DATA_DOWNLOAD/COMPUTE_FAILED.
 *
 * [quirk fixed] With zero alive workers the reference condition is vacuously true and a RUNNING
 * TEE task is failed, e.g. right after a scheduler restart before workers ping again. Here zero
 * alive workers never fails the task.
 */
export function allAliveWorkersFailedBeforeComputed(
  replicates: readonly Pick<RunningReplicate, 'walletAddress' | 'statusUpdateList'>[],
  aliveWorkers: readonly string[],
): boolean {
  if (aliveWorkers.length === 0) return false;
  for (const wallet of aliveWorkers) {
    const replicate = replicates.find((r) => r.walletAddress === wallet);
    if (!replicate) return false;
    const last = lastRelevantStatus(replicate);
    if (last === undefined || !isFailedBeforeComputed(last)) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// §7.10 reopen (dormant: nothing enters REOPENING in the reference)

export type ReopeningDecision<T> =
  /** Chain task unreadable or not ACTIVE yet: nothing. */
  | { readonly kind: 'NONE' }
  /**
   * Fail `revealTimeouts` (FAILED, cause REVEAL_TIMEOUT), clear `consensus`, set
   * `revealDeadline` to epoch 0, then write REOPENED and INITIALIZED (two writes).
   */
  | { readonly kind: 'REOPENED'; readonly revealTimeouts: T[]; readonly revealDeadline: 0 };

export function reopeningDecision<T extends ReplicateHistory>(
  chainTask: Pick<ChainTask, 'status'> | null | undefined,
  replicates: readonly T[],
): ReopeningDecision<T> {
  if (!chainTask || chainTask.status !== ChainTaskStatus.ACTIVE) return { kind: 'NONE' };
  const revealTimeouts = revealTimeoutTargets(replicates);
  return { kind: 'REOPENED', revealTimeouts, revealDeadline: 0 };
}
