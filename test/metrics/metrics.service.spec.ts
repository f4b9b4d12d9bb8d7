import type { JobScheduler } from '../../src/common/jobs/job-scheduler.js';
import type { AppConfig } from '../../src/config/app-config.js';
import { DealWatcherMetrics } from '../../src/deal-watcher/deal-watcher-metrics.js';
import { MetricsService } from '../../src/metrics/metrics.service.js';
import type { TaskStatusCounts } from '../../src/metrics/task-status-counts.js';
import type { WorkerFigures } from '../../src/metrics/worker-figures.js';
import type { TaskUpdateRequests } from '../../src/task/task-update-requests.js';

function setup(withSource: boolean) {
  let figures: WorkerFigures = {
    aliveWorkers: 3,
    aliveTotalCpu: 6,
    aliveAvailableCpu: 2,
    aliveTotalGpu: 1,
    aliveAvailableGpu: 1,
  };
  let reads = 0;
  const source = {
    workerFigures: async () => {
      reads++;
      return figures;
    },
  };
  const jobs: { name: string; period: number; run: () => Promise<void>; runAtStart?: boolean }[] =
    [];
  const scheduler = {
    register: (
      name: string,
      period: number,
      run: () => Promise<void>,
      options: { runAtStart?: boolean } = {},
    ) => jobs.push({ name, period, run, runAtStart: options.runAtStart }),
  } as unknown as JobScheduler;
  const counts = {
    snapshot: () => ({ RECEIVED: 1 }),
    count: () => 0,
  } as unknown as TaskStatusCounts;
  const deals = new DealWatcherMetrics();
  const service = new MetricsService(
    { cron: { metricsRefreshMs: 20_000 } } as AppConfig,
    scheduler,
    counts,
    deals,
    { depth: 0 } as TaskUpdateRequests,
    withSource ? source : undefined,
  );
  return {
    service,
    jobs,
    deals,
    setFigures: (f: WorkerFigures) => (figures = f),
    reads: () => reads,
  };
}

describe('MetricsService', () => {
  it('refreshes the worker figures on the CRON_METRICS_REFRESH_PERIOD job (first run at startup), not per request', async () => {
    const { service, jobs, setFigures, reads } = setup(true);
    service.onApplicationBootstrap();
    expect(jobs).toEqual([
      expect.objectContaining({ name: 'metrics-refresh', period: 20_000, runAtStart: true }),
    ]);
    expect(service.platformMetric().aliveWorkers).toBe(0);
    await jobs[0].run();
    expect(service.platformMetric()).toMatchObject({
      aliveWorkers: 3,
      aliveTotalCpu: 6,
      aliveAvailableCpu: 2,
      aliveTotalGpu: 1,
      aliveAvailableGpu: 1,
    });
    setFigures({
      aliveWorkers: 0,
      aliveTotalCpu: 0,
      aliveAvailableCpu: 0,
      aliveTotalGpu: 0,
      aliveAvailableGpu: 0,
    });
    service.platformMetric();
    service.platformMetric();
    expect(reads()).toBe(1);
    await jobs[0].run();
    expect(service.platformMetric().aliveWorkers).toBe(0);
  });

  it('assembles the snapshot from the task counts and the deal counters', () => {
    const { service, deals } = setup(true);
    deals.noticeSeen(77n);
    deals.dealsCount = 1;
    expect(service.platformMetric()).toMatchObject({
      currentTaskStatusesCount: { RECEIVED: 1 },
      dealEventsCount: 1,
      dealsCount: 1,
      replayDealsCount: 0,
      latestBlockNumberWithDeal: 77,
    });
  });

  it('keeps the worker figures at 0 without a source', async () => {
    const { service, jobs } = setup(false);
    service.onApplicationBootstrap();
    await jobs[0].run();
    expect(service.platformMetric()).toMatchObject({ aliveWorkers: 0, aliveTotalCpu: 0 });
  });
});
