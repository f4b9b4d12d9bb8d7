import { ReplicateStatus, ReplicateStatusModifier } from '../../src/replicate/replicate-status.js';
import type {
  Replicate,
  ReplicateStatusUpdate,
} from '../../src/replicate/replicates-list.schema.js';
import { TaskStatus } from '../../src/task/task-status.js';
import type { Task } from '../../src/task/task.schema.js';

export const DEAL_ID = '0xd82223e5feff6720792ffed1665e980da95e5d32b177332013eaba8edc07f31c';
export const taskId = (i: number) => `0x${i.toString(16).padStart(64, '0')}`;

/** A task document as the deal watcher creates it, with overridable fields. */
export function newTask(i: number, fields: Partial<Task> = {}): Task {
  const now = Date.now();
  return {
    chainTaskId: taskId(i),
    chainDealId: DEAL_ID,
    taskIndex: i,
    dealBlockNumber: 10,
    maxExecutionTime: 300000,
    tag: `0x${'0'.repeat(64)}`,
    dappType: 'DOCKER',
    dappName: 'docker.io/iexechub/app:1.0',
    commandLine: 'hello',
    initializationBlockNumber: 10,
    currentStatus: TaskStatus.RECEIVED,
    trust: 1,
    numWorkersNeeded: 0,
    consensusReachedBlockNumber: 0,
    contributionDeadline: new Date(now + 60_000),
    finalDeadline: new Date(now + 120_000),
    dateStatusList: [{ date: new Date(now), status: TaskStatus.RECEIVED }],
    version: 0,
    ...fields,
  };
}

export function statusUpdate(
  status: ReplicateStatus,
  details?: ReplicateStatusUpdate['details'],
  date = new Date(),
): ReplicateStatusUpdate {
  return {
    status,
    modifier:
      status === ReplicateStatus.CREATED
        ? ReplicateStatusModifier.POOL_MANAGER
        : ReplicateStatusModifier.WORKER,
    date,
    ...(details ? { details } : {}),
  };
}

export function newReplicate(
  chainTaskId: string,
  walletAddress: string,
  fields: Partial<Replicate> = {},
): Replicate {
  return {
    chainTaskId,
    walletAddress,
    statusUpdateList: [statusUpdate(ReplicateStatus.CREATED)],
    contributionHash: '',
    workerWeight: 0,
    appComputeLogsPresent: false,
    ...fields,
  };
}
