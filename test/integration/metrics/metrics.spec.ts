import { Test } from '@nestjs/testing';
import { AppConfigModule } from '../../../src/config/config.module.js';
import { DatabaseModule } from '../../../src/database/database.module.js';
import { DealWatcherMetrics } from '../../../src/deal-watcher/deal-watcher-metrics.js';
import { MetricsService } from '../../../src/metrics/metrics.service.js';
import { TaskStatusCounts } from '../../../src/metrics/task-status-counts.js';
import {
  WORKER_FIGURES_SOURCE,
  WorkerFigures,
  WorkerFiguresSource,
} from '../../../src/metrics/worker-figures.js';
import { TASK_STATUSES, TaskStatus } from '../../../src/task/task-status.js';
import { TaskModule } from '../../../src/task/task.module.js';
import { TaskRepository } from '../../../src/task/task.repository.js';
import { jsonOf, RunningApp, startTestApp } from '../../support/app.js';
import { chainlessEnv } from '../../support/chain-env.js';
import { testConfig } from '../../support/config.js';
import { dropDatabase, isolatedMongoUrl } from '../../support/mongo.js';
import { newTask } from '../../support/read-api-fixtures.js';

// M1 `/metrics` and `/actuator/prometheus` (worker-api.md §9.4, §14 item 52; persistence-and-ops.md
// §4, edge cases 7, 8, 10) over real HTTP against the Mongo-wire server. The worker figures come
// from the WorkerModule in production; a simple source stands in for it here.

class SettableWorkerFigures implements WorkerFiguresSource {
  figures: WorkerFigures = {
    aliveWorkers: 4,
    aliveTotalCpu: 12,
    aliveAvailableCpu: 7,
    aliveTotalGpu: 1,
    aliveAvailableGpu: 0,
  };
  workerFigures(): WorkerFigures {
    return this.figures;
  }
}
const workerFigures = new SettableWorkerFigures();

const SEEDED: [TaskStatus, number][] = [
  [TaskStatus.RECEIVED, 2],
  [TaskStatus.RUNNING, 1],
  [TaskStatus.COMPLETED, 3],
];

async function seedTasks(url: string): Promise<void> {
  const seeding = await Test.createTestingModule({
    imports: [AppConfigModule.forRoot(testConfig({ MONGO_URL: url })), DatabaseModule, TaskModule],
  }).compile();
  await seeding.init();
  let i = 0;
  const tasks = SEEDED.flatMap(([status, n]) =>
    Array.from({ length: n }, () => newTask(++i, { currentStatus: status })),
  );
  await seeding.get(TaskRepository).insertMany(tasks);
  await seeding.close();
}

