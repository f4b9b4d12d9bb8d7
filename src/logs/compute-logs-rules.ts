import { ReplicateStatus, ReplicateStatusCause } from '../replicate/replicate-status.js';
import type { ComputeLogs } from '../replicate/replicates-list.schema.js';

// Compute logs arrival rules (persistence-and-ops.md §3.1) and read models (§3.2).

/** Each of stdout / stderr keeps at most its last 100,000 characters. */
export const MAX_LOG_LENGTH = 100_000;

/** Logs sent by a worker (`details.computeLogs`); its `walletAddress` is not trusted. */
export interface SubmittedComputeLogs {
  walletAddress?: string | null;
  stdout?: string | null;
  stderr?: string | null;
}

/** The last {@link MAX_LOG_LENGTH} UTF-16 units, without starting on half a surrogate pair. */
export function tailLog(text: string | null | undefined): string | undefined {
  if (text === null || text === undefined) return undefined;
  if (text.length <= MAX_LOG_LENGTH) return text;
  const tail = text.slice(-MAX_LOG_LENGTH);
  const first = tail.charCodeAt(0);
  return first >= 0xdc00 && first <= 0xdfff ? tail.slice(1) : tail;
}

/** Logs are captured only for COMPUTED, and for COMPUTE_FAILED caused by APP_COMPUTE_FAILED. */
export function capturesComputeLogs(
  status: ReplicateStatus,
  cause: ReplicateStatusCause | null | undefined,
): boolean {
  return (
    status === ReplicateStatus.COMPUTED ||
    (status === ReplicateStatus.COMPUTE_FAILED && cause === ReplicateStatusCause.APP_COMPUTE_FAILED)
  );
}

/**
 * What to store for an accepted status update: undefined when nothing is (status not
 * capturing, or no logs), else the tailed logs attributed to the authenticated worker.
 */
export function computeLogsToStore(
  walletAddress: string,
  status: ReplicateStatus,
  cause: ReplicateStatusCause | null | undefined,
  logs: SubmittedComputeLogs | null | undefined,
): ComputeLogs | undefined {
  if (!logs || !capturesComputeLogs(status, cause)) return undefined;
  const stored: ComputeLogs = { walletAddress };
  const stdout = tailLog(logs.stdout);
  const stderr = tailLog(logs.stderr);
  if (stdout !== undefined) stored.stdout = stdout;
  if (stderr !== undefined) stored.stderr = stderr;
  return stored;
}

/** ComputeLogs as T6/T7 answer it: null and empty properties omitted. */
export interface ComputeLogsModel {
  walletAddress?: string;
  stdout?: string;
  stderr?: string;
}

export interface TaskLogsModel {
  chainTaskId: string;
  computeLogsList: ComputeLogsModel[];
}

export function toComputeLogsModel(logs: ComputeLogs): ComputeLogsModel {
  const model: ComputeLogsModel = {};
  if (logs.walletAddress) model.walletAddress = logs.walletAddress;
  if (logs.stdout) model.stdout = logs.stdout;
  if (logs.stderr) model.stderr = logs.stderr;
  return model;
}

export function toTaskLogsModel(chainTaskId: string, list: readonly ComputeLogs[]): TaskLogsModel {
  return { chainTaskId, computeLogsList: list.map(toComputeLogsModel) };
}
