/** Pure worker-registry rules (worker-api.md §3, §5.1, §9.4): plain data in, decisions out. */

/** A worker is lost when its last ping is more than a minute old (§3.3). */
export const LOST_AFTER_MS = 60_000;

/** Scheduling jitter tolerated by the R1 throttle (§5.1). */
export const DEMAND_SLACK_MS = 500;

export type Liveness = 'alive' | 'lost' | 'unknown';

/**
 * `alive` when the last ping is less than 60 s old, `lost` when it is more than 60 s old;
 * `unknown` (neither) when the wallet never pinged. Exactly 60 s is neither, as in the reference.
 */
export function livenessOf(lastPingMs: number | undefined, nowMs: number): Liveness {
  if (lastPingMs === undefined) return 'unknown';
  const age = nowMs - lastPingMs;
  if (age < LOST_AFTER_MS) return 'alive';
  return age > LOST_AFTER_MS ? 'lost' : 'unknown';
}

/**
 * R1 throttle: refused when a previous accepted demand exists and
 * `(now − last) + 500 ms ≤ period`; the first demand is always accepted.
 */
export function isDemandAccepted(
  lastAcceptedMs: number | undefined,
  nowMs: number,
  periodMs: number,
): boolean {
  if (lastAcceptedMs === undefined) return true;
  return nowMs - lastAcceptedMs + DEMAND_SLACK_MS > periodMs;
}

/** A GPU worker runs one task at a time; a CPU worker one per CPU (§3.1). */
export function maxNbTasksOf(worker: { gpuEnabled: boolean; cpuNb: number }): number {
  return worker.gpuEnabled ? 1 : worker.cpuNb;
}

export interface CapacityView {
  maxNbTasks: number;
  computingChainTaskIds: readonly string[];
}

/** Room for one more computing task: `|computing| < maxNbTasks` (§5.2 precondition 4). */
export function hasCapacity(worker: CapacityView): boolean {
  return worker.computingChainTaskIds.length < worker.maxNbTasks;
}

export interface AliveWorkerMetrics {
  aliveWorkers: number;
  aliveTotalCpu: number;
  aliveAvailableCpu: number;
  aliveTotalGpu: number;
  aliveAvailableGpu: number;
}

/** PlatformMetric worker figures over the alive registered workers (§9.4). */
export function aliveWorkerMetrics(
  alive: readonly {
    cpuNb: number;
    gpuEnabled: boolean;
    computingChainTaskIds: readonly string[];
  }[],
): AliveWorkerMetrics {
  const metrics: AliveWorkerMetrics = {
    aliveWorkers: alive.length,
    aliveTotalCpu: 0,
    aliveAvailableCpu: 0,
    aliveTotalGpu: 0,
    aliveAvailableGpu: 0,
  };
  for (const worker of alive) {
    const computing = worker.computingChainTaskIds.length;
    if (worker.gpuEnabled) {
      metrics.aliveTotalGpu++;
      if (computing === 0) metrics.aliveAvailableGpu++;
    } else {
      metrics.aliveTotalCpu += worker.cpuNb;
      metrics.aliveAvailableCpu += worker.cpuNb - computing;
    }
  }
  return metrics;
}

/**
 * Last-ping times reloaded at boot, with the scheduler's downtime taken out: workers could not
 * ping while it was down, so every persisted time is moved forward by (boot − latest persisted
 * ping). A worker alive at shutdown stays alive for what was left of its minute; one already lost
 * stays lost. Times in the future (clock skew) are clamped to the boot time.
 */
export function resumeLastPings(
  persisted: ReadonlyMap<string, number>,
  bootMs: number,
): Map<string, number> {
  let latest = -Infinity;
  for (const time of persisted.values()) latest = Math.max(latest, time);
  const shift = Math.max(0, bootMs - latest);
  const resumed = new Map<string, number>();
  for (const [wallet, time] of persisted) resumed.set(wallet, Math.min(time + shift, bootMs));
  return resumed;
}
