import type { JobScheduler } from '../../src/common/jobs/job-scheduler.js';
import type { AppConfig } from '../../src/config/app-config.js';
import { LogsPurgeService } from '../../src/logs/logs-purge.service.js';
import type { TaskLogsRepository } from '../../src/logs/task-logs.repository.js';
import type { TaskRepository } from '../../src/task/task.repository.js';

const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date('2024-06-19T00:00:00.000Z');

function setup(purgeRateInDays = 1, withLogs: string[] = [], oldTasks: string[] = []) {
  const logs = new Set(withLogs);
  const calls = {
    pages: [] as (string | undefined)[],
    cutoffs: [] as Date[],
    deleted: [] as string[][],
  };
  const taskLogs = {
    findChainTaskIds: async (after: string | undefined, limit: number) => {
      calls.pages.push(after);
      return [...logs]
        .sort()
        .filter((id) => after === undefined || id > after)
        .slice(0, limit);
    },
    deleteByChainTaskIds: async (ids: readonly string[]) => {
      calls.deleted.push([...ids]);
      ids.forEach((id) => logs.delete(id));
      return ids.length;
    },
  } as unknown as TaskLogsRepository;
  const tasks = {
    findChainTaskIdsWithFinalDeadlineBefore: async (cutoff: Date, ids: readonly string[]) => {
      calls.cutoffs.push(cutoff);
      return ids.filter((id) => oldTasks.includes(id));
    },
  } as unknown as TaskRepository;
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
  const config = { logs: { purgeRateInDays, availabilityPeriodInDays: 3 } } as AppConfig;
  return { service: new LogsPurgeService(config, scheduler, tasks, taskLogs), calls, jobs, logs };
}

describe('LogsPurgeService', () => {
  it('deletes, page by page, the logs of tasks whose final deadline is older than the retention window', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `0x${String(i).padStart(2, '0')}`);
    const old = ids.filter((_, i) => i % 3 === 0);
    const { service, calls, logs } = setup(1, ids, old);
    expect(await service.purge(NOW, 5)).toBe(4);
    expect(calls.pages).toEqual([undefined, '0x04', '0x09']);
    expect(calls.cutoffs.every((c) => c.getTime() === NOW.getTime() - 3 * DAY)).toBe(true);
    expect(calls.deleted).toEqual([['0x00', '0x03'], ['0x06', '0x09'], []]);
    expect([...logs].sort()).toEqual(ids.filter((id) => !old.includes(id)));
  });

  it('stops after an empty first page', async () => {
    const { service, calls } = setup();
    expect(await service.purge(NOW)).toBe(0);
    expect(calls.pages).toEqual([undefined]);
  });

  it('runs at startup, then once per purge period, waking up at most hourly (no setInterval overflow)', async () => {
    const { service, jobs, calls } = setup(30);
    service.onApplicationBootstrap();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ name: 'logs-purge', period: 60 * 60 * 1000, runAtStart: true });
    await jobs[0].run();
    await jobs[0].run();
    expect(calls.pages).toHaveLength(1);
  });
});
