import { jest } from '@jest/globals';
import { Test, TestingModule } from '@nestjs/testing';
import { AppConfigModule } from '../../../src/config/config.module.js';
import { DatabaseModule } from '../../../src/database/database.module.js';
import { ComputeLogsModule } from '../../../src/logs/compute-logs.module.js';
import { LogsPurgeService } from '../../../src/logs/logs-purge.service.js';
import { TaskLogsRepository } from '../../../src/logs/task-logs.repository.js';
import { TaskModule } from '../../../src/task/task.module.js';
import { TaskRepository } from '../../../src/task/task.repository.js';
import { RunningApp, startTestApp } from '../../support/app.js';
import { chainlessEnv } from '../../support/chain-env.js';
import { testConfig } from '../../support/config.js';
import { dropDatabase, isolatedMongoUrl } from '../../support/mongo.js';
import { newTask, taskId } from '../../support/read-api-fixtures.js';

// Compute logs purge (persistence-and-ops.md §3.3, edge case 6) against the Mongo-wire server.
const DAY = 24 * 60 * 60 * 1000;

/** Tasks 1..old have a final deadline 4 days ago, the next ones 2 days ago, then in the future; all have logs. */
async function seed(
  tasks: TaskRepository,
  logs: TaskLogsRepository,
  old: number,
  recent: number,
  future: number,
) {
  const now = Date.now();
  const deadlines = [
    ...Array.from({ length: old }, () => now - 4 * DAY),
    ...Array.from({ length: recent }, () => now - 2 * DAY),
    ...Array.from({ length: future }, () => now + DAY),
  ];
  await tasks.insertMany(deadlines.map((d, i) => newTask(i + 1, { finalDeadline: new Date(d) })));
  for (let i = 1; i <= deadlines.length; i++)
    await logs.addComputeLogs(taskId(i), { walletAddress: '0xa', stdout: `task ${i}` });
  return deadlines.length;
}

async function remaining(logs: TaskLogsRepository): Promise<string[]> {
  const ids: string[] = [];
  for (
    let page = await logs.findChainTaskIds(undefined, 1000);
    page.length > 0;
    page = await logs.findChainTaskIds(page[page.length - 1], 1000)
  ) {
    ids.push(...page);
  }
  return ids;
}

describe('compute logs purge', () => {
  it('runs at startup and deletes only the logs of tasks whose final deadline is past the retention window', async () => {
    const url = isolatedMongoUrl('purgeboot');
    // Seed through the repositories before the scheduler starts.
    const seeding: TestingModule = await Test.createTestingModule({
      imports: [
        AppConfigModule.forRoot(testConfig({ MONGO_URL: url })),
        DatabaseModule,
        TaskModule,
        ComputeLogsModule,
      ],
    }).compile();
    await seeding.init();
    const total = await seed(seeding.get(TaskRepository), seeding.get(TaskLogsRepository), 3, 2, 1);
    await seeding.close();

    let running: RunningApp | undefined;
    try {
      running = await startTestApp({
        MONGO_URL: url,
        IEXEC_LOGS_AVAILABILITY_PERIOD_IN_DAYS: '3',
        ...(await chainlessEnv()),
      });
      const logs = running.app.get(TaskLogsRepository);
      const deadline = Date.now() + 10_000;
      let left = await remaining(logs);
      while (left.length === total && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        left = await remaining(logs);
      }
      expect(left).toEqual([taskId(4), taskId(5), taskId(6)]);
    } finally {
      await running?.close();
      await dropDatabase(url);
    }
  });

  describe('a purge run', () => {
    const url = isolatedMongoUrl('purge');
    let running: RunningApp;
    beforeAll(async () => {
      running = await startTestApp({
        MONGO_URL: url,
        IEXEC_LOGS_AVAILABILITY_PERIOD_IN_DAYS: '3',
        ...(await chainlessEnv()),
      });
    });
    afterAll(async () => {
      await running?.close();
      await dropDatabase(url);
    });

    it('walks the logs in batches and deletes the old ones only', async () => {
      const tasks = running.app.get(TaskRepository);
      const logs = running.app.get(TaskLogsRepository);
      await seed(tasks, logs, 23, 9, 4);
      // Logs of a task unknown to the scheduler are kept (no final deadline to judge by).
      await logs.addComputeLogs(taskId(0), { walletAddress: '0xa' });
      const purge = running.app.get(LogsPurgeService);
      const pages = jest.spyOn(logs, 'findChainTaskIds');
      const lookups = jest.spyOn(tasks, 'findChainTaskIdsWithFinalDeadlineBefore');
      expect(await purge.purge(new Date(), 5)).toBe(23);
      // 37 documents, 5 per page: 8 pages, each looked up with at most 5 ids.
      expect(pages).toHaveBeenCalledTimes(8);
      expect(lookups.mock.calls.every(([, ids]) => ids.length <= 5)).toBe(true);
      pages.mockRestore();
      lookups.mockRestore();
      const left = await remaining(logs);
      expect(left).toEqual([0, ...Array.from({ length: 13 }, (_, i) => i + 24)].map(taskId));
      expect(await purge.purge(new Date(), 5)).toBe(0);
    });

    it('moves the cutoff with the date given', async () => {
      const purge = running.app.get(LogsPurgeService);
      expect(await purge.purge(new Date(Date.now() + 2 * DAY))).toBe(9);
      expect(await remaining(running.app.get(TaskLogsRepository))).toEqual(
        [0, 33, 34, 35, 36].map(taskId),
      );
    });

    it('finds the ids of tasks past a final deadline among given ids', async () => {
      const tasks = running.app.get(TaskRepository);
      const cutoff = new Date(Date.now() - 3 * DAY);
      expect(await tasks.findChainTaskIdsWithFinalDeadlineBefore(cutoff, [])).toEqual([]);
      const found = await tasks.findChainTaskIdsWithFinalDeadlineBefore(cutoff, [
        taskId(1),
        taskId(2),
        taskId(30),
        taskId(36),
        taskId(404),
      ]);
      expect(found.sort()).toEqual([taskId(1), taskId(2)]);
    });
  });
});
