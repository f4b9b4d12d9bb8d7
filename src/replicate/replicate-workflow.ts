import { Instant, toMillis } from '../common/instant.js';
import { TaskNotificationType } from '../notification/task-notification-type.js';
import {
  isEligibleToContributeAndFinalize,
  TaskDescriptionFacts,
} from '../task/rules/task-description-facts.js';
import { ReplicateStatus as S, ReplicateStatusCause } from './replicate-status.js';
import type { ReplicateStatusUpdate } from './replicates-list.schema.js';

// Replicate status groups, transition table, next action and history helpers (worker-api.md §4).

/** The part of a history element the rules read. A persisted `ReplicateStatusUpdate` fits. */
export type StatusEntry = Pick<ReplicateStatusUpdate, 'status' | 'date'>;

/** The part of a replicate the workflow rules read. A persisted `Replicate` fits. */
export interface ReplicateHistory {
  readonly statusUpdateList: readonly StatusEntry[];
}

// ---------------------------------------------------------------------------------------------
// Status groups (§4.1)

/** Success statuses in workflow order; also the order used by `missingStatuses`. */
export const SUCCESS_STATUSES: readonly S[] = [
  S.CREATED,
  S.STARTING,
  S.STARTED,
  S.APP_DOWNLOADING,
  S.APP_DOWNLOADED,
  S.DATA_DOWNLOADING,
  S.DATA_DOWNLOADED,
  S.COMPUTING,
  S.COMPUTED,
  S.CONTRIBUTING,
  S.CONTRIBUTED,
  S.REVEALING,
  S.REVEALED,
  S.CONTRIBUTE_AND_FINALIZE_ONGOING,
  S.CONTRIBUTE_AND_FINALIZE_DONE,
  S.COMPLETING,
  S.COMPLETED,
];

export const FAILURE_STATUSES: readonly S[] = [
  S.START_FAILED,
  S.APP_DOWNLOAD_FAILED,
  S.DATA_DOWNLOAD_FAILED,
  S.COMPUTE_FAILED,
  S.CONTRIBUTE_FAILED,
  S.REVEAL_FAILED,
  S.RESULT_UPLOAD_FAILED,
  S.CONTRIBUTE_AND_FINALIZE_FAILED,
  S.COMPLETE_FAILED,
  S.FAILED,
];

export const FAILED_BEFORE_COMPUTED_STATUSES: readonly S[] = [
  S.START_FAILED,
  S.APP_DOWNLOAD_FAILED,
  S.DATA_DOWNLOAD_FAILED,
  S.COMPUTE_FAILED,
];

export const FINAL_STATUSES: readonly S[] = [S.COMPLETED, S.FAILED];

/** Ordinals 0–27: CREATED … COMPLETE_FAILED. */
export const NON_FINAL_WORKFLOW_STATUSES: readonly S[] = [
  S.CREATED,
  S.STARTING,
  S.START_FAILED,
  S.STARTED,
  S.APP_DOWNLOADING,
  S.APP_DOWNLOAD_FAILED,
  S.APP_DOWNLOADED,
  S.DATA_DOWNLOADING,
  S.DATA_DOWNLOAD_FAILED,
  S.DATA_DOWNLOADED,
  S.COMPUTING,
  S.COMPUTE_FAILED,
  S.COMPUTED,
  S.CONTRIBUTING,
  S.CONTRIBUTE_FAILED,
  S.CONTRIBUTED,
  S.REVEALING,
  S.REVEAL_FAILED,
  S.REVEALED,
  S.RESULT_UPLOAD_REQUESTED,
  S.RESULT_UPLOADING,
  S.RESULT_UPLOAD_FAILED,
  S.RESULT_UPLOADED,
  S.CONTRIBUTE_AND_FINALIZE_ONGOING,
  S.CONTRIBUTE_AND_FINALIZE_FAILED,
  S.CONTRIBUTE_AND_FINALIZE_DONE,
  S.COMPLETING,
  S.COMPLETE_FAILED,
];

