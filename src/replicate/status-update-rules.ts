import { ChainContributionStatus, ChainTaskStatus } from '../chain/chain-status.js';
import { TaskNotificationType } from '../notification/task-notification-type.js';
import { containsCallback, TaskDescriptionFacts } from '../task/rules/task-description-facts.js';
import {
  ReplicateStatus as R,
  ReplicateStatusCause,
  ReplicateStatusModifier,
} from './replicate-status.js';
import type {
  ReplicateFieldUpdate,
  ReplicateStatusDetails,
  ReplicateStatusUpdate,
} from './replicates-list.schema.js';
import {
  BUSY_COMPUTING_STATUSES,
  canTransition,
  containsStatus,
  currentStatus,
  missingStatuses,
  ReplicateHistory,
} from './replicate-workflow.js';

// Status report validation, effects and listener decisions (worker-api.md §7.2–§7.5,
// task-lifecycle.md §11.2). Chain / Result Proxy facts are looked up by the caller beforehand.

export enum ReplicateStatusUpdateError {
  UNKNOWN_REPLICATE = 'UNKNOWN_REPLICATE',
  UNKNOWN_TASK = 'UNKNOWN_TASK',
  BAD_WORKFLOW_TRANSITION = 'BAD_WORKFLOW_TRANSITION',
  ALREADY_REPORTED = 'ALREADY_REPORTED',
  GENERIC_CANT_UPDATE = 'GENERIC_CANT_UPDATE',
  NO_ERROR = 'NO_ERROR',
}

export interface OnChainContribution {
  readonly status: ChainContributionStatus;
  readonly resultHash: string;
}

/**
 * Facts for the per-status verification (§7.3). A fact the status needs but that is left
 * undefined counts as "not verified" (the update is refused); see `verificationFactsNeeded`.
 */
export interface StatusUpdateFacts {
  /** Task description; null/undefined when it could not be read. */
  readonly description?: TaskDescriptionFacts | null;
  /** The receipt block of the update is available on the scheduler's node. */
  readonly blockAvailable?: boolean;
  /**
   * The claim (CONTRIBUTED, REVEALED, CONTRIBUTE_AND_FINALIZE_DONE) is neither confirmed nor
   * refuted by our node yet (claim-verdict.ts): a verification failure then defers the update.
   */
  readonly claimPending?: boolean;
  /** This worker's contribution after the repeated check; null when unreadable. */
  readonly onChainContribution?: OnChainContribution | null;
  /** The worker's current weight (0 when the score is unreadable). */
  readonly workerWeight?: number;
  /** services.md §6.2 answer, Result Proxy included. */
  readonly resultUploaded?: boolean;
  readonly chainTaskStatus?: ChainTaskStatus | null;
}

export type StatusUpdateFact = Exclude<keyof StatusUpdateFacts, 'description'>;

/** Which facts (besides the task description, always read) the verification of `status` uses. */
export function verificationFactsNeeded(status: R): StatusUpdateFact[] {
  switch (status) {
    case R.CONTRIBUTED:
      return ['blockAvailable', 'onChainContribution', 'workerWeight'];
    case R.REVEALED:
      return ['blockAvailable', 'onChainContribution'];
    case R.RESULT_UPLOADED:
    case R.RESULT_UPLOAD_FAILED:
      return ['resultUploaded'];
    case R.CONTRIBUTE_AND_FINALIZE_DONE:
      return ['onChainContribution', 'workerWeight', 'resultUploaded', 'chainTaskStatus'];
    default:
      return [];
  }
}

const nonEmpty = (s: string | null | undefined): boolean => s != null && s !== '';

function isContributedOnChain(c: OnChainContribution | null | undefined): boolean {
  return (
    !!c &&
    (c.status === ChainContributionStatus.CONTRIBUTED ||
      c.status === ChainContributionStatus.REVEALED)
  );
}