async function until<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The value of one sample line of a Prometheus text exposition. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('metrics', () => {
  describe('with prometheus exposed', () => {
    const url = isolatedMongoUrl('metrics');
    let running: RunningApp;
    let base: string;
    let firstScrape: Response;

    beforeAll(async () => {
      await seedTasks(url);
      running = await startTestApp(
        {
          MONGO_URL: url,
          IEXEC_CORE_MANAGEMENT_ACTUATORS: 'health, info, prometheus',
          CRON_METRICS_REFRESH_PERIOD: '100',
          ...(await chainlessEnv()),
        },
        {
          override: (builder) =>
            builder.overrideProvider(WORKER_FIGURES_SOURCE).useValue(workerFigures),
        },
      );
      base = running.baseUrl;
      firstScrape = await fetch(`${base}/actuator/prometheus`);
    });
    afterAll(async () => {
      await running?.close();
      await dropDatabase(url);
    });

    it('has every counter at 0 right after startup, in the Prometheus text format', async () => {
      expect(firstScrape.status).toBe(200);
      expect(firstScrape.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await firstScrape.text();
      for (const counter of [
        'iexec_core_deals_events_total',
        'iexec_core_deals_total',
        'iexec_core_deals_replay_total',
        'iexec_core_deals_last_block_total',
        'iexec_core_deals_skipped_total',
      ]) {
        expect(text).toContain(`# TYPE ${counter} counter`);
        expect([counter, sample(text, counter)]).toEqual([counter, 0]);
      }
    });

    it('serves /metrics with the worker figures, all 21 statuses in declaration order and the deal counters', async () => {
      const body = await until(
        async () => jsonOf(await fetch(`${base}/metrics`)),
        (b) => Object.keys(b.currentTaskStatusesCount).length > 0,
      );
      expect(Object.keys(body)).toEqual([
        'aliveWorkers',
        'aliveTotalCpu',
        'aliveAvailableCpu',
        'aliveTotalGpu',
        'aliveAvailableGpu',
        'currentTaskStatusesCount',
        'dealEventsCount',
        'dealsCount',
        'replayDealsCount',
        'latestBlockNumberWithDeal',
      ]);
      expect(body).toMatchObject({
        aliveWorkers: 4,
        aliveTotalCpu: 12,
        aliveAvailableCpu: 7,
        aliveTotalGpu: 1,
        aliveAvailableGpu: 0,
      });
      expect(Object.keys(body.currentTaskStatusesCount)).toEqual([...TASK_STATUSES]);
      expect(Object.keys(body.currentTaskStatusesCount)).toHaveLength(21);
      const expected = Object.fromEntries(
        TASK_STATUSES.map((s) => [s, SEEDED.find(([st]) => st === s)?.[1] ?? 0]),
      );
      expect(body.currentTaskStatusesCount).toEqual(expected);
      expect(body).toMatchObject({
        dealEventsCount: 0,
        dealsCount: 0,
        replayDealsCount: 0,
        latestBlockNumberWithDeal: 0,
      });
    });

    it('moves the task counts with creations and transitions', async () => {
      const counts = running.app.get(TaskStatusCounts);
      counts.onTaskCreated(3);
      counts.onStatusChanged(TaskStatus.RECEIVED, TaskStatus.INITIALIZING);
      const body = await jsonOf(await fetch(`${base}/metrics`));
      expect(body.currentTaskStatusesCount).toMatchObject({
        RECEIVED: 4,
        INITIALIZING: 1,
        RUNNING: 1,
        COMPLETED: 3,
      });
      const text = await (await fetch(`${base}/actuator/prometheus`)).text();
      expect(sample(text, 'iexec_core_tasks_count{period="current",status="RECEIVED"}')).toBe(4);
      expect(sample(text, 'iexec_core_tasks_count{period="current",status="INITIALIZING"}')).toBe(
        1,
      );
      for (const status of TASK_STATUSES) {
        expect(
          sample(text, `iexec_core_tasks_count{period="current",status="${status}"}`),
        ).toBeDefined();
      }
    });

    it('refreshes the worker figures on schedule (CRON_METRICS_REFRESH_PERIOD)', async () => {
      workerFigures.figures = {
        aliveWorkers: 1,
        aliveTotalCpu: 2,
        aliveAvailableCpu: -1,
        aliveTotalGpu: 0,
        aliveAvailableGpu: 0,
      };
      const body = await until(
        async () => jsonOf(await fetch(`${base}/metrics`)),
        (b) => b.aliveWorkers === 1,
      );
      expect(body).toMatchObject({ aliveWorkers: 1, aliveTotalCpu: 2, aliveAvailableCpu: -1 });
      const text = await (await fetch(`${base}/actuator/prometheus`)).text();
      expect(sample(text, 'iexec_core_workers')).toBe(1);
      expect(sample(text, 'iexec_core_cpu_total')).toBe(2);
      expect(sample(text, 'iexec_core_cpu_available')).toBe(-1);
    });

    it('mirrors the deal counters in /metrics and in Prometheus', async () => {
      const deals = running.app.get(DealWatcherMetrics);
      deals.noticeSeen(1_000_000n);
      deals.noticeSeen(999n);
      deals.dealsCount += 2;
      deals.replayDealsCount += 1;
      deals.latestChainBlock = 1_000_010n;
      deals.scannedUpTo = 1_000_004n;
      const body = await jsonOf(await fetch(`${base}/metrics`));
      expect(body).toMatchObject({
        dealEventsCount: 2,
        dealsCount: 2,
        replayDealsCount: 1,
        latestBlockNumberWithDeal: 1_000_000,
      });
      const text = await (await fetch(`${base}/actuator/prometheus`)).text();
      expect(sample(text, 'iexec_core_deals_events_total')).toBe(2);
      expect(sample(text, 'iexec_core_deals_total')).toBe(2);
      expect(sample(text, 'iexec_core_deals_replay_total')).toBe(1);
      expect(sample(text, 'iexec_core_deals_last_block_total')).toBe(1_000_000);
      expect(sample(text, 'iexec_core_deals_ingestion_lag_blocks')).toBe(6);
    });

    it('exposes the version info, the update queue depth, transition latencies and Node.js metrics', async () => {
      running.app
        .get(MetricsService)
        .observeTransition(TaskStatus.INITIALIZING, TaskStatus.INITIALIZED, 7.5);
      const text = await (await fetch(`${base}/actuator/prometheus`)).text();
      const version = text.split('\n').find((l) => l.startsWith('iexec_version_info{'));
      expect(version).toMatch(
        /^iexec_version_info\{iexecAppName="iexec-core-ts",iexecAppVersion="\d+\.\d+\.\d+[^"]*"\} 1$/,
      );
      expect(sample(text, 'iexec_core_task_update_queue_depth')).toBeGreaterThanOrEqual(0);
      expect(
        sample(
          text,
          'iexec_core_task_transition_seconds_count{from="INITIALIZING",to="INITIALIZED"}',
        ),
      ).toBe(1);
      expect(
        sample(
          text,
          'iexec_core_task_transition_seconds_bucket{le="5",from="INITIALIZING",to="INITIALIZED"}',
        ),
      ).toBe(0);
      expect(
        sample(
          text,
          'iexec_core_task_transition_seconds_bucket{le="15",from="INITIALIZING",to="INITIALIZED"}',
        ),
      ).toBe(1);
      expect(text).toContain('# TYPE process_cpu_user_seconds_total counter');
      expect(text).toContain('nodejs_eventloop_lag_seconds');
    });
  });

  describe('Prometheus exposure rules', () => {
    it.each([
      ['health, info', 404],
      ['health', 404],
      ['prometheus', 200],
      ['*', 200],
    ])(
      'IEXEC_CORE_MANAGEMENT_ACTUATORS=%s → /actuator/prometheus %i, /metrics always 200',
      async (actuators, expected) => {
        const url = isolatedMongoUrl('promexposure');
        const running = await startTestApp({
          MONGO_URL: url,
          IEXEC_CORE_MANAGEMENT_ACTUATORS: actuators,
          ...(await chainlessEnv()),
        });
        try {
          const res = await fetch(`${running.baseUrl}/actuator/prometheus`);
          expect(res.status).toBe(expected);
          if (expected === 404) expect(await res.text()).toBe('');
          const metrics = await fetch(`${running.baseUrl}/metrics`);
          expect(metrics.status).toBe(200);
          // Without a worker figures source (the WorkerModule does not provide one yet) the figures are 0.
          expect(await jsonOf(metrics)).toMatchObject({
            aliveWorkers: 0,
            aliveTotalCpu: 0,
            aliveAvailableCpu: 0,
          });
        } finally {
          await running.close();
          await dropDatabase(url);
        }
      },
    );
  });
});
