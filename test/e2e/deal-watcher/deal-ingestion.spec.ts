import { mongo } from 'mongoose';
import { TaskStatus } from '../../../src/task/task-status.js';
import { TaskRepository } from '../../../src/task/task.repository.js';
import { isolateChainPerFile, testChain } from '../../support/chain.js';
import { jsonOf } from '../../support/app.js';
import { dropDatabase, isolatedMongoUrl } from '../../support/mongo.js';
import { eventually, RunningScheduler, startScheduler } from '../../support/scheduler.js';

// Deal ingestion against the real chain and Mongo-wire server. The adapter URL points nowhere,
// so tasks stay RECEIVED (no initialize is sent): these tests look at ingestion only.
const NO_WRITES = {
  IEXEC_CHAIN_WRITER: 'adapter',
  IEXEC_CORE_CHAIN_ADAPTER_URL: 'http://127.0.0.1:9',
};

const chain = testChain();
isolateChainPerFile(chain);

async function tasksOf(scheduler: RunningScheduler, dealId: string) {
  return scheduler.get(TaskRepository).findByDeal(dealId);
}

async function countTasks(mongoUrl: string): Promise<number> {
  const client = new mongo.MongoClient(mongoUrl);
  try {
    return await client.db().collection('task').countDocuments();
  } finally {
    await client.close();
  }
}

