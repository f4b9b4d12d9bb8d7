import {
  TaskAbortCause,
  TaskNotificationType as N,
} from '../notification/task-notification-type.js';
import { TaskStatus as T } from '../task/task-status.js';
import { ReplicateStatus as R, replicateStatusOrdinal } from './replicate-status.js';
import { containsStatus, lastRelevantStatus, ReplicateHistory } from './replicate-workflow.js';

// Recovery decision table of R2 `/replicates/interrupted` (worker-api.md §6.2 (A)–(G)).
//
// The reference interleaves chain reads and status writes with the decision. Here the decision
// is a pure function the caller drives in a loop: it answers NEED (look a fact up and call again
// with it), APPEND (write that status, re-read the replicate, call again with `rereadReplicate`),
// SKIP (no notification, no RECOVERING) or NOTIFY (build the notification, then append RECOVERING).
//
//   let d = decideRecovery(input);
//   while (d.kind === 'NEED' || d.kind === 'APPEND') { …answer…; d = decideRecovery(input); }

export type RecoveryFact = 'onChainContributed' | 'onChainRevealed' | 'consensusReached';

export interface RecoveryInput {
  /** S: the task status read at the start. */
  readonly taskStatus: T;
  /** Tag nibble rule. */
  readonly isTeeTask: boolean;
  readonly enclaveChallenge?: string | null;
  /** Block put in the extra of a PLEASE_REVEAL (the task's `consensusReachedBlockNumber`). */
  readonly consensusReachedBlockNumber?: number | null;
  /** The worker's replicate as read at the start. */
  readonly replicate: ReplicateHistory;
  /** This worker's chain contribution is CONTRIBUTED or REVEALED. */
  readonly onChainContributed?: boolean;
  /** This worker's chain contribution is REVEALED. */
  readonly onChainRevealed?: boolean;
  /** The replicate re-read after the APPEND step was attempted (accepted or refused). */
  readonly rereadReplicate?: ReplicateHistory;
  /** §5.4 step 3.4 evaluated on the (re-read) replicates list; false if the chain task is unreadable. */
  readonly consensusReached?: boolean;
}

export interface RecoveryNotification {
  readonly type: N;
  /** Extra `blockNumber`: the consensus block for PLEASE_REVEAL, otherwise 0. */
  readonly blockNumber: number;
  /** Extra `taskAbortCause`: set for PLEASE_ABORT only, null otherwise. */
  readonly taskAbortCause: TaskAbortCause | null;
}

export type RecoveryDecision =
  | { readonly kind: 'SKIP' }
  | { readonly kind: 'NEED'; readonly fact: RecoveryFact }
  /** Scheduler-originated update with chain receipt block = the request's `blockNumber`. */
  | {
      readonly kind: 'APPEND';
      readonly status: R.CONTRIBUTED | R.REVEALED;
      readonly requestTaskUpdate: boolean;
    }
  | {
      readonly kind: 'NOTIFY';
      readonly notification: RecoveryNotification;
      readonly requestTaskUpdate: boolean;
    };

const CONTRIBUTION_PHASE: readonly T[] = [T.INITIALIZED, T.RUNNING];
const REVEAL_PHASE: readonly T[] = [
  T.CONSENSUS_REACHED,
  T.AT_LEAST_ONE_REVEALED,
  T.RESULT_UPLOADING,
  T.RESULT_UPLOADED,
];
const COMPLETION_PHASE: readonly T[] = [T.FINALIZING, T.FINALIZED, T.COMPLETED];

const SKIP: RecoveryDecision = { kind: 'SKIP' };
const need = (fact: RecoveryFact): RecoveryDecision => ({ kind: 'NEED', fact });

function notify(input: RecoveryInput, type: N, requestTaskUpdate = false): RecoveryDecision {
  let taskAbortCause: TaskAbortCause | null = null;
  if (type === N.PLEASE_ABORT) {
    taskAbortCause =
      input.taskStatus === T.CONSENSUS_REACHED
        ? TaskAbortCause.CONSENSUS_REACHED
        : input.taskStatus === T.CONTRIBUTION_TIMEOUT
          ? TaskAbortCause.CONTRIBUTION_TIMEOUT
          : TaskAbortCause.UNKNOWN;
  }
  const blockNumber = type === N.PLEASE_REVEAL ? (input.consensusReachedBlockNumber ?? 0) : 0;
  return { kind: 'NOTIFY', notification: { type, blockNumber, taskAbortCause }, requestTaskUpdate };
}