export const WORKFLOW_STATUSES: readonly S[] = [
  ...NON_FINAL_WORKFLOW_STATUSES,
  S.COMPLETED,
  S.FAILED,
];

/** Statuses from which FAILED may be written (ordinals 0–17 plus the C&F ones and ABORTED). */
export const FAILABLE_STATUSES: readonly S[] = [
  ...NON_FINAL_WORKFLOW_STATUSES.slice(0, NON_FINAL_WORKFLOW_STATUSES.indexOf(S.REVEALED)),
  S.CONTRIBUTE_AND_FINALIZE_ONGOING,
  S.CONTRIBUTE_AND_FINALIZE_FAILED,
  S.ABORTED,
];

export const ABORTABLE_STATUSES: readonly S[] = [...NON_FINAL_WORKFLOW_STATUSES, S.WORKER_LOST];

export const RECOVERABLE_STATUSES: readonly S[] = [
  S.CREATED,
  S.STARTING,
  S.STARTED,
  S.APP_DOWNLOADING,
  S.APP_DOWNLOAD_FAILED,
  S.APP_DOWNLOADED,
  S.DATA_DOWNLOADING,
  S.DATA_DOWNLOAD_FAILED,
  S.DATA_DOWNLOADED,
  S.COMPUTING,
  S.COMPUTED,
  S.CONTRIBUTING,
  S.CONTRIBUTED,
  S.REVEALING,
  S.REVEALED,
  S.RESULT_UPLOAD_REQUESTED,
  S.RESULT_UPLOADING,
  S.RESULT_UPLOAD_FAILED,
  S.RESULT_UPLOADED,
  S.CONTRIBUTE_AND_FINALIZE_ONGOING,
  S.CONTRIBUTE_AND_FINALIZE_DONE,
  S.CONTRIBUTE_AND_FINALIZE_FAILED,
  S.COMPLETING,
  S.RECOVERING,
];

/** No longer completable (Java 8.5 followed them with a FAILED; 9.2 and we do not). */
export const UNCOMPLETABLE_STATUSES: readonly S[] = [
  S.CONTRIBUTE_FAILED,
  S.REVEAL_FAILED,
  S.CONTRIBUTE_AND_FINALIZE_FAILED,
];

/** The replicate still occupies a computing slot of its worker. */
export const BUSY_COMPUTING_STATUSES: readonly S[] = [
  S.CREATED,
  S.STARTING,
  S.STARTED,
  S.APP_DOWNLOADING,
  S.APP_DOWNLOADED,
  S.DATA_DOWNLOADING,
  S.DATA_DOWNLOADED,
  S.COMPUTING,
];

/** Statuses that are not part of the workflow and are skipped by `lastRelevantStatus`. */
export const IRRELEVANT_STATUSES: readonly S[] = [S.WORKER_LOST, S.RECOVERING];

export const isSuccessStatus = (s: S): boolean => SUCCESS_STATUSES.includes(s);
export const isFailureStatus = (s: S): boolean => FAILURE_STATUSES.includes(s);
export const isFailedBeforeComputed = (s: S): boolean =>
  FAILED_BEFORE_COMPUTED_STATUSES.includes(s);
export const isFinalStatus = (s: S): boolean => FINAL_STATUSES.includes(s);
export const isUncompletable = (s: S): boolean => UNCOMPLETABLE_STATUSES.includes(s);
export const isBusyComputing = (s: S): boolean => BUSY_COMPUTING_STATUSES.includes(s);

// ---------------------------------------------------------------------------------------------
// Transition table (§4.7), written out as data exactly as the spec lists it.

const ALL_STATUSES: readonly S[] = Object.values(S);
const COMMON = [S.WORKER_LOST, S.RECOVERING, S.ABORTED] as const;
const FAIL_COMMON = [S.FAILED, ...COMMON] as const;