/** §7.3; true when the update may be applied. */
export function passesVerification(
  update: Pick<ReplicateStatusUpdate, 'status' | 'details'>,
  facts: StatusUpdateFacts,
): boolean {
  const c = facts.onChainContribution;
  switch (update.status) {
    case R.CONTRIBUTE_FAILED:
    case R.REVEAL_FAILED:
      return false;
    case R.CONTRIBUTED:
      return (
        facts.blockAvailable === true &&
        isContributedOnChain(c) &&
        (facts.workerWeight ?? 0) > 0 &&
        nonEmpty(c?.resultHash)
      );
    case R.REVEALED:
      return facts.blockAvailable === true && c?.status === ChainContributionStatus.REVEALED;
    case R.RESULT_UPLOADED: {
      if (facts.resultUploaded !== true || !facts.description) return false;
      return containsCallback(facts.description.callback)
        ? nonEmpty(update.details?.chainCallbackData)
        : nonEmpty(update.details?.resultLink);
    }
    case R.RESULT_UPLOAD_FAILED:
      // [quirk fixed] the reference fails with 500 on a null description; here it is refused.
      return !!facts.description && facts.resultUploaded === false;
    case R.CONTRIBUTE_AND_FINALIZE_DONE:
      // [quirk fixed] a missing on-chain contribution is refused instead of crashing (500).
      return (
        c?.status === ChainContributionStatus.REVEALED &&
        facts.resultUploaded === true &&
        facts.chainTaskStatus === ChainTaskStatus.COMPLETED
      );
    default:
      return true;
  }
}

/** The success status of the step each worker failure status reports on. */
const STEP_SUCCESS_OF_FAILURE: ReadonlyMap<R, R> = new Map([
  [R.START_FAILED, R.STARTED],
  [R.APP_DOWNLOAD_FAILED, R.APP_DOWNLOADED],
  [R.DATA_DOWNLOAD_FAILED, R.DATA_DOWNLOADED],
  [R.COMPUTE_FAILED, R.COMPUTED],
  [R.CONTRIBUTE_FAILED, R.CONTRIBUTED],
  [R.REVEAL_FAILED, R.REVEALED],
  [R.RESULT_UPLOAD_FAILED, R.RESULT_UPLOADED],
  [R.CONTRIBUTE_AND_FINALIZE_FAILED, R.CONTRIBUTE_AND_FINALIZE_DONE],
]);

/**
 * [deviation] A failure reported for a step the replicate already succeeded in: the worker ran a
 * notification a second time (a PLEASE_REVEAL sent again to a worker that had it queued, after a
 * takeover), and its second reveal could only fail. The reference refuses it with 202
 * PLEASE_ABORT, which makes the worker abort a replicate that revealed (and the task then waits
 * for its final deadline); it is taken as already reported instead (208, PLEASE_WAIT).
 */
export function isFailureOfSucceededStep(replicate: ReplicateHistory, status: R): boolean {
  const success = STEP_SUCCESS_OF_FAILURE.get(status);
  return success !== undefined && containsStatus(replicate, success);
}

/** §7.2 step 5, in order. `replicate` is undefined when the wallet has none in this task. */
export function validateStatusUpdate(
  replicate: ReplicateHistory | null | undefined,
  update: Pick<ReplicateStatusUpdate, 'status' | 'details'>,
  facts: StatusUpdateFacts,
): ReplicateStatusUpdateError {
  if (!replicate) return ReplicateStatusUpdateError.UNKNOWN_REPLICATE;
  if (containsStatus(replicate, update.status)) return ReplicateStatusUpdateError.ALREADY_REPORTED;
  if (isFailureOfSucceededStep(replicate, update.status))
    return ReplicateStatusUpdateError.ALREADY_REPORTED;
  const current = currentStatus(replicate);
  const valid = current !== undefined && canTransition(current, update.status);
  if (!valid && progressGap(replicate, update.status).length === 0) {
    return ReplicateStatusUpdateError.BAD_WORKFLOW_TRANSITION;
  }
  if (update.status === R.COMPUTED && !facts.description)
    return ReplicateStatusUpdateError.UNKNOWN_TASK;
  if (!passesVerification(update, facts)) return ReplicateStatusUpdateError.GENERIC_CANT_UPDATE;
  return ReplicateStatusUpdateError.NO_ERROR;
}

// ---------------------------------------------------------------------------------------------
// Progress statuses, written deferred

