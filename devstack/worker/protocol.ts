// The worker's side of the scheduler protocol as plain functions (worker-api.md §2, §4, §7, §8):
// login signing, authorization check, status-update bodies, decoding of answers, abort causes.
import type { Hex, LocalAccount } from 'viem';
import {
  isWorkerpoolAuthorizationSignedBy,
  type WorkerpoolAuthorization as SignedAuthorization,
} from '../../src/chain/workerpool-authorization.js';
import {
  TaskAbortCause,
  TaskNotificationType,
} from '../../src/notification/task-notification-type.js';
import type {
  TaskNotification,
  WorkerpoolAuthorization,
} from '../../src/notification/task-notification.js';
import { ReplicateStatus, ReplicateStatusCause } from '../../src/replicate/replicate-status.js';
import { loginDigest } from '../../src/worker/auth/login-signature.js';

export { concernsWorker } from './push-client.js';

/** The version the simulated worker announces (checked against `requiredWorkerVersion`). */
export const SIMULATED_WORKER_VERSION = '8.5.0';

/** The wallet string the real worker presents: `0x` + 40 lowercase hex (§0.3). */
export function walletString(address: string): string {
  return address.toLowerCase();
}

/**
 * §2.2: the worker signs keccak256(lenientHexToBytes(challenge)) with its key, raw secp256k1,
 * no Ethereum prefix. Value `0x` r‖s‖v with v 27/28 (viem's serialization of `sign`).
 */
export async function signLoginChallenge(
  account: Pick<LocalAccount, 'sign'>,
  challenge: string,
): Promise<Hex> {
  if (!account.sign) throw new Error('the worker account cannot sign raw hashes');
  const signature = await account.sign({ hash: loginDigest(challenge) });
  const v = parseInt(signature.slice(130, 132), 16);
  if (v === 27 || v === 28) return signature;
  // a signer returning the y parity (0/1): the reference worker sends 27/28
  return `${signature.slice(0, 130)}${(v + 27).toString(16)}` as Hex;
}

/** §5.6 worker-side check: the authorization must be signed by `schedulerPublicAddress`. */
export function isAuthorizationFromScheduler(
  authorization: WorkerpoolAuthorization | null | undefined,
  schedulerPublicAddress: string,
): boolean {
  return (
    !!authorization &&
    isWorkerpoolAuthorizationSignedBy(authorization as SignedAuthorization, schedulerPublicAddress)
  );
}

// ---------------------------------------------------------------------------------------------
// Status updates (§4.4, §4.5)

export interface ChainReceipt {
  blockNumber: number;
  txHash: string;
}

export interface ComputeLogs {
  walletAddress: string;
  stdout: string;
  stderr: string;
}

/** ReplicateStatusDetails: all eight properties, nulls emitted. */
export interface ReplicateStatusDetails {
  chainReceipt: ChainReceipt | null;
  resultLink: string | null;
  chainCallbackData: string | null;
  errorMessage: string | null;
  cause: ReplicateStatusCause | null;
  computeLogs: ComputeLogs | null;
  exitCode: number | null;
  teeSessionGenerationError: string | null;
}

export interface ReplicateStatusUpdateBody {
  status: ReplicateStatus;
  modifier: null;
  date: null;
  details: ReplicateStatusDetails;
  success: boolean;
}

/** §4.1 success group: the worker's derived `success` flag is membership of it. */
export const SUCCESS_STATUSES: ReadonlySet<ReplicateStatus> = new Set([
  ReplicateStatus.CREATED,
  ReplicateStatus.STARTING,
  ReplicateStatus.STARTED,
  ReplicateStatus.APP_DOWNLOADING,
  ReplicateStatus.APP_DOWNLOADED,
  ReplicateStatus.DATA_DOWNLOADING,
  ReplicateStatus.DATA_DOWNLOADED,
  ReplicateStatus.COMPUTING,
  ReplicateStatus.COMPUTED,
  ReplicateStatus.CONTRIBUTING,
  ReplicateStatus.CONTRIBUTED,
  ReplicateStatus.REVEALING,
  ReplicateStatus.REVEALED,
  ReplicateStatus.CONTRIBUTE_AND_FINALIZE_ONGOING,
  ReplicateStatus.CONTRIBUTE_AND_FINALIZE_DONE,
  ReplicateStatus.COMPLETING,
  ReplicateStatus.COMPLETED,
]);

export function isSuccessStatus(status: ReplicateStatus): boolean {
  return SUCCESS_STATUSES.has(status);
}

export function emptyStatusDetails(): ReplicateStatusDetails {
  return {
    chainReceipt: null,
    resultLink: null,
    chainCallbackData: null,
    errorMessage: null,
    cause: null,
    computeLogs: null,
    exitCode: null,
    teeSessionGenerationError: null,
  };
}