export const TRANSITIONS: ReadonlyMap<S, ReadonlySet<S>> = new Map<S, ReadonlySet<S>>([
  [S.CREATED, new Set([S.STARTING, ...FAIL_COMMON])],
  [S.STARTING, new Set([S.STARTED, S.START_FAILED, ...FAIL_COMMON])],
  [S.START_FAILED, new Set([S.FAILED, S.WORKER_LOST, S.ABORTED])],
  [S.STARTED, new Set([S.APP_DOWNLOADING, ...FAIL_COMMON])],
  [S.APP_DOWNLOADING, new Set([S.APP_DOWNLOADED, S.APP_DOWNLOAD_FAILED, ...FAIL_COMMON])],
  [S.APP_DOWNLOAD_FAILED, new Set([S.CONTRIBUTING, ...FAIL_COMMON])],
  [S.APP_DOWNLOADED, new Set([S.DATA_DOWNLOADING, ...FAIL_COMMON])],
  [S.DATA_DOWNLOADING, new Set([S.DATA_DOWNLOADED, S.DATA_DOWNLOAD_FAILED, ...FAIL_COMMON])],
  [S.DATA_DOWNLOAD_FAILED, new Set([S.CONTRIBUTING, ...FAIL_COMMON])],
  [S.DATA_DOWNLOADED, new Set([S.COMPUTING, ...FAIL_COMMON])],
  [S.COMPUTING, new Set([S.COMPUTED, S.COMPUTE_FAILED, ...FAIL_COMMON])],
  [S.COMPUTE_FAILED, new Set([S.FAILED, S.WORKER_LOST, S.ABORTED])],
  [S.COMPUTED, new Set([S.CONTRIBUTING, S.CONTRIBUTE_AND_FINALIZE_ONGOING, ...FAIL_COMMON])],
  [S.CONTRIBUTING, new Set([S.CONTRIBUTED, S.CONTRIBUTE_FAILED, ...FAIL_COMMON])],
  [S.CONTRIBUTE_FAILED, new Set([S.FAILED, S.WORKER_LOST, S.ABORTED])],
  [S.CONTRIBUTED, new Set([S.REVEALING, ...FAIL_COMMON])],
  [S.REVEALING, new Set([S.REVEALED, S.REVEAL_FAILED, ...FAIL_COMMON])],
  [S.REVEAL_FAILED, new Set([S.FAILED, S.WORKER_LOST, S.ABORTED])],
  [S.REVEALED, new Set([S.RESULT_UPLOAD_REQUESTED, S.COMPLETING, ...COMMON])],
  [S.RESULT_UPLOAD_REQUESTED, new Set([S.RESULT_UPLOADING, ...COMMON])],
  [S.RESULT_UPLOADING, new Set([S.RESULT_UPLOADED, S.RESULT_UPLOAD_FAILED, ...COMMON])],
  [S.RESULT_UPLOAD_FAILED, new Set([S.COMPLETING, ...COMMON])],
  [S.RESULT_UPLOADED, new Set([S.COMPLETING, ...COMMON])],
  [
    S.CONTRIBUTE_AND_FINALIZE_ONGOING,
    new Set([S.CONTRIBUTE_AND_FINALIZE_DONE, S.CONTRIBUTE_AND_FINALIZE_FAILED, ...FAIL_COMMON]),
  ],
  [S.CONTRIBUTE_AND_FINALIZE_FAILED, new Set(FAIL_COMMON)],
  [S.CONTRIBUTE_AND_FINALIZE_DONE, new Set([S.COMPLETING, ...COMMON])],
  [S.COMPLETING, new Set([S.COMPLETED, S.COMPLETE_FAILED, ...COMMON])],
  [S.COMPLETE_FAILED, new Set([S.WORKER_LOST, S.ABORTED])],
  [S.COMPLETED, new Set<S>()],
  [S.FAILED, new Set<S>()],
  [S.ABORTED, new Set([S.FAILED, S.WORKER_LOST, S.COMPLETED])],
  [S.RECOVERING, new Set(ALL_STATUSES.filter((s) => s !== S.CREATED && s !== S.STARTING))],
  [S.WORKER_LOST, new Set(ALL_STATUSES.filter((s) => s !== S.WORKER_LOST))],
]);

