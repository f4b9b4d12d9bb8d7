import { createPrometheusMeters, MeterSources } from '../../src/metrics/prometheus-meters.js';
import { TASK_STATUSES, TaskStatus } from '../../src/task/task-status.js';

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

function setup() {
  const deals = {
    dealEventsCount: 0,
    dealsCount: 0,
    replayDealsCount: 0,
    latestBlockNumberWithDeal: 0n,
  };
  const counts = new Map<TaskStatus, number>();
  const sources: MeterSources = {
    deals: () => deals,
    dealIngestionLagBlocks: () => 3,
    dealsSkipped: () => 0,
    taskStatusCount: (s) => counts.get(s) ?? 0,
    taskUpdateQueueDepth: () => 7,
    appName: 'iexec-core-ts',
    appVersion: '1.2.3',
  };
  return { meters: createPrometheusMeters(sources), deals, counts };
}

describe('Prometheus meters', () => {
  it('exist right after creation, counters at 0, one task gauge series per status', async () => {
    const { meters } = setup();
    const text = await meters.registry.metrics();
    for (const name of [
      'iexec_core_deals_events_total',
      'iexec_core_deals_total',
      'iexec_core_deals_replay_total',
      'iexec_core_deals_last_block_total',
      'iexec_core_deals_skipped_total',
    ]) {
      expect(sample(text, name)).toBe(0);
    }
    for (const name of ['iexec_core_workers', 'iexec_core_cpu_total', 'iexec_core_cpu_available'])
      expect(sample(text, name)).toBe(0);
    for (const status of TASK_STATUSES)
      expect(sample(text, `iexec_core_tasks_count{period="current",status="${status}"}`)).toBe(0);
    expect(
      sample(text, 'iexec_version_info{iexecAppName="iexec-core-ts",iexecAppVersion="1.2.3"}'),
    ).toBe(1);
    expect(sample(text, 'iexec_core_deals_ingestion_lag_blocks')).toBe(3);
    expect(sample(text, 'iexec_core_task_update_queue_depth')).toBe(7);
  });

  it('mirror the deal counters by deltas at each scrape', async () => {
    const { meters, deals } = setup();
    deals.dealEventsCount = 5;
    deals.latestBlockNumberWithDeal = 120n;
    expect(sample(await meters.registry.metrics(), 'iexec_core_deals_events_total')).toBe(5);
    deals.dealEventsCount = 8;
    deals.latestBlockNumberWithDeal = 150n;
    const text = await meters.registry.metrics();
    expect(sample(text, 'iexec_core_deals_events_total')).toBe(8);
    expect(sample(text, 'iexec_core_deals_last_block_total')).toBe(150);
  });

  it('show the task counts, worker figures and transition latencies', async () => {
    const { meters, counts } = setup();
    counts.set(TaskStatus.RUNNING, 4);
    meters.setWorkerFigures({
      aliveWorkers: 2,
      aliveTotalCpu: 8,
      aliveAvailableCpu: 5,
      aliveTotalGpu: 1,
      aliveAvailableGpu: 1,
    });
    meters.observeTransition('RUNNING', 'CONSENSUS_REACHED', 42);
    meters.observeTransition('RUNNING', 'CONSENSUS_REACHED', -1); // ignored
    meters.observeTransition('RUNNING', 'CONSENSUS_REACHED', Number.NaN); // ignored
    const text = await meters.registry.metrics();
    expect(sample(text, 'iexec_core_tasks_count{period="current",status="RUNNING"}')).toBe(4);
    expect(sample(text, 'iexec_core_workers')).toBe(2);
    expect(sample(text, 'iexec_core_cpu_total')).toBe(8);
    expect(sample(text, 'iexec_core_cpu_available')).toBe(5);
    expect(
      sample(
        text,
        'iexec_core_task_transition_seconds_count{from="RUNNING",to="CONSENSUS_REACHED"}',
      ),
    ).toBe(1);
    expect(
      sample(text, 'iexec_core_task_transition_seconds_sum{from="RUNNING",to="CONSENSUS_REACHED"}'),
    ).toBe(42);
  });

  it('use a registry of their own (two instances do not collide)', async () => {
    const a = setup();
    const b = setup();
    expect(a.meters.registry).not.toBe(b.meters.registry);
    expect(a.meters.registry.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  });
});