/**
 * The reports a worker sends on its way to COMPUTED (the busy-computing statuses but the
 * scheduler's CREATED). Nothing is decided on them (no chain or Result Proxy fact, no listener
 * reaction), so they are written deferred (see ReplicatesListRepository.appendProgressStatus),
 * and a crash may lose them.
 */
export const PROGRESS_STATUSES: readonly R[] = BUSY_COMPUTING_STATUSES.filter(
  (s) => s !== R.CREATED,
);

/** A worker's progress report without details: written deferred. */
export function isDeferrableUpdate(
  update: Pick<ReplicateStatusUpdate, 'status' | 'modifier' | 'details'>,
): boolean {
  return (
    PROGRESS_STATUSES.includes(update.status) &&
    update.modifier === ReplicateStatusModifier.WORKER &&
    Object.values(update.details ?? {}).every((v) => v === undefined || v === null)
  );
}

/**
 * [deviation] The progress statuses missing before `status` when the transition from the current
 * status is not in the table but would be after them (a report reaching a scheduler that lost
 * the previous ones in a crash): they are filled in with it. Empty when anything else is missing,
 * so CONTRIBUTED → REVEALED, say, is still refused.
 */
export function progressGap(replicate: ReplicateHistory, status: R): R[] {
  const current = currentStatus(replicate);
  if (current === undefined || canTransition(current, status)) return [];
  const gap = missingStatuses(current, status).slice(0, -1);
  return gap.length > 0 && gap.every((s) => PROGRESS_STATUSES.includes(s)) ? gap : [];
}

// ---------------------------------------------------------------------------------------------
// Normalization (§7.2 step 3) and effects (§7.4)

export type IncomingStatusUpdate = Pick<ReplicateStatusUpdate, 'status'> & {
  readonly details?: ReplicateStatusDetails | null;
};

/** Worker reports: modifier WORKER, date now, compute-log wallet forced to the caller. */
export function normalizeWorkerUpdate(
  update: IncomingStatusUpdate,
  walletAddress: string,
  now: Date,
): ReplicateStatusUpdate {
  const details = update.details ?? undefined;
  const normalized: ReplicateStatusUpdate = {
    status: update.status,
    modifier: ReplicateStatusModifier.WORKER,
    date: now,
  };
  if (details) {
    normalized.details = details.computeLogs
      ? { ...details, computeLogs: { ...details.computeLogs, walletAddress } }
      : { ...details };
  }
  return normalized;
}

export interface StatusUpdateEffects {
  /** Replicate fields to set together with the append (compute logs: see ComputeLogsService). */
  readonly fields: ReplicateFieldUpdate;
  /** Details to store in the history element: never with `computeLogs`, which go to `taskLogs`. */
  readonly storedDetails: ReplicateStatusDetails | undefined;
}

/**
 * §7.4 field updates. `onChainContribution` / `workerWeight` are those of the validation;
 * `chainResultsText` is the on-chain `results` decoded as UTF-8 (CONTRIBUTE_AND_FINALIZE_DONE).
 */
export function statusUpdateEffects(
  update: IncomingStatusUpdate,
  facts: Pick<StatusUpdateFacts, 'onChainContribution' | 'workerWeight'> & {
    readonly chainResultsText?: string | null;
  },
): StatusUpdateEffects {
  const fields: ReplicateFieldUpdate = {};
  const details = update.details ?? undefined;

  if (update.status === R.CONTRIBUTED || update.status === R.CONTRIBUTE_AND_FINALIZE_DONE) {
    if (facts.onChainContribution) fields.contributionHash = facts.onChainContribution.resultHash;
    if (facts.workerWeight !== undefined) fields.workerWeight = facts.workerWeight;
  }
  if (update.status === R.RESULT_UPLOADED) {
    fields.resultLink = details?.resultLink;
    fields.chainCallbackData = details?.chainCallbackData;
  }
  if (update.status === R.CONTRIBUTE_AND_FINALIZE_DONE) {
    fields.resultLink = facts.chainResultsText ?? undefined;
    fields.chainCallbackData = details?.chainCallbackData;
  }

  let storedDetails: ReplicateStatusDetails | undefined;
  if (details) {
    const { computeLogs: _dropped, ...rest } = details;
    storedDetails = rest;
  }
  return { fields, storedDetails };
}

