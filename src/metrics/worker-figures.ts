/**
 * Alive-worker figures of `/metrics` and of the worker gauges (persistence-and-ops.md §4.1):
 * alive = pinged within the last minute; CPU figures over alive non-GPU workers (available =
 * Σ (cpuNb − computing tasks), may go negative); GPU figures count alive GPU workers (available:
 * those computing nothing).
 */
export interface WorkerFigures {
  aliveWorkers: number;
  aliveTotalCpu: number;
  aliveAvailableCpu: number;
  aliveTotalGpu: number;
  aliveAvailableGpu: number;
}

/** Implemented by the worker registry; read by MetricsService every CRON_METRICS_REFRESH_PERIOD. */
export interface WorkerFiguresSource {
  workerFigures(): Promise<WorkerFigures> | WorkerFigures;
}

/**
 * Injection token of the {@link WorkerFiguresSource}. The WorkerModule provides and exports it
 * (`{ provide: WORKER_FIGURES_SOURCE, useExisting: … }`); MetricsModule imports WorkerModule.
 * Until it is provided, the figures are all 0.
 */
export const WORKER_FIGURES_SOURCE = Symbol('WORKER_FIGURES_SOURCE');

export const NO_WORKER_FIGURES: Readonly<WorkerFigures> = Object.freeze({
  aliveWorkers: 0,
  aliveTotalCpu: 0,
  aliveAvailableCpu: 0,
  aliveTotalGpu: 0,
  aliveAvailableGpu: 0,
});
