import { TaskAbortCause, TaskNotificationType } from './task-notification-type.js';

// Structural copies of the R1 authorization types (worker-api.md §5.6). They are kept here, apart
// from everything else, so they can be replaced by an import of src/chain/workerpool-authorization.ts
// once that file exists; the shapes must stay identical.
export interface Signature {
  value: string;
}

export interface WorkerpoolAuthorization {
  chainTaskId: string;
  workerWallet: string;
  enclaveChallenge: string;
  signature: Signature;
}

/** worker-api.md §8.6: exactly these properties, in this order, nulls emitted. */
export interface TaskNotificationExtra {
  workerpoolAuthorization: WorkerpoolAuthorization | null;
  smsUrl: string | null;
  blockNumber: number;
  taskAbortCause: TaskAbortCause | null;
}

/**
 * worker-api.md §8.6. `workersAddress` is always a list: `[]` means every subscriber of the task
 * topic. Deliberately no derived top-level `taskAbortCause` (§8.6, §12 item 2).
 */
export interface TaskNotification {
  chainTaskId: string;
  workersAddress: string[];
  taskNotificationType: TaskNotificationType;
  taskNotificationExtra: TaskNotificationExtra | null;
}

/** The STOMP destination of a task's notifications (§8.3). */
export function taskTopic(chainTaskId: string): string {
  return `/topic/task/${chainTaskId}`;
}

/** An extra with every property at its default (nulls, block 0). */
export function emptyTaskNotificationExtra(): TaskNotificationExtra {
  return { workerpoolAuthorization: null, smsUrl: null, blockNumber: 0, taskAbortCause: null };
}

function workerpoolAuthorizationJson(authorization: WorkerpoolAuthorization) {
  return {
    chainTaskId: authorization.chainTaskId,
    workerWallet: authorization.workerWallet,
    enclaveChallenge: authorization.enclaveChallenge,
    signature: { value: authorization.signature.value },
  };
}

function extraJson(extra: TaskNotificationExtra) {
  return {
    workerpoolAuthorization: extra.workerpoolAuthorization
      ? workerpoolAuthorizationJson(extra.workerpoolAuthorization)
      : null,
    smsUrl: extra.smsUrl ?? null,
    blockNumber: extra.blockNumber ?? 0,
    taskAbortCause: extra.taskAbortCause ?? null,
  };
}

/**
 * A plain object holding exactly the properties the worker's strict decoder knows, in reference
 * order, whatever extra properties the input object carries. Also usable for HTTP answers (R2).
 */
export function taskNotificationJson(notification: TaskNotification) {
  return {
    chainTaskId: notification.chainTaskId,
    workersAddress: [...(notification.workersAddress ?? [])],
    taskNotificationType: notification.taskNotificationType,
    taskNotificationExtra: notification.taskNotificationExtra
      ? extraJson(notification.taskNotificationExtra)
      : null,
  };
}

export function serializeTaskNotification(notification: TaskNotification): string {
  return JSON.stringify(taskNotificationJson(notification));
}