// ---------------------------------------------------------------------------------------------
// Listener decisions (§7.4 listeners, task-lifecycle.md §11.2), in execution order.
// [deviation] Java 8.5 also appends FAILED after an uncompletable status; iexec-core 9.2 (#767)
// dropped it: the worker is answered PLEASE_ABORT and its ABORTED must still be accepted.

export const COMPUTING_SLOT_FREEING_STATUSES: readonly R[] = [
  R.START_FAILED,
  R.APP_DOWNLOAD_FAILED,
  R.DATA_DOWNLOAD_FAILED,
  R.COMPUTED,
  R.COMPUTE_FAILED,
];

export interface ReplicateUpdateReactions {
  /** Always: publish a task update request. */
  readonly requestTaskUpdate: true;
  /** Remove the task from the worker's `computingChainTaskIds`. */
  readonly freeComputingSlot: boolean;
  /** Run ContributionUnnotifiedDetector's full scan synchronously (cause TASK_NOT_ACTIVE). */
  readonly triggerContributionUnnotifiedScan: boolean;
  /** Remove the task from both of the worker's lists (COMPLETED / FAILED). */
  readonly removeTaskFromWorker: boolean;
}

export function replicateUpdateReactions(
  update: Pick<ReplicateStatusUpdate, 'status'> & {
    readonly details?: Pick<ReplicateStatusDetails, 'cause'> | null;
  },
): ReplicateUpdateReactions {
  const s = update.status;
  return {
    requestTaskUpdate: true,
    freeComputingSlot: COMPUTING_SLOT_FREEING_STATUSES.includes(s),
    triggerContributionUnnotifiedScan:
      update.details?.cause === ReplicateStatusCause.TASK_NOT_ACTIVE,
    removeTaskFromWorker: s === R.COMPLETED || s === R.FAILED,
  };
}

// ---------------------------------------------------------------------------------------------
// R3 answer (§7.1)

export type StatusUpdateOutcome =
  | {
      readonly error: ReplicateStatusUpdateError;
      /**
       * ALREADY_REPORTED for the replicate's current status (a worker re-posting because it never
       * got the first answer): the next action of that status, answered again.
       */
      readonly replayedAction?: TaskNotificationType;
    }
  | { readonly accepted: true; readonly nextAction: TaskNotificationType | undefined }
  /** The claim is not yet visible on our node: the worker is to post it again. */
  | { readonly deferred: true };

/**
 * A verification failure of a claim our node has not caught up with is no refusal: the update
 * is deferred (answered so the worker posts it again). Every other outcome stands.
 */
export function deferIfClaimPending(
  error: ReplicateStatusUpdateError,
  facts: Pick<StatusUpdateFacts, 'claimPending'>,
): ReplicateStatusUpdateError | 'deferred' {
  return error === ReplicateStatusUpdateError.GENERIC_CANT_UPDATE && facts.claimPending
    ? 'deferred'
    : error;
}

export interface StatusUpdateAnswer {
  readonly httpStatus: 200 | 202 | 208 | 500 | 503;
  /** Serialized as a quoted JSON string; `undefined` = empty body. */
  readonly body: TaskNotificationType | undefined;
}

export function statusUpdateAnswer(outcome: StatusUpdateOutcome): StatusUpdateAnswer {
  if ('accepted' in outcome) return { httpStatus: 200, body: outcome.nextAction };
  // Not decodable by the worker, so it posts the same report again at once (§7.6): after a
  // hold of up to IEXEC_CLAIM_HOLD_MS, that is a long poll, not PLEASE_ABORT of honest work.
  if ('deferred' in outcome) return { httpStatus: 503, body: undefined };
  switch (outcome.error) {
    case ReplicateStatusUpdateError.ALREADY_REPORTED:
      // Deviation: the reference always answers PLEASE_WAIT, which strands a worker whose first
      // answer was lost (it re-posts, hears "wait", and nothing ever wakes it up).
      return { httpStatus: 208, body: outcome.replayedAction ?? TaskNotificationType.PLEASE_WAIT };
    case ReplicateStatusUpdateError.NO_ERROR:
      return { httpStatus: 500, body: undefined };
    default:
      return { httpStatus: 202, body: TaskNotificationType.PLEASE_ABORT };
  }
}