/** The R3 body, keys in the reference order (§4.5). */
export function statusUpdateBody(
  status: ReplicateStatus,
  details: Partial<ReplicateStatusDetails> = {},
): ReplicateStatusUpdateBody {
  const full = emptyStatusDetails();
  for (const key of Object.keys(full) as (keyof ReplicateStatusDetails)[]) {
    const value = details[key];
    if (value !== undefined) (full as unknown as Record<string, unknown>)[key] = value;
  }
  return { status, modifier: null, date: null, details: full, success: isSuccessStatus(status) };
}

// ---------------------------------------------------------------------------------------------
// Answers and notifications

const NOTIFICATION_TYPES: ReadonlySet<string> = new Set(Object.values(TaskNotificationType));

/**
 * The R3 answer as the worker decodes it (§0.2, §7.1): a 2xx whose body is a JSON string literal
 * naming a TaskNotificationType. Anything else (empty body, unquoted text, error status) is
 * undecodable: undefined, and the worker posts again.
 */
export function decodeNextAction(
  httpStatus: number,
  body: string,
): TaskNotificationType | undefined {
  if (httpStatus < 200 || httpStatus >= 300) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  return typeof value === 'string' && NOTIFICATION_TYPES.has(value)
    ? (value as TaskNotificationType)
    : undefined;
}

/** Answers after which the worker has nothing to do until the scheduler pushes something. */
export function isIdleAction(type: TaskNotificationType | undefined): boolean {
  return (
    type === undefined ||
    type === TaskNotificationType.PLEASE_WAIT ||
    type === TaskNotificationType.PLEASE_CONTINUE
  );
}

/** §4.3 / §8.5: the ABORTED cause from the notification's abort cause (missing → UNKNOWN). */
export function abortCauseOf(
  notification: Pick<TaskNotification, 'taskNotificationExtra'> | undefined,
): ReplicateStatusCause {
  switch (notification?.taskNotificationExtra?.taskAbortCause) {
    case TaskAbortCause.CONSENSUS_REACHED:
      return ReplicateStatusCause.CONSENSUS_REACHED;
    case TaskAbortCause.CONTRIBUTION_TIMEOUT:
      return ReplicateStatusCause.CONTRIBUTION_TIMEOUT;
    default:
      return ReplicateStatusCause.UNKNOWN;
  }
}

/** What the worker does for a notification (§7.6): in-progress report, then result reports. */
export interface StepStatuses {
  inProgress?: ReplicateStatus;
  success: ReplicateStatus;
  failure?: ReplicateStatus;
}

export const STEP_STATUSES: Partial<Record<TaskNotificationType, StepStatuses>> = {
  [TaskNotificationType.PLEASE_START]: {
    inProgress: ReplicateStatus.STARTING,
    success: ReplicateStatus.STARTED,
    failure: ReplicateStatus.START_FAILED,
  },
  [TaskNotificationType.PLEASE_DOWNLOAD_APP]: {
    inProgress: ReplicateStatus.APP_DOWNLOADING,
    success: ReplicateStatus.APP_DOWNLOADED,
    failure: ReplicateStatus.APP_DOWNLOAD_FAILED,
  },
  [TaskNotificationType.PLEASE_DOWNLOAD_DATA]: {
    inProgress: ReplicateStatus.DATA_DOWNLOADING,
    success: ReplicateStatus.DATA_DOWNLOADED,
    failure: ReplicateStatus.DATA_DOWNLOAD_FAILED,
  },
  [TaskNotificationType.PLEASE_COMPUTE]: {
    inProgress: ReplicateStatus.COMPUTING,
    success: ReplicateStatus.COMPUTED,
    failure: ReplicateStatus.COMPUTE_FAILED,
  },
  [TaskNotificationType.PLEASE_CONTRIBUTE]: {
    inProgress: ReplicateStatus.CONTRIBUTING,
    success: ReplicateStatus.CONTRIBUTED,
    failure: ReplicateStatus.CONTRIBUTE_FAILED,
  },
  [TaskNotificationType.PLEASE_REVEAL]: {
    inProgress: ReplicateStatus.REVEALING,
    success: ReplicateStatus.REVEALED,
    failure: ReplicateStatus.REVEAL_FAILED,
  },
  [TaskNotificationType.PLEASE_UPLOAD]: {
    inProgress: ReplicateStatus.RESULT_UPLOADING,
    success: ReplicateStatus.RESULT_UPLOADED,
    failure: ReplicateStatus.RESULT_UPLOAD_FAILED,
  },
  [TaskNotificationType.PLEASE_CONTRIBUTE_AND_FINALIZE]: {
    inProgress: ReplicateStatus.CONTRIBUTE_AND_FINALIZE_ONGOING,
    success: ReplicateStatus.CONTRIBUTE_AND_FINALIZE_DONE,
    failure: ReplicateStatus.CONTRIBUTE_AND_FINALIZE_FAILED,
  },
  [TaskNotificationType.PLEASE_COMPLETE]: {
    inProgress: ReplicateStatus.COMPLETING,
    success: ReplicateStatus.COMPLETED,
    failure: ReplicateStatus.COMPLETE_FAILED,
  },
  [TaskNotificationType.PLEASE_ABORT]: { success: ReplicateStatus.ABORTED },
};