describe('deal ingestion', () => {
  it('turns a deal of volume 50 into exactly 50 tasks, once, across restarts and replays', async () => {
    const workerpool = await chain.fixtures.createWorkerpool();
    const deal = await chain.fixtures.createDeal({
      workerpool,
      volume: 50,
      trust: 3,
      category: 1,
      params: { iexec_args: 'hello world' },
    });
    const scheduler = await startScheduler(chain, workerpool, { env: NO_WRITES });
    try {
      const tasks = await eventually(
        async () => {
          const found = await tasksOf(scheduler, deal.dealId);
          return found.length === 50 ? found : undefined;
        },
        20000,
        '50 tasks',
      );
      expect(tasks.map((t) => t.chainTaskId)).toEqual(deal.taskIds);
      expect(tasks.map((t) => t.taskIndex)).toEqual([...Array(50).keys()]);
      const view = await chain.fixtures.viewDeal(deal.dealId);
      const start = Number(view.startTime) * 1000;
      for (const task of tasks) {
        expect(task).toMatchObject({
          chainDealId: deal.dealId,
          dealBlockNumber: Number(deal.blockNumber),
          trust: 3,
          tag: `0x${'0'.repeat(64)}`,
          dappType: 'DOCKER',
          commandLine: 'hello world',
          maxExecutionTime: 1_200_000,
        });
        expect(task.dappName).toMatch(/^docker\.io\//);
        expect(task.contributionDeadline.getTime()).toBe(start + 7 * 1_200_000);
        expect(task.finalDeadline.getTime()).toBe(start + 10 * 1_200_000);
        expect(task.dateStatusList[0].status).toBe(TaskStatus.RECEIVED);
      }

      // Restart on the same database: the same blocks are read again, nothing is created twice.
      await scheduler.stop();
      const again = await startScheduler(chain, workerpool, {
        env: NO_WRITES,
        mongoUrl: scheduler.mongoUrl,
      });
      try {
        const replay = await fetch(`${again.baseUrl}/admin/deals/replay?fromBlock=0`, {
          method: 'POST',
        });
        expect(replay.status).toBe(404); // no admin token configured
        await new Promise((r) => setTimeout(r, 1500));
        expect(await countTasks(scheduler.mongoUrl)).toBe(50);
      } finally {
        await again.stop();
      }
      const operator = await startScheduler(chain, workerpool, {
        env: { ...NO_WRITES, IEXEC_CORE_ADMIN_TOKEN: 'op-secret-of-at-least-24-chars' },
        mongoUrl: scheduler.mongoUrl,
      });
      try {
        expect(
          (await fetch(`${operator.baseUrl}/admin/deals/replay?fromBlock=0`, { method: 'POST' }))
            .status,
        ).toBe(401);
        const replay = await fetch(`${operator.baseUrl}/admin/deals/replay?fromBlock=0`, {
          method: 'POST',
          headers: { authorization: 'Bearer op-secret-of-at-least-24-chars' },
        });
        expect(replay.status).toBe(202);
        expect((await jsonOf(replay)).fromBlock).toBe(0);
        const aboveHead = await fetch(
          `${operator.baseUrl}/admin/deals/replay?fromBlock=999999999999`,
          { method: 'POST', headers: { authorization: 'Bearer op-secret-of-at-least-24-chars' } },
        );
        expect(aboveHead.status).toBe(400);
        expect(JSON.stringify(await jsonOf(aboveHead))).toContain(
          'fromBlock 999999999999 is above the chain head',
        );
        const metrics = operator.get(
          (await import('../../../src/deal-watcher/deal-watcher-metrics.js')).DealWatcherMetrics,
        );
        await eventually(() => metrics.dealsCount >= 1, 10000, 'the replayed deal to be read');
        expect(await countTasks(scheduler.mongoUrl)).toBe(50);
      } finally {
        await operator.stop();
      }
    } finally {
      await scheduler.close();
    }
  });

  it('picks up deals matched while stopped, across a backlog of more than 1000 blocks', async () => {
    const workerpool = await chain.fixtures.createWorkerpool();
    const first = await startScheduler(chain, workerpool, { env: NO_WRITES });
    const mongoUrl = first.mongoUrl;
    await first.stop();
    try {
      const dealA = await chain.fixtures.createDeal({ workerpool, volume: 2 });
      await chain.control.mine(1500);
      const dealB = await chain.fixtures.createDeal({ workerpool, volume: 3 });
      const scheduler = await startScheduler(chain, workerpool, { env: NO_WRITES, mongoUrl });
      try {
        await eventually(
          async () =>
            (await tasksOf(scheduler, dealA.dealId)).length === 2 &&
            (await tasksOf(scheduler, dealB.dealId)).length === 3,
          20000,
          'both deals',
        );
      } finally {
        await scheduler.stop();
      }
    } finally {
      await dropDatabase(mongoUrl);
    }
  });

  it('lets the stored cursor win over IEXEC_START_BLOCK_NUMBER until the configuration document is deleted', async () => {
    const workerpool = await chain.fixtures.createWorkerpool();
    const old = await chain.fixtures.createDeal({ workerpool, volume: 1 });
    const after = Number(old.blockNumber) + 1;
    const mongoUrl = isolatedMongoUrl('startblock');
    try {
      const recent = await chain.fixtures.createDeal({ workerpool, volume: 1 });
      let scheduler = await startScheduler(chain, workerpool, {
        env: { ...NO_WRITES, IEXEC_START_BLOCK_NUMBER: String(after) },
        mongoUrl,
      });
      await eventually(
        async () => (await tasksOf(scheduler, recent.dealId)).length === 1,
        15000,
        'the recent deal',
      );
      expect(await tasksOf(scheduler, old.dealId)).toHaveLength(0);
      await scheduler.stop();

      // A lower start block has no effect: the stored cursor wins.
      scheduler = await startScheduler(chain, workerpool, {
        env: { ...NO_WRITES, IEXEC_START_BLOCK_NUMBER: '0' },
        mongoUrl,
      });
      await new Promise((r) => setTimeout(r, 1500));
      expect(await tasksOf(scheduler, old.dealId)).toHaveLength(0);
      await scheduler.stop();

      // Deleting the document makes the variable apply again.
      const client = new mongo.MongoClient(mongoUrl);
      await client.db().collection('configuration').deleteMany({});
      await client.close();
      scheduler = await startScheduler(chain, workerpool, {
        env: { ...NO_WRITES, IEXEC_START_BLOCK_NUMBER: '0' },
        mongoUrl,
      });
      await eventually(
        async () => (await tasksOf(scheduler, old.dealId)).length === 1,
        15000,
        'the old deal',
      );
      await scheduler.stop();
    } finally {
      await dropDatabase(mongoUrl);
    }
  });

  it('holds a deal back until it is buried under the confirmation depth', async () => {
    const workerpool = await chain.fixtures.createWorkerpool();
    const scheduler = await startScheduler(chain, workerpool, {
      env: { ...NO_WRITES, IEXEC_DEAL_CONFIRMATION_BLOCKS: '5' },
    });
    try {
      const deal = await chain.fixtures.createDeal({ workerpool, volume: 1 });
      await chain.control.mine(4);
      await new Promise((r) => setTimeout(r, 1000));
      expect(await tasksOf(scheduler, deal.dealId)).toHaveLength(0);
      await chain.control.mine(1);
      await eventually(
        async () => (await tasksOf(scheduler, deal.dealId)).length === 1,
        10000,
        'the confirmed deal',
      );
    } finally {
      await scheduler.close();
    }
  });

  it('ignores deals of other workerpools and skips invalid deals without stopping', async () => {
    const workerpool = await chain.fixtures.createWorkerpool();
    const other = await chain.fixtures.createWorkerpool();
    const scheduler = await startScheduler(chain, workerpool, { env: NO_WRITES });
    try {
      const foreign = await chain.fixtures.createDeal({ workerpool: other, volume: 1 });
      const teeTrust3 = await chain.fixtures.createDeal({
        workerpool,
        volume: 1,
        tag: 3,
        trust: 3,
      });
      const good = await chain.fixtures.createDeal({ workerpool, volume: 2 });
      await eventually(
        async () => (await tasksOf(scheduler, good.dealId)).length === 2,
        10000,
        'the good deal',
      );
      expect(await tasksOf(scheduler, foreign.dealId)).toHaveLength(0);
      expect(await tasksOf(scheduler, teeTrust3.dealId)).toHaveLength(0);
    } finally {
      await scheduler.close();
    }
  });
});
