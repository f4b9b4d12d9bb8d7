import { jsonDate } from '../common/http/json-date.js';
import { currentStatus } from '../replicate/replicate-workflow.js';
import type { ReplicateStatus, ReplicateStatusCause } from '../replicate/replicate-status.js';
import type { Replicate, ReplicateStatusUpdate } from '../replicate/replicates-list.schema.js';
import type { TaskStatus } from './task-status.js';
import type { ChainReceipt, Task, TaskStatusChange } from './task.schema.js';

// Read models of T1/T2 (worker-api.md §9.1, §9.2). Keys are built in the reference's order.

export interface ChainReceiptModel {
  blockNumber: number;
  txHash: string | null;
}

export interface TaskStatusChangeModel {
  date: string | null;
  status: TaskStatus;
  chainReceipt?: ChainReceiptModel;
}

/** One history element of a ReplicateModel: nulls omitted. */
export interface ReplicateStatusUpdateModel {
  status?: ReplicateStatus;
  date?: string;
  cause?: ReplicateStatusCause;
}

/** T2 answer: null and empty values omitted. */
export interface ReplicateModel {
  self?: string;
  chainTaskId?: string;
  walletAddress?: string;
  currentStatus?: ReplicateStatus;
  statusUpdateList?: ReplicateStatusUpdateModel[];
  resultLink?: string;
  chainCallbackData?: string;
  contributionHash?: string;
  appLogs?: string;
  appExitCode?: number;
  teeSessionGenerationError?: string;
}

/** T1 answer: every property present, nulls emitted. */
export interface TaskModel {
  chainTaskId: string;
  replicates: ReplicateModel[] | null;
  maxExecutionTime: number;
  tag: string | null;
  dappType: string | null;
  dappName: string | null;
  commandLine: string | null;
  initializationBlockNumber: number;
  currentStatus: TaskStatus;
  trust: number;
  uploadingWorkerWalletAddress: string | null;
  consensus: string | null;
  contributionDeadline: string | null;
  revealDeadline: string | null;
  finalDeadline: string | null;
  resultLink: string | null;
  chainCallbackData: string | null;
  dateStatusList: TaskStatusChangeModel[];
}

type TaskLike = Pick<Task, 'chainTaskId' | 'currentStatus'> & Partial<Task>;
type ReplicateLike = Pick<Replicate, 'chainTaskId' | 'walletAddress'> & Partial<Replicate>;

const orNull = <T>(value: T | null | undefined): T | null => value ?? null;

/** Drops the properties whose value is null, undefined, `""` or an empty array. */
function withoutEmpties<T extends object>(model: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(model)) {
    if (value === null || value === undefined || value === '') continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[key] = value;
  }
  return out as T;
}

function chainReceiptModel(receipt: ChainReceipt): ChainReceiptModel {
  return { blockNumber: receipt.blockNumber, txHash: orNull(receipt.txHash) };
}

function taskStatusChangeModel(change: TaskStatusChange): TaskStatusChangeModel {
  const model: TaskStatusChangeModel = { date: jsonDate(change.date), status: change.status };
  if (change.chainReceipt) model.chainReceipt = chainReceiptModel(change.chainReceipt);
  return model;
}

function statusUpdateModel(update: ReplicateStatusUpdate): ReplicateStatusUpdateModel {
  return withoutEmpties({
    status: update.status,
    date: jsonDate(update.date) ?? undefined,
    cause: update.details?.cause ?? undefined,
  });
}

/**
 * The value of a details property in the LAST history element carrying it (the reference fails
 * with a 500 when two elements carry one).
 */
function lastDetail<K extends 'exitCode' | 'teeSessionGenerationError'>(
  updates: readonly ReplicateStatusUpdate[],
  key: K,
): NonNullable<NonNullable<ReplicateStatusUpdate['details']>[K]> | undefined {
  for (let i = updates.length - 1; i >= 0; i--) {
    const value = updates[i].details?.[key];
    if (value !== null && value !== undefined) return value as never;
  }
  return undefined;
}

/** `…/tasks/{chainTaskId}/replicates/{walletAddress}` under `baseUrl` (`scheme://host:port`). */
export function replicateUrl(baseUrl: string, chainTaskId: string, walletAddress: string): string {
  return `${baseUrl}/tasks/${encodeURIComponent(chainTaskId)}/replicates/${encodeURIComponent(walletAddress)}`;
}

export function toReplicateModel(replicate: ReplicateLike, baseUrl: string): ReplicateModel {
  const updates = replicate.statusUpdateList ?? [];
  const self = replicateUrl(baseUrl, replicate.chainTaskId, replicate.walletAddress);
  return withoutEmpties<ReplicateModel>({
    self,
    chainTaskId: replicate.chainTaskId,
    walletAddress: replicate.walletAddress,
    currentStatus: currentStatus({ statusUpdateList: updates }),
    statusUpdateList: updates.map(statusUpdateModel),
    resultLink: replicate.resultLink,
    chainCallbackData: replicate.chainCallbackData,
    contributionHash: replicate.contributionHash,
    appLogs: replicate.appComputeLogsPresent ? `${self}/logs` : undefined,
    appExitCode: lastDetail(updates, 'exitCode'),
    teeSessionGenerationError: lastDetail(updates, 'teeSessionGenerationError'),
  });
}

/** `replicates` is null when the task has no replicates document yet (before INITIALIZED). */
export function toTaskModel(
  task: TaskLike,
  replicates: readonly ReplicateLike[] | null,
  baseUrl: string,
): TaskModel {
  return {
    chainTaskId: task.chainTaskId,
    replicates: replicates ? replicates.map((r) => toReplicateModel(r, baseUrl)) : null,
    maxExecutionTime: task.maxExecutionTime ?? 0,
    tag: orNull(task.tag),
    dappType: orNull(task.dappType),
    dappName: orNull(task.dappName),
    commandLine: orNull(task.commandLine),
    initializationBlockNumber: task.initializationBlockNumber ?? 0,
    currentStatus: task.currentStatus,
    trust: task.trust ?? 0,
    uploadingWorkerWalletAddress: orNull(task.uploadingWorkerWalletAddress),
    consensus: orNull(task.consensus),
    contributionDeadline: jsonDate(task.contributionDeadline),
    revealDeadline: jsonDate(task.revealDeadline),
    finalDeadline: jsonDate(task.finalDeadline),
    resultLink: orNull(task.resultLink),
    chainCallbackData: orNull(task.chainCallbackData),
    dateStatusList: (task.dateStatusList ?? []).map(taskStatusChangeModel),
  };
}