export function canTransition(from: S, to: S): boolean {
  return TRANSITIONS.get(from)?.has(to) ?? false;
}

// ---------------------------------------------------------------------------------------------
// Next action after an accepted update (§4.8)

/** What COMPUTED needs to know about the task (a TaskDescription fits). */
export type ComputedNextActionFacts = Pick<
  TaskDescriptionFacts,
  'isTeeTask' | 'trust' | 'callback'
>;

const CONTINUE_STATUSES: readonly S[] = [
  S.STARTING,
  S.APP_DOWNLOADING,
  S.DATA_DOWNLOADING,
  S.COMPUTING,
  S.CONTRIBUTING,
  S.REVEALING,
  S.RESULT_UPLOADING,
  S.CONTRIBUTE_AND_FINALIZE_ONGOING,
  S.COMPLETING,
];
const ABORT_STATUSES: readonly S[] = [
  S.START_FAILED,
  S.COMPUTE_FAILED,
  S.CONTRIBUTE_FAILED,
  S.REVEAL_FAILED,
  S.RESULT_UPLOAD_FAILED,
  S.CONTRIBUTE_AND_FINALIZE_FAILED,
  S.COMPLETE_FAILED,
];
const WAIT_STATUSES: readonly S[] = [
  S.CONTRIBUTED,
  S.REVEALED,
  S.RESULT_UPLOADED,
  S.CONTRIBUTE_AND_FINALIZE_DONE,
  S.COMPLETED,
];
const DATA_FAILURE_CONTRIBUTABLE_CAUSES: readonly ReplicateStatusCause[] = [
  ReplicateStatusCause.DATASET_FILE_DOWNLOAD_FAILED,
  ReplicateStatusCause.DATASET_FILE_BAD_CHECKSUM,
  ReplicateStatusCause.INPUT_FILES_DOWNLOAD_FAILED,
];

function computedNextAction(
  facts: ComputedNextActionFacts | null | undefined,
): TaskNotificationType {
  if (!facts) return TaskNotificationType.PLEASE_ABORT;
  return isEligibleToContributeAndFinalize(facts)
    ? TaskNotificationType.PLEASE_CONTRIBUTE_AND_FINALIZE
    : TaskNotificationType.PLEASE_CONTRIBUTE;
}

/**
 * The TaskNotificationType answered to an accepted update, or `undefined` for "no action"
 * (R3 then answers 200 with an empty body). `description` is only read for COMPUTED.
 */
