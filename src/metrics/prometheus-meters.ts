import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { TASK_STATUSES, TaskStatus } from '../task/task-status.js';
import type { DealCounters } from './platform-metric.js';
import type { WorkerFigures } from './worker-figures.js';

/** Where the meters read their values, at scrape time. */
export interface MeterSources {
  deals(): DealCounters;
  /** Blocks between the chain head and the last block the deal watcher has read. */
  dealIngestionLagBlocks(): number;
  /** Deals recorded as skipped since start (unreadable after their attempts). */
  dealsSkipped(): number;
  taskStatusCount(status: TaskStatus): number;
  taskUpdateQueueDepth(): number;
  appName: string;
  appVersion: string;
}

export interface PrometheusMeters {
  registry: Registry;
  setWorkerFigures(figures: WorkerFigures): void;
  observeTransition(from: string, to: string, seconds: number): void;
  countDeferredClaim(claim: string): void;
}

/** Task transitions go from milliseconds (local) to minutes (a mined transaction). */
const TRANSITION_BUCKETS = [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 30, 60, 120, 300];

/** A counter mirroring a monotonic in-memory count (the deal watcher's): incremented by deltas. */
function mirrorCounter(
  registry: Registry,
  name: string,
  help: string,
  read: () => number,
): Counter {
  let mirrored = 0;
  return new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      const value = read();
      if (value > mirrored) {
        this.inc(value - mirrored);
        mirrored = value;
      }
    },
  });
}

/**
 * The scheduler's meters on a registry of its own (persistence-and-ops.md §4.3 names, plus
 * ours: deal ingestion lag, task update queue depth, task transition latency) and the Node.js
 * default metrics. Every meter exists right after creation (counters at 0).
 */
export function createPrometheusMeters(
  sources: MeterSources,
  registry: Registry = new Registry(),
): PrometheusMeters {
  collectDefaultMetrics({ register: registry });

  mirrorCounter(
    registry,
    'iexec_core_deals_events_total',
    'SchedulerNotice logs decoded since start',
    () => sources.deals().dealEventsCount,
  );
  mirrorCounter(
    registry,
    'iexec_core_deals_total',
    'Deals handled by the live watcher since start',
    () => sources.deals().dealsCount,
  );
  mirrorCounter(
    registry,
    'iexec_core_deals_replay_total',
    'Deals handled by replays since start',
    () => sources.deals().replayDealsCount,
  );
  mirrorCounter(
    registry,
    'iexec_core_deals_last_block_total',
    'Highest block with a deal notice seen since start',
    () => Number(sources.deals().latestBlockNumberWithDeal),
  );
  mirrorCounter(
    registry,
    'iexec_core_deals_skipped_total',
    'Deals recorded as skipped since start, after failed attempts (see GET /admin/deals/skipped)',
    () => sources.dealsSkipped(),
  );
  new Gauge({
    name: 'iexec_core_tasks_count',
    help: 'Tasks per current status',
    labelNames: ['period', 'status'] as const,
    registers: [registry],
    collect() {
      for (const status of TASK_STATUSES)
        this.set({ period: 'current', status }, sources.taskStatusCount(status));
    },
  });
  const workers = new Gauge({
    name: 'iexec_core_workers',
    help: 'Alive workers',
    registers: [registry],
  });
  const cpuTotal = new Gauge({
    name: 'iexec_core_cpu_total',
    help: 'CPUs of alive non-GPU workers',
    registers: [registry],
  });
  const cpuAvailable = new Gauge({
    name: 'iexec_core_cpu_available',
    help: 'Available CPUs of alive non-GPU workers',
    registers: [registry],
  });
  new Gauge({
    name: 'iexec_version_info',
    help: 'Build name and version',
    labelNames: ['iexecAppName', 'iexecAppVersion'] as const,
    registers: [registry],
  }).set({ iexecAppName: sources.appName, iexecAppVersion: sources.appVersion }, 1);
  new Gauge({
    name: 'iexec_core_deals_ingestion_lag_blocks',
    help: 'Blocks between the chain head and the last block read by the deal watcher',
    registers: [registry],
    collect() {
      this.set(sources.dealIngestionLagBlocks());
    },
  });
  new Gauge({
    name: 'iexec_core_task_update_queue_depth',
    help: 'Task updates waiting or running',
    registers: [registry],
    collect() {
      this.set(sources.taskUpdateQueueDepth());
    },
  });
  const transitions = new Histogram({
    name: 'iexec_core_task_transition_seconds',
    help: 'Seconds between a task entering status "from" and entering status "to"',
    labelNames: ['from', 'to'] as const,
    buckets: TRANSITION_BUCKETS,
    registers: [registry],
  });

  const deferredClaims = new Counter({
    name: 'iexec_core_replicate_claims_deferred_total',
    help: 'Contribution/reveal claims not yet visible on our node when their hold ended (worker asked to post again)',
    labelNames: ['claim'] as const,
    registers: [registry],
  });
  for (const claim of ['contributed', 'revealed']) deferredClaims.inc({ claim }, 0);

  return {
    registry,
    setWorkerFigures(figures) {
      workers.set(figures.aliveWorkers);
      cpuTotal.set(figures.aliveTotalCpu);
      cpuAvailable.set(figures.aliveAvailableCpu);
    },
    observeTransition(from, to, seconds) {
      if (Number.isFinite(seconds) && seconds >= 0) transitions.observe({ from, to }, seconds);
    },
    countDeferredClaim(claim) {
      deferredClaims.inc({ claim });
    },
  };
}
