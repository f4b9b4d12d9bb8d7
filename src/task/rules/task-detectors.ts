import { ChainTaskStatus } from '../../chain/chain-status.js';
import type { ChainTask } from '../../chain/chain-task.js';
import { Instant, toMillis } from '../../common/instant.js';
import { ReplicateStatus as R } from '../../replicate/replicate-status.js';
import {
  containsStatus,
  currentStatus,
  lastRelevantStatus,
  ReplicateHistory,
} from '../../replicate/replicate-workflow.js';
import type { Task } from '../task.schema.js';
import { TaskStatus } from '../task-status.js';
import { isPastFinalDeadline } from './deadlines.js';
import { WalletReplicate } from './result-upload-rules.js';

// Per-item decisions of the periodic detectors (task-lifecycle.md §13). Candidate selection by
// deadline lives in deadlines.ts; the unnotified detectors in unnotified-detection.ts.

/** §13.1: a lost worker's replicate gets WORKER_LOST unless the task is past its final deadline
 * or the replicate's current status is already WORKER_LOST, COMPLETED or FAILED. */
export function shouldMarkWorkerLost(
  task: Pick<Task, 'finalDeadline'>,
  replicate: ReplicateHistory,
  now: Instant,
): boolean {
  if (isPastFinalDeadline(task, now)) return false;
  const current = currentStatus(replicate);
  return (
    current !== undefined &&
    current !== R.WORKER_LOST &&
    current !== R.COMPLETED &&
    current !== R.FAILED
  );
}

/** §13.3: an initializable task whose chain task exists and is no longer UNSET. */
export function initializedDetectorMatches(
  chainTask: Pick<ChainTask, 'status'> | null | undefined,
): boolean {
  return !!chainTask && chainTask.status !== ChainTaskStatus.UNSET;
}

/**
 * §13.4: a RUNNING task whose chain task is REVEALING.
 * [quirk fixed] The reference also matches a task whose chain task cannot be read (an
 * "all of zero elements" check); here an unreadable chain task does not match.
 */
export function consensusReachedDetectorMatches(
  task: Pick<Task, 'currentStatus'>,
  chainTask: Pick<ChainTask, 'status'> | null | undefined,
): boolean {
  return (
    task.currentStatus === TaskStatus.RUNNING &&
    !!chainTask &&
    chainTask.status === ChainTaskStatus.REVEALING
  );
}

/**
 * §13.8: (a) FINALIZING with the chain task COMPLETED; (b) RUNNING, contribute-and-finalize
 * eligible, exactly one replicate whose history contains CONTRIBUTE_AND_FINALIZE_DONE, chain
 * task COMPLETED.
 */
export function finalizedDetectorMatches(input: {
  readonly taskStatus: TaskStatus;
  readonly eligibleToContributeAndFinalize: boolean;
  readonly replicates: readonly ReplicateHistory[];
  readonly chainTask: Pick<ChainTask, 'status'> | null | undefined;
}): boolean {
  if (!input.chainTask || input.chainTask.status !== ChainTaskStatus.COMPLETED) return false;
  if (input.taskStatus === TaskStatus.FINALIZING) return true;
  return (
    input.taskStatus === TaskStatus.RUNNING &&
    input.eligibleToContributeAndFinalize &&
    input.replicates.length === 1 &&
    containsStatus(input.replicates[0], R.CONTRIBUTE_AND_FINALIZE_DONE)
  );
}

/** §13.12 / §7.10: replicates to fail with REVEAL_TIMEOUT (last relevant REVEALING or CONTRIBUTED). */
export function revealTimeoutTargets<T extends ReplicateHistory>(replicates: readonly T[]): T[] {
  return replicates.filter((r) => {
    const last = lastRelevantStatus(r);
    return last === R.REVEALING || last === R.CONTRIBUTED;
  });
}

/** How long the chosen uploader has before RESULT_UPLOAD_FAILED is written (§13.13). */
export const RESULT_UPLOAD_TIMEOUT_MS = 2 * 60 * 1000;

export type ResultUploadTimeoutDecision =
  /** Nothing for this task; continue with the next one. */
  | { readonly kind: 'SKIP'; readonly reason: 'NO_UPLOADER' | 'TOO_EARLY' }
  /** Uploader already RESULT_UPLOAD_FAILED: only publish a task update request. */
  | { readonly kind: 'REQUEST_TASK_UPDATE' }
  /** Write RESULT_UPLOAD_FAILED (pool manager) on `walletAddress`, then publish an update request. */
  | { readonly kind: 'MARK_UPLOAD_FAILED'; readonly walletAddress: string };

/**
 * §13.13, for one RESULT_UPLOADING task.
 * [quirk fixed] The reference stops the whole run on "no uploader", "too early" and "already
 * failed"; here each of them only concerns the task at hand and the run continues.
 */
export function resultUploadTimeoutDecision(
  task: Pick<Task, 'uploadingWorkerWalletAddress' | 'dateStatusList'>,
  replicates: readonly WalletReplicate[],
  now: Instant,
): ResultUploadTimeoutDecision {
  const wallet = task.uploadingWorkerWalletAddress;
  const uploader = wallet ? replicates.find((r) => r.walletAddress === wallet) : undefined;
  if (!wallet || !uploader) return { kind: 'SKIP', reason: 'NO_UPLOADER' };
  const latest = task.dateStatusList[task.dateStatusList.length - 1];
  if (!latest || toMillis(now) <= toMillis(latest.date) + RESULT_UPLOAD_TIMEOUT_MS) {
    return { kind: 'SKIP', reason: 'TOO_EARLY' };
  }
  if (containsStatus(uploader, R.RESULT_UPLOAD_FAILED)) return { kind: 'REQUEST_TASK_UPDATE' };
  return { kind: 'MARK_UPLOAD_FAILED', walletAddress: wallet };
}
