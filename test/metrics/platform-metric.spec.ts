import {
  buildPlatformMetric,
  orderedTaskStatusesCount,
} from '../../src/metrics/platform-metric.js';
import { TASK_STATUSES, TaskStatus } from '../../src/task/task-status.js';

const workers = {
  aliveWorkers: 4,
  aliveTotalCpu: 12,
  aliveAvailableCpu: 7,
  aliveTotalGpu: 0,
  aliveAvailableGpu: 0,
};
const deals = {
  dealEventsCount: 3000,
  dealsCount: 1100,
  replayDealsCount: 0,
  latestBlockNumberWithDeal: 1_000_000n,
};

describe('PlatformMetric', () => {
  it('assembles workers, task counts and deal counters in the reference key order', () => {
    const counts = orderedTaskStatusesCount(
      new Map([
        [TaskStatus.RECEIVED, 1],
        [TaskStatus.FAILED, 21],
      ]),
    );
    const metric = buildPlatformMetric(workers, counts, deals);
    expect(Object.keys(metric)).toEqual([
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
    expect(metric).toMatchObject({
      ...workers,
      dealEventsCount: 3000,
      dealsCount: 1100,
      replayDealsCount: 0,
      latestBlockNumberWithDeal: 1_000_000,
    });
    expect(Object.keys(metric.currentTaskStatusesCount)).toEqual([...TASK_STATUSES]);
    expect(metric.currentTaskStatusesCount).toMatchObject({
      RECEIVED: 1,
      INITIALIZING: 0,
      FAILED: 21,
    });
  });

  it('round-trips through JSON with all 21 task statuses in the counts map', () => {
    const metric = buildPlatformMetric(workers, orderedTaskStatusesCount({ COMPLETED: 2 }), deals);
    const parsed = JSON.parse(JSON.stringify(metric));
    expect(parsed).toEqual(metric);
    expect(Object.keys(parsed.currentTaskStatusesCount)).toHaveLength(21);
    expect(Object.keys(parsed.currentTaskStatusesCount)).toEqual([...TASK_STATUSES]);
  });

  it('keeps {} before the start-up count and copies the counts it is given', () => {
    expect(buildPlatformMetric(workers, {}, deals).currentTaskStatusesCount).toEqual({});
    const counts = orderedTaskStatusesCount({});
    const metric = buildPlatformMetric(workers, counts, deals);
    counts.RECEIVED = 99;
    expect(metric.currentTaskStatusesCount.RECEIVED).toBe(0);
  });
});
