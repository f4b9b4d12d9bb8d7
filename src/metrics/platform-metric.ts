import { TASK_STATUSES, TaskStatus } from '../task/task-status.js';
import type { WorkerFigures } from './worker-figures.js';

/** Task count per status: every status in declaration order, or `{}` before the start-up count. */
export type TaskStatusesCount = Partial<Record<TaskStatus, number>>;

export interface DealCounters {
  dealEventsCount: number;
  dealsCount: number;
  replayDealsCount: number;
  latestBlockNumberWithDeal: bigint | number;
}

/** M1 `GET /metrics` (worker-api.md §9.4), keys in the reference order. */
export interface PlatformMetric {
  aliveWorkers: number;
  aliveTotalCpu: number;
  aliveAvailableCpu: number;
  aliveTotalGpu: number;
  aliveAvailableGpu: number;
  currentTaskStatusesCount: TaskStatusesCount;
  dealEventsCount: number;
  dealsCount: number;
  replayDealsCount: number;
  latestBlockNumberWithDeal: number;
}

/** An ordered copy of the counts with every status (0 when missing). */
export function orderedTaskStatusesCount(
  counts: ReadonlyMap<TaskStatus, number> | TaskStatusesCount,
): Record<TaskStatus, number> {
  const get = (s: TaskStatus) =>
    counts instanceof Map ? counts.get(s) : (counts as TaskStatusesCount)[s];
  const out = {} as Record<TaskStatus, number>;
  for (const status of TASK_STATUSES) out[status] = get(status) ?? 0;
  return out;
}

export function buildPlatformMetric(
  workers: WorkerFigures,
  taskStatusesCount: TaskStatusesCount,
  deals: DealCounters,
): PlatformMetric {
  return {
    aliveWorkers: workers.aliveWorkers,
    aliveTotalCpu: workers.aliveTotalCpu,
    aliveAvailableCpu: workers.aliveAvailableCpu,
    aliveTotalGpu: workers.aliveTotalGpu,
    aliveAvailableGpu: workers.aliveAvailableGpu,
    currentTaskStatusesCount: { ...taskStatusesCount },
    dealEventsCount: deals.dealEventsCount,
    dealsCount: deals.dealsCount,
    replayDealsCount: deals.replayDealsCount,
    latestBlockNumberWithDeal: Number(deals.latestBlockNumberWithDeal),
  };
}
