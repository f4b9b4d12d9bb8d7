import { Inject, Injectable, Logger, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { JobScheduler } from '../common/jobs/job-scheduler.js';
import { AppConfig } from '../config/app-config.js';
import { DealWatcherMetrics } from '../deal-watcher/deal-watcher-metrics.js';
import { buildInfo } from '../health/build-info.js';
import { TaskUpdateRequests } from '../task/task-update-requests.js';
import { buildPlatformMetric, PlatformMetric } from './platform-metric.js';
import { MetricsRegistry } from './metrics-registry.js';
import { createPrometheusMeters, PrometheusMeters } from './prometheus-meters.js';
import { TaskStatusCounts } from './task-status-counts.js';
import {
  NO_WORKER_FIGURES,
  WORKER_FIGURES_SOURCE,
  WorkerFigures,
  type WorkerFiguresSource,
} from './worker-figures.js';

const REFRESH_JOB = 'metrics-refresh';

/**
 * `/metrics` and Prometheus (persistence-and-ops.md §4). The worker figures (a database read)
 * are refreshed every CRON_METRICS_REFRESH_PERIOD ms (and at start-up); everything else is
 * in memory, so answering `/metrics` or a scrape costs nothing.
 */
@Injectable()
export class MetricsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(MetricsService.name);
  private readonly meters: PrometheusMeters;
  private workers: WorkerFigures = { ...NO_WORKER_FIGURES };

  constructor(
    private readonly config: AppConfig,
    private readonly jobs: JobScheduler,
    private readonly taskStatusCounts: TaskStatusCounts,
    private readonly deals: DealWatcherMetrics,
    private readonly taskUpdates: TaskUpdateRequests,
    @Optional() @Inject(WORKER_FIGURES_SOURCE) private readonly workerSource?: WorkerFiguresSource,
    @Optional() registry?: MetricsRegistry,
  ) {
    const { name, version } = buildInfo();
    this.meters = createPrometheusMeters(
      {
        deals: () => this.deals,
        dealIngestionLagBlocks: () => this.deals.ingestionLagBlocks,
        dealsSkipped: () => this.deals.skippedDealsCount,
        taskStatusCount: (status) => this.taskStatusCounts.count(status),
        taskUpdateQueueDepth: () => this.taskUpdates.depth,
        appName: name,
        appVersion: version,
      },
      registry?.registry,
    );
    if (!workerSource) this.logger.warn('No worker figures source: worker metrics stay at 0');
  }

  onApplicationBootstrap(): void {
    this.jobs.register(
      REFRESH_JOB,
      this.config.cron.metricsRefreshMs,
      () => this.refreshWorkerFigures(),
      {
        runAtStart: true,
      },
    );
  }

  /** Reads the worker figures again (the periodic job; callable directly). */
  async refreshWorkerFigures(): Promise<void> {
    if (!this.workerSource) return;
    this.workers = { ...(await this.workerSource.workerFigures()) };
    this.meters.setWorkerFigures(this.workers);
  }

  /** The M1 answer: last worker figures, last task status snapshot, deal counters. */
  platformMetric(): PlatformMetric {
    return buildPlatformMetric(this.workers, this.taskStatusCounts.snapshot(), this.deals);
  }

  /**
   * Records one task transition for `iexec_core_task_transition_seconds{from,to}`: `seconds`
   * between the task entering `from` and entering `to` (called by the task engine).
   */
  observeTransition(from: string, to: string, seconds: number): void {
    this.meters.observeTransition(from, to, seconds);
  }

  /** A worker's claim not yet visible on our node when its hold ended (R3 answered 503). */
  countDeferredClaim(claim: 'contributed' | 'revealed'): void {
    this.meters.countDeferredClaim(claim);
  }

  /** Prometheus text exposition of every meter. */
  prometheus(): Promise<string> {
    return this.meters.registry.metrics();
  }

  /** Every meter with its values (`/actuator/metrics`). */
  registryMetrics(): Promise<unknown[]> {
    return this.meters.registry.getMetricsAsJSON();
  }

  get prometheusContentType(): string {
    return this.meters.registry.contentType;
  }
}