export function decideRecovery(input: RecoveryInput): RecoveryDecision {
  const S = input.taskStatus;
  if (input.isTeeTask && !input.enclaveChallenge) return SKIP;
  const L = lastRelevantStatus(input.replicate);
  if (L === undefined) return SKIP;

  if (CONTRIBUTION_PHASE.includes(S)) return contributionPhase(input, L);
  if (S === T.CONTRIBUTION_TIMEOUT) return notify(input, N.PLEASE_ABORT);
  if (S === T.CONSENSUS_REACHED && !containsStatus(input.replicate, R.CONTRIBUTED)) {
    return notify(input, N.PLEASE_ABORT);
  }
  if (REVEAL_PHASE.includes(S)) {
    const d = revealPhase(input, L);
    // (E) replaces (D)'s answer (including "none") once (D)'s side effects are done.
    if (S !== T.RESULT_UPLOADING || d.kind === 'NEED' || d.kind === 'APPEND') return d;
    return resultUploadingPhase(input, L);
  }
  if (COMPLETION_PHASE.includes(S)) {
    if (!containsStatus(input.replicate, R.REVEALED)) return SKIP;
    return notify(input, S === T.COMPLETED ? N.PLEASE_COMPLETE : N.PLEASE_WAIT);
  }
  return SKIP; // (G)
}

/** (A) INITIALIZED / RUNNING. */
function contributionPhase(input: RecoveryInput, L: R): RecoveryDecision {
  // [deviation] Never started: the reference answers PLEASE_CONTRIBUTE, which the worker drops
  // (it has no result for the task, §6.4), and its RECOVERING then forbids the STARTING of the
  // worker's next try for good. Left CREATED, the worker's next R1 gets it again
  // (`isUnstartedHandout`: a worker that came back through R2 no longer knows it).
  if (L === R.CREATED) return SKIP;
  if (replicateStatusOrdinal(L) < replicateStatusOrdinal(R.CONTRIBUTING)) {
    return notify(input, N.PLEASE_CONTRIBUTE);
  }
  let last: R = L;
  if (L === R.CONTRIBUTING) {
    if (input.onChainContributed === undefined) return need('onChainContributed');
    if (!input.onChainContributed) return notify(input, N.PLEASE_CONTRIBUTE);
    if (!input.rereadReplicate) {
      return { kind: 'APPEND', status: R.CONTRIBUTED, requestTaskUpdate: false };
    }
    last = lastRelevantStatus(input.rereadReplicate) ?? L;
  }
  if (last !== R.CONTRIBUTED) return SKIP;
  if (input.consensusReached === undefined) return need('consensusReached');
  // While the task is still RUNNING its consensus block is 0 (see the module report).
  return input.consensusReached
    ? notify(input, N.PLEASE_REVEAL, true)
    : notify(input, N.PLEASE_WAIT);
}

/** (D) reveal phase. */
function revealPhase(input: RecoveryInput, L: R): RecoveryDecision {
  if (L === R.CONTRIBUTED) return notify(input, N.PLEASE_REVEAL);
  let last: R = L;
  if (L === R.REVEALING) {
    if (input.onChainRevealed === undefined) return need('onChainRevealed');
    if (!input.onChainRevealed) return notify(input, N.PLEASE_REVEAL);
    // The task update is requested with the append (once), whatever the final answer.
    if (!input.rereadReplicate)
      return { kind: 'APPEND', status: R.REVEALED, requestTaskUpdate: true };
    last = lastRelevantStatus(input.rereadReplicate) ?? L;
  }
  if (last === R.REVEALED) return notify(input, N.PLEASE_WAIT);
  if (last === R.RESULT_UPLOAD_REQUESTED) return notify(input, N.PLEASE_UPLOAD);
  return SKIP;
}

/**
 * (E) RESULT_UPLOADING, with L as read at the start.
 *
 * [quirk fixed, worker-api §12 item 14] For L = RESULT_UPLOADING the reference, when the result
 * is already uploaded, appends a RESULT_UPLOADED without result link (always refused by the
 * validation) and answers PLEASE_WAIT, which can strand the task in RESULT_UPLOADING until its
 * final deadline. Here the worker is always answered PLEASE_UPLOAD, so it reports RESULT_UPLOADED
 * itself, with its link / callback data; the "result uploaded" fact is therefore not needed.
 */
function resultUploadingPhase(input: RecoveryInput, L: R): RecoveryDecision {
  switch (L) {
    case R.RESULT_UPLOAD_REQUESTED:
    case R.RESULT_UPLOADING:
      return notify(input, N.PLEASE_UPLOAD);
    case R.RESULT_UPLOADED:
      return notify(input, N.PLEASE_WAIT);
    default:
      return SKIP;
  }
}
