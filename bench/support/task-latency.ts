// Where the time of one task went, from its history and its replicates' histories (dates are the
// scheduler's, written when it processed each status) and from the simulated worker's own clock:
// the scheduler-added latency is what is left of the task's lifetime once the worker's own time,
// the scheduler's transactions and the wait for a free worker are taken out, i.e. the time the task
// waited for the scheduler: its answers to reports, its decisions, its notifications.
// Without the worker's clock, the worker's time is taken from the scheduler's dates alone (each
// …ING → …ED interval): an upper bound, as what the worker does between a …ED report and its next
// …ING one (reading the chain, signing, subscribing) then counts as the scheduler's.
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
  /** The worker's own time on the task, from its clock (TaskSnapshot.ownWorkMs), when known. */
  workerOwn?: number;
  /** lifetime − workerOwn − schedulerTx − askWait (workerSteps when workerOwn is unknown). */
  schedulerAdded: number;
  /** lifetime − workerSteps − schedulerTx − askWait: the upper bound from the dates alone. */
  addedByDates: number;
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
  workerOwnMs?: number,
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
  const addedByDates = lifetime - workerSteps - schedulerTx - askWait;
  return {
    detection: received - matchedAtMs,
    lifetime,
    workerSteps,
    schedulerTx,
    askWait,
    workerOwn: workerOwnMs,
    schedulerAdded:
      workerOwnMs === undefined ? addedByDates : lifetime - workerOwnMs - schedulerTx - askWait,
    addedByDates,
  };
}
