import { mongo } from 'mongoose';
import { NRLC_PER_RLC } from '../../../devstack/poco/deployment.js';
import { TaskRepository } from '../../../src/task/task.repository.js';
import { jsonOf } from '../../support/app.js';
import { isolateChainPerFile, testChain } from '../../support/chain.js';
import { eventually, RunningScheduler, startScheduler } from '../../support/scheduler.js';

// Unreadable ("poison") deals against the real chain and Mongo-wire server. Anyone can match the
// pool's public orders with an app of their own: here an app whose enclave configuration
// (m_appMREnclave) is not JSON, so the deal's app cannot be decoded, ever. The adapter URL points
// nowhere, so tasks stay RECEIVED: these tests look at ingestion only.
const TOKEN = 'op-secret-of-at-least-24-chars';
const ENV = {
  IEXEC_CHAIN_WRITER: 'adapter',
  IEXEC_CORE_CHAIN_ADAPTER_URL: 'http://127.0.0.1:9',
  IEXEC_CORE_ADMIN_TOKEN: TOKEN,
  IEXEC_CORE_MANAGEMENT_ACTUATORS: 'health,info,prometheus',
};
const auth = { authorization: `Bearer ${TOKEN}` };

const chain = testChain();
isolateChainPerFile(chain);

function admin(scheduler: RunningScheduler, path: string, method = 'GET') {
  return fetch(`${scheduler.baseUrl}/admin/deals/${path}`, { method, headers: auth });
}

async function skippedTotal(scheduler: RunningScheduler): Promise<number> {
  const text = await (await fetch(`${scheduler.baseUrl}/actuator/prometheus`)).text();
  const line = text.split('\n').find((l) => l.startsWith('iexec_core_deals_skipped_total '));
  return Number(line?.split(' ')[1]);
}

describe('poison deals', () => {
  it('skips an unreadable deal after its attempts without delaying a good deal of the same block', async () => {
    const { fixtures, roles } = chain;
    const workerpool = await fixtures.createWorkerpool();
    const scheduler = await startScheduler(chain, workerpool, { env: ENV });
    try {
      const poisonApp = await fixtures.createApp({ mrenclave: 'not json {' });
      const poisonOrders = await fixtures.prepareDeal({ workerpool, app: poisonApp, fund: false });
      const goodOrders = await fixtures.prepareDeal({ workerpool, volume: 2, fund: false });
      await fixtures.ensureStake(roles.requester, 20n * NRLC_PER_RLC);
      await fixtures.ensureStake(roles.scheduler, 5n * NRLC_PER_RLC);
      const [poison, good] = await fixtures.matchOrdersInOneBlock([poisonOrders, goodOrders]);
      const mined = Date.now();
      expect(poison.blockNumber).toBe(good.blockNumber);

      const tasks = scheduler.get(TaskRepository);
      await eventually(
        async () => (await tasks.findByDeal(good.dealId)).length === 2,
        10000,
        'the good deal',
      );
      console.log(`good deal's tasks ${Date.now() - mined} ms after its block`);

      const listed = await eventually(
        async () => {
          const list = (await jsonOf(await admin(scheduler, 'skipped'))) as {
            chainDealId: string;
          }[];
          return list.length > 0 ? list : undefined;
        },
        30000,
        'the poison deal to be skipped',
      );
      expect(listed).toEqual([
        {
          chainDealId: poison.dealId.toLowerCase(),
          dealBlockNumber: Number(poison.blockNumber),
          reason: expect.stringContaining('could not be read'),
          attempts: 5,
          skippedAt: expect.any(String),
        },
      ]);
      expect(await tasks.findByDeal(poison.dealId)).toHaveLength(0);
      expect(await skippedTotal(scheduler)).toBe(1);
      console.log(`poison deal skipped ${Date.now() - mined} ms after its block`);

      // The operator retry: fresh attempts; the deal is skipped again (it stays unreadable).
      expect((await admin(scheduler, `skipped/0x${'0'.repeat(64)}/retry`, 'POST')).status).toBe(
        404,
      );
      expect((await admin(scheduler, 'skipped/0x1234/retry', 'POST')).status).toBe(400);
      expect((await admin(scheduler, `skipped/${poison.dealId}/retry`, 'POST')).status).toBe(202);
      await eventually(async () => (await skippedTotal(scheduler)) === 2, 30000, 'a second skip');
      expect((await jsonOf(await admin(scheduler, 'skipped'))) as unknown[]).toHaveLength(1);

      // The cursor went past the poison block (written at shutdown).
      await scheduler.stop();
      const client = new mongo.MongoClient(scheduler.mongoUrl);
      try {
        const cursor = await client.db().collection('configuration').findOne();
        expect(BigInt(cursor!.lastSeenBlockWithDeal as string)).toBeGreaterThan(poison.blockNumber);
        expect(await client.db().collection('skippedDeal').countDocuments()).toBe(1);
      } finally {
        await client.close();
      }
    } finally {
      await scheduler.close(); // stop is idempotent
    }
  }, 90000);

  it('refuses a replay from a block that is not a Java long in the safe range, with a 400 naming fromBlock', async () => {
    const scheduler = await startScheduler(chain, await chain.fixtures.createWorkerpool(), {
      env: ENV,
    });
    try {
      for (const fromBlock of ['9007199254740993', '1e3', '1.5', '-1', '', 'twelve']) {
        const res = await admin(scheduler, `replay?fromBlock=${fromBlock}`, 'POST');
        expect([fromBlock, res.status]).toEqual([fromBlock, 400]);
        expect(JSON.stringify(await jsonOf(res))).toContain('fromBlock');
      }
      // Spring's `long` conversion: blanks around and hexadecimal are block numbers.
      const replay = await admin(scheduler, 'replay?fromBlock=%200x10%20', 'POST');
      expect(replay.status).toBe(202);
      expect((await jsonOf(replay)).fromBlock).toBe(16);
    } finally {
      await scheduler.close();
    }
  });
});
