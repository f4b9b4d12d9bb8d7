// Where the time of one task went, from its history and its replicates' histories (dates are the
// scheduler's, written when it processed each status): the scheduler-added latency is what is
// left of the task's lifetime once the workers' own steps, the scheduler's transactions and the
// wait for a free worker are taken out, i.e. the gaps between a trigger (a worker report, a
// receipt) and the scheduler's next move, HTTP round trips and pushes included.
import { ReplicateStatus } from '../../src/replicate/replicate-status.js';
import type { Replicate } from '../../src/replicate/replicates-list.schema.js';
import { TaskStatus } from '../../src/task/task-status.js';
import type { Task } from '../../src/task/task.schema.js';

export interface TaskLatency {
  /** Deal matched (bench clock) → task RECEIVED. */
  detection: number;
  /** RECEIVED → last status (COMPLETED). */
  lifetime: number;
  /** Sum of the worker's …ING → …ED intervals (its own work, its own transactions). */
  workerSteps: number;
  /** INITIALIZING → INITIALIZED and FINALIZING → FINALIZED (transactions mined, queueing included). */
  schedulerTx: number;
  /** INITIALIZED → first replicate CREATED: no worker free, or not asked yet (ask period). */
  askWait: number;
  schedulerAdded: number;
}

const S = ReplicateStatus;
const WORKER_STEPS: [ReplicateStatus, ReplicateStatus][] = [
  [S.STARTING, S.STARTED],
  [S.APP_DOWNLOADING, S.APP_DOWNLOADED],
  [S.DATA_DOWNLOADING, S.DATA_DOWNLOADED],
  [S.COMPUTING, S.COMPUTED],
  [S.CONTRIBUTING, S.CONTRIBUTED],
  [S.REVEALING, S.REVEALED],
  [S.RESULT_UPLOADING, S.RESULT_UPLOADED],
  [S.CONTRIBUTE_AND_FINALIZE_ONGOING, S.CONTRIBUTE_AND_FINALIZE_DONE],
  [S.COMPLETING, S.COMPLETED],
];

export function latencyOf(
  task: Pick<Task, 'dateStatusList'>,
  replicates: readonly Pick<Replicate, 'statusUpdateList'>[],
  matchedAtMs: number,
): TaskLatency {
  const at = (status: TaskStatus) =>
    task.dateStatusList.find((s) => s.status === status)?.date.getTime();
  const span = (from: TaskStatus, to: TaskStatus) => {
    const a = at(from);
    const b = at(to);
    return a !== undefined && b !== undefined ? b - a : 0;
  };
  const received = at(TaskStatus.RECEIVED)!;
  const lifetime = task.dateStatusList.at(-1)!.date.getTime() - received;
  // The replicate that went furthest is the one the task waited for (trust 1: the only one).
  const replicate = [...replicates].sort(
    (a, b) => b.statusUpdateList.length - a.statusUpdateList.length,
  )[0];
  const when = (status: ReplicateStatus) =>
    replicate?.statusUpdateList.find((u) => u.status === status)?.date?.getTime();
  let workerSteps = 0;
  for (const [from, to] of WORKER_STEPS) {
    const a = when(from);
    const b = when(to);
    if (a !== undefined && b !== undefined) workerSteps += b - a;
  }
  const created = when(S.CREATED);
  const initialized = at(TaskStatus.INITIALIZED);
  const askWait = created !== undefined && initialized !== undefined ? created - initialized : 0;
  const schedulerTx =
    span(TaskStatus.INITIALIZING, TaskStatus.INITIALIZED) +
    span(TaskStatus.FINALIZING, TaskStatus.FINALIZED);
  return {
    detection: received - matchedAtMs,
    lifetime,
    workerSteps,
    schedulerTx,
    askWait,
    schedulerAdded: lifetime - workerSteps - schedulerTx - askWait,
  };
}
