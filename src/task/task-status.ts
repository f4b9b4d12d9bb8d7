/** Off-chain task status, persisted by name. Declaration order is the Java ordinal (used for priorities). */
export enum TaskStatus {
  RECEIVED = 'RECEIVED',
  INITIALIZING = 'INITIALIZING',
  INITIALIZED = 'INITIALIZED',
  INITIALIZE_FAILED = 'INITIALIZE_FAILED',
  RUNNING = 'RUNNING',
  RUNNING_FAILED = 'RUNNING_FAILED',
  CONTRIBUTION_TIMEOUT = 'CONTRIBUTION_TIMEOUT',
  CONSENSUS_REACHED = 'CONSENSUS_REACHED',
  REOPENING = 'REOPENING',
  REOPENED = 'REOPENED',
  REOPEN_FAILED = 'REOPEN_FAILED',
  AT_LEAST_ONE_REVEALED = 'AT_LEAST_ONE_REVEALED',
  RESULT_UPLOADING = 'RESULT_UPLOADING',
  RESULT_UPLOADED = 'RESULT_UPLOADED',
  RESULT_UPLOAD_TIMEOUT = 'RESULT_UPLOAD_TIMEOUT',
  FINALIZING = 'FINALIZING',
  FINALIZED = 'FINALIZED',
  FINALIZE_FAILED = 'FINALIZE_FAILED',
  FINAL_DEADLINE_REACHED = 'FINAL_DEADLINE_REACHED',
  COMPLETED = 'COMPLETED',
  FAILED = 'FAILED',
}

export const TASK_STATUSES: readonly TaskStatus[] = Object.values(TaskStatus);

export function taskStatusOrdinal(status: TaskStatus): number {
  return TASK_STATUSES.indexOf(status);
}

export const WAITING_CONTRIBUTION_STATUSES: readonly TaskStatus[] = [
  TaskStatus.INITIALIZED,
  TaskStatus.RUNNING,
];

export const WAITING_REVEAL_STATUSES: readonly TaskStatus[] = [
  TaskStatus.CONSENSUS_REACHED,
  TaskStatus.AT_LEAST_ONE_REVEALED,
  TaskStatus.RESULT_UPLOADING,
  TaskStatus.RESULT_UPLOADED,
];

export const FINAL_TASK_STATUSES: readonly TaskStatus[] = [TaskStatus.FAILED, TaskStatus.COMPLETED];

export const COMPLETION_PHASE_STATUSES: readonly TaskStatus[] = [
  TaskStatus.FINALIZING,
  TaskStatus.FINALIZED,
  TaskStatus.COMPLETED,
];

/** Statuses for which the final deadline no longer matters. */
export const FINAL_DEADLINE_IRRELEVANT_STATUSES: readonly TaskStatus[] = [
  TaskStatus.FAILED,
  TaskStatus.COMPLETED,
  TaskStatus.FINAL_DEADLINE_REACHED,
];

export function isFinalTaskStatus(status: TaskStatus): boolean {
  return FINAL_TASK_STATUSES.includes(status);
}

/** Statuses in which a task takes new contributions (worker-api.md §5.3). */
export const SUPPLY_STATUSES: readonly TaskStatus[] = [TaskStatus.INITIALIZED, TaskStatus.RUNNING];
