import { Instant } from '../../common/instant.js';
import { ReplicateStatus as R } from '../../replicate/replicate-status.js';
import type { Replicate } from '../../replicate/replicates-list.schema.js';
import {
  currentStatus,
  lastRelevantStatus,
  lastStatuses,
  ReplicateHistory,
} from '../../replicate/replicate-workflow.js';
import type { Task } from '../task.schema.js';
import { isPastFinalDeadline } from './deadlines.js';
import { containsCallback, TaskDescriptionFacts } from './task-description-facts.js';

// Reveal → upload → uploaded decisions (task-lifecycle.md §7.5–§7.7, services.md §6.2).

export type WalletReplicate = ReplicateHistory & Pick<Replicate, 'walletAddress'>;

/** §7.5: CONSENSUS_REACHED moves to AT_LEAST_ONE_REVEALED when a replicate is currently REVEALED. */
export function hasRevealedReplicate(replicates: readonly ReplicateHistory[]): boolean {
  return replicates.some((r) => currentStatus(r) === R.REVEALED);
}

/** An upload is already requested or in progress (current RESULT_UPLOAD_REQUESTED / RESULT_UPLOADING). */
export function isUploadAlreadyRequested(replicates: readonly ReplicateHistory[]): boolean {
  return replicates.some((r) => {
    const s = currentStatus(r);
    return s === R.RESULT_UPLOAD_REQUESTED || s === R.RESULT_UPLOADING;
  });
}

/**
 * §7.6: wallet of a random replicate whose current status is REVEALED, or `undefined` when an
 * upload is already requested / in progress or nobody is currently REVEALED. `random` returns a
 * number in [0, 1) like `Math.random` (injected so tests are deterministic).
 */
export function chooseUploader(
  replicates: readonly WalletReplicate[],
  random: () => number = Math.random,
): string | undefined {
  if (isUploadAlreadyRequested(replicates)) return undefined;
  const revealed = replicates.filter((r) => currentStatus(r) === R.REVEALED);
  if (revealed.length === 0) return undefined;
  const index = Math.min(revealed.length - 1, Math.max(0, Math.floor(random() * revealed.length)));
  return revealed[index].walletAddress;
}

/**
 * §7.7 step 2: first replicate whose current status is RESULT_UPLOADED, or whose last two
 * statuses are RESULT_UPLOADED then WORKER_LOST.
 */
export function findUploadedReplicate<T extends ReplicateHistory>(
  replicates: readonly T[],
): T | undefined {
  return replicates.find((r) => {
    if (currentStatus(r) === R.RESULT_UPLOADED) return true;
    const [beforeLast, last] = lastStatuses(r, 2);
    return beforeLast === R.RESULT_UPLOADED && last === R.WORKER_LOST;
  });
}

export type ResultUploadingDecision<T> =
  /** toFailed(RESULT_UPLOAD_TIMEOUT) + ResultUploadTimeoutEvent. */
  | { readonly kind: 'RESULT_UPLOAD_TIMEOUT' }
  /** Copy `resultLink` / `chainCallbackData` of `replicate` to the task, write RESULT_UPLOADED, go on with §7.8. */
  | { readonly kind: 'RESULT_UPLOADED'; readonly replicate: T }
  /** The chosen uploader is still uploading (or recovering from uploading): do nothing. */
  | { readonly kind: 'WAIT' }
  /** Run request-upload (§7.6, i.e. `chooseUploader`). */
  | { readonly kind: 'REQUEST_UPLOAD' };

/** §7.7 RESULT_UPLOADING → RESULT_UPLOADED. */
export function resultUploadingDecision<T extends WalletReplicate>(
  task: Pick<Task, 'uploadingWorkerWalletAddress' | 'finalDeadline'>,
  replicates: readonly T[],
  now: Instant,
): ResultUploadingDecision<T> {
  if (isPastFinalDeadline(task, now)) return { kind: 'RESULT_UPLOAD_TIMEOUT' };
  const uploaded = findUploadedReplicate(replicates);
  if (uploaded) return { kind: 'RESULT_UPLOADED', replicate: uploaded };

  const wallet = task.uploadingWorkerWalletAddress;
  const uploader = wallet ? replicates.find((r) => r.walletAddress === wallet) : undefined;
  if (!uploader) return { kind: 'REQUEST_UPLOAD' };
  const current = currentStatus(uploader);
  const stillUploading =
    current === R.RESULT_UPLOADING ||
    (current === R.RECOVERING && lastRelevantStatus(uploader) === R.RESULT_UPLOADING);
  return stillUploading ? { kind: 'WAIT' } : { kind: 'REQUEST_UPLOAD' };
}

export type ResultUploadCheck = 'UPLOADED' | 'NOT_UPLOADED' | 'ASK_RESULT_PROXY';

/**
 * "Is the result uploaded?" without I/O (services.md §6.2): callback → uploaded; TEE whose
 * storage provider is not `ipfs` (unset included) → uploaded; unknown description → not
 * uploaded; otherwise the Result Proxy must be asked. TEE is tag bit 0, so TDX is included: the
 * case iexec-core 9.3 #771 fixed by dropping the TEE condition (which also calls a standard
 * Dropbox task uploaded, though a standard worker can upload to IPFS only; kept here).
 */
export function resultUploadCheck(
  description: TaskDescriptionFacts | null | undefined,
): ResultUploadCheck {
  if (!description) return 'NOT_UPLOADED';
  if (containsCallback(description.callback)) return 'UPLOADED';
  if (description.isTeeTask && description.resultStorageProvider !== 'ipfs') return 'UPLOADED';
  return 'ASK_RESULT_PROXY';
}