export function nextAction(
  newStatus: S | null | undefined,
  cause: ReplicateStatusCause | null | undefined,
  description: ComputedNextActionFacts | null | undefined,
): TaskNotificationType | undefined {
  if (newStatus == null) return undefined;
  if (CONTINUE_STATUSES.includes(newStatus)) return TaskNotificationType.PLEASE_CONTINUE;
  if (ABORT_STATUSES.includes(newStatus)) return TaskNotificationType.PLEASE_ABORT;
  if (WAIT_STATUSES.includes(newStatus)) return TaskNotificationType.PLEASE_WAIT;
  switch (newStatus) {
    case S.STARTED:
      return TaskNotificationType.PLEASE_DOWNLOAD_APP;
    case S.APP_DOWNLOADED:
      return TaskNotificationType.PLEASE_DOWNLOAD_DATA;
    case S.DATA_DOWNLOADED:
      return TaskNotificationType.PLEASE_COMPUTE;
    case S.COMPUTED:
      return computedNextAction(description);
    case S.APP_DOWNLOAD_FAILED:
      return cause === ReplicateStatusCause.APP_IMAGE_DOWNLOAD_FAILED
        ? TaskNotificationType.PLEASE_CONTRIBUTE
        : TaskNotificationType.PLEASE_ABORT;
    case S.DATA_DOWNLOAD_FAILED:
      return cause != null && DATA_FAILURE_CONTRIBUTABLE_CAUSES.includes(cause)
        ? TaskNotificationType.PLEASE_CONTRIBUTE
        : TaskNotificationType.PLEASE_ABORT;
    default:
      // CREATED, RESULT_UPLOAD_REQUESTED, FAILED, ABORTED, RECOVERING, WORKER_LOST
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Back-filling (task-lifecycle.md §12, worker-api.md §4.9)

/**
 * Statuses strictly after `from` up to and including `to` in the success order; empty when
 * either is not a success status or `from` is not before `to`. Exactly the reference rule.
 */
export function missingStatuses(from: S, to: S): S[] {
  const i = SUCCESS_STATUSES.indexOf(from);
  const j = SUCCESS_STATUSES.indexOf(to);
  if (i < 0 || j < 0 || i >= j) return [];
  return SUCCESS_STATUSES.slice(i + 1, j + 1);
}

/**
 * Path-aware back-filling used by the unnotified detectors: the shortest chain of success
 * statuses leading from `from` to `to` through the transition table (empty if none).
 *
 * [quirk fixed] `missingStatuses` walks the flat success order, so a contribute-and-finalize
 * back-fill from COMPUTED goes through CONTRIBUTING … REVEALED and is then refused at
 * REVEALED → CONTRIBUTE_AND_FINALIZE_ONGOING (not in the table): the replicate never reaches
 * CONTRIBUTE_AND_FINALIZE_DONE and the task is never completed off-chain. Likewise a worker that
 * contributed after APP/DATA_DOWNLOAD_FAILED (allowed by the table) is never back-filled because
 * those statuses are not in the success order. Both coincide with `missingStatuses` otherwise.
 */
export function backfillStatuses(from: S, to: S): S[] {
  if (!isSuccessStatus(to) || from === to) return [];
  const previous = new Map<S, S>();
  const queue: S[] = [from];
  const seen = new Set<S>([from]);
  while (queue.length > 0) {
    const current = queue.shift() as S;
    if (current === to) break;
    for (const next of TRANSITIONS.get(current) ?? []) {
      if (!isSuccessStatus(next) || seen.has(next)) continue;
      seen.add(next);
      previous.set(next, current);
      queue.push(next);
    }
  }
  if (!previous.has(to)) return [];
  const path: S[] = [];
  for (let s: S | undefined = to; s !== undefined && s !== from; s = previous.get(s)) path.push(s);
  return path.reverse();
}

// ---------------------------------------------------------------------------------------------
// History helpers (§4.6). None of them throws.

export function currentStatus(replicate: ReplicateHistory): S | undefined {
  const list = replicate.statusUpdateList;
  return list.length > 0 ? list[list.length - 1].status : undefined;
}

/** Last status that is neither WORKER_LOST nor RECOVERING; `undefined` when there is none. */
export function lastRelevantStatus(replicate: ReplicateHistory): S | undefined {
  const list = replicate.statusUpdateList;
  for (let i = list.length - 1; i >= 0; i--) {
    if (!IRRELEVANT_STATUSES.includes(list[i].status)) return list[i].status;
  }
  return undefined;
}

/** The last `count` statuses, oldest first. */
export function lastStatuses(replicate: ReplicateHistory, count: number): S[] {
  return replicate.statusUpdateList.slice(-count).map((u) => u.status);
}

export function containsStatus(replicate: ReplicateHistory, status: S): boolean {
  return replicate.statusUpdateList.some((u) => u.status === status);
}

/** Date of the CREATED element (the first element if, unexpectedly, there is none). */
export function creationDate(replicate: ReplicateHistory): Date | undefined {
  const list = replicate.statusUpdateList;
  const created = list.find((u) => u.status === S.CREATED) ?? list[0];
  return created ? new Date(created.date) : undefined;
}

/** now > creationDate + periods × periodMs; false when the creation date is unknown. */
export function isCreatedMoreThanPeriodsAgo(
  replicate: ReplicateHistory,
  periods: number,
  periodMs: number,
  now: Instant,
): boolean {
  const created = creationDate(replicate);
  if (!created) return false;
  return toMillis(now) > created.getTime() + periods * periodMs;
}
