import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workerAccount } from '../../../devstack/chain/accounts.js';
import { startServiceStandIns, type ServiceStandIns } from '../../../devstack/services/index.js';
import { WorkerFleet } from '../../../devstack/worker/fleet.js';
import { writeSchedulerWallet } from '../../../devstack/wallet.js';
import { mongo } from 'mongoose';
import { freePort } from '../../setup/mongo-server.js';
import { isolateChainPerFile, testChain } from '../../support/chain.js';
import { hubCallsFrom } from '../../support/chain-txs.js';
import { dropDatabase, isolatedMongoUrl } from '../../support/mongo.js';
import {
  builtSchedulerEnv,
  standInSchedulerEnv,
  SchedulerProcess,
  spawnScheduler,
  waitForStatus,
} from '../../support/process.js';
import { eventually } from '../../support/scheduler.js';

// The built scheduler (dist/main.js) killed with SIGKILL at several points of a 20-task run and
// restarted on the same database: every task completes, and the scheduler wallet sends exactly
// one initialize and one finalize per task (no transaction repeated or wasted).
const chain = testChain();
isolateChainPerFile(chain);

const VOLUME = 20;

describe('a scheduler killed and restarted mid-run', () => {
  let services: ServiceStandIns;
  let fleet: WorkerFleet | undefined;
  let scheduler: SchedulerProcess | undefined;
  const mongoUrl = isolatedMongoUrl('crash');
  const dir = mkdtempSync(join(tmpdir(), 'iexec-crash-'));

  afterAll(async () => {
    await fleet?.stop();
    scheduler?.child.kill('SIGKILL');
    await services?.stop();
    await dropDatabase(mongoUrl);
  });

  it('finishes every task with one initialize and one finalize each', async () => {
    services = await startServiceStandIns({
      deployment: chain.deployment,
      freePorts: true,
      blockTime: 1,
    });
    const workerpool = await chain.fixtures.createWorkerpool();
    const wallet = writeSchedulerWallet(join(dir, 'scheduler.json'));
    const port = await freePort();
    const env: Record<string, string> = builtSchedulerEnv(chain, workerpool, wallet, {
      MONGO_URL: mongoUrl,
      IEXEC_CORE_PORT: String(port),
      ...standInSchedulerEnv(services),
    });
    const start = async () => {
      scheduler = spawnScheduler(env);
      await waitForStatus(`http://127.0.0.1:${port}/actuator/health`, 200, 20000);
    };
    const kill = async () => {
      scheduler!.child.kill('SIGKILL');
      await scheduler!.exited;
    };
    const statuses = async (): Promise<string[]> => {
      const client = new mongo.MongoClient(mongoUrl);
      try {
        const docs = await client
          .db()
          .collection('task')
          .find({}, { projection: { currentStatus: 1 } })
          .toArray();
        return docs.map((d) => String(d.currentStatus));
      } finally {
        await client.close();
      }
    };
    const fromBlock = await chain.clients.publicClient.getBlockNumber();

    const t0 = Date.now();
    const lap = (what: string) =>
      process.env.IEXEC_TEST_VERBOSE && console.log(`${what} at ${Date.now() - t0} ms`);
    await start();
    fleet = new WorkerFleet({
      schedulerUrl: `http://127.0.0.1:${port}`,
      deployment: chain.deployment,
      resultProxyUrl: services.resultProxy.url,
      stake: 100_000_000_000n,
      staggerMs: 10,
      worker: { pingIntervalMs: 1000, cpuNb: 4 },
    });
    await fleet.start(5);
    const workers = Array.from({ length: 5 }, (_, i) => workerAccount(i));
    const deal = await chain.fixtures.createDeal({ workerpool, volume: VOLUME, trust: 1, workers });

    // 1. while tasks are being initialized
    await eventually(
      async () => (await statuses()).some((s) => s !== 'RECEIVED'),
      20000,
      'initialization started',
    );
    lap('kill 1');
    await kill();
    await start();
    // 2. in the middle of the run
    await eventually(
      async () => (await statuses()).filter((s) => s === 'COMPLETED').length >= 5,
      120000,
      '5 tasks completed',
    );
    lap('kill 2');
    await kill();
    await start();
    // 3. near the end
    await eventually(
      async () => (await statuses()).filter((s) => s === 'COMPLETED').length >= 14,
      120000,
      '14 tasks completed',
    );
    lap('kill 3');
    await kill();
    await start();
    lap('restarted');

    try {
      await eventually(
        async () => {
          const all = await statuses();
          return all.length === VOLUME && all.every((s) => s === 'COMPLETED');
        },
        120000,
        'every task COMPLETED',
      );
    } catch (error) {
      const client = new mongo.MongoClient(mongoUrl);
      const tasks = await client.db().collection('task').find().toArray();
      for (const t of tasks.filter((t) => t.currentStatus !== 'COMPLETED')) {
        const list = await client
          .db()
          .collection('replicatesList')
          .findOne({ chainTaskId: t.chainTaskId });
        console.log(
          'STUCK',
          t.chainTaskId,
          JSON.stringify(t.dateStatusList.map((d: { status: string }) => d.status)),
          JSON.stringify(
            list?.replicates.map(
              (r: { walletAddress: string; statusUpdateList: { status: string }[] }) => [
                r.walletAddress,
                r.statusUpdateList.map((u) => u.status),
              ],
            ),
          ),
          (await chain.fixtures.viewTask(t.chainTaskId)).status,
        );
      }
      await client.close();
      console.log('OUTPUT', scheduler!.output().slice(-4000));
      throw error;
    }
    lap('all completed');
    for (const taskId of deal.taskIds) {
      expect((await chain.fixtures.viewTask(taskId)).status).toBe(3);
    }

    // Every hub call the scheduler wallet sent since the start of the run (batches by task).
    const sent = (await hubCallsFrom(chain, chain.roles.scheduler.address, fromBlock)).map((c) => ({
      fn: c.functionName,
      taskOrDeal: String(c.args[0]),
      index: c.functionName === 'initialize' ? (c.args[1] as bigint) : undefined,
    }));
    const initializes = sent.filter((s) => s.fn === 'initialize');
    const finalizes = sent.filter((s) => s.fn === 'finalize');
    expect(initializes).toHaveLength(VOLUME);
    expect(new Set(initializes.map((s) => String(s.index))).size).toBe(VOLUME);
    expect(finalizes).toHaveLength(VOLUME);
    expect(new Set(finalizes.map((s) => s.taskOrDeal)).size).toBe(VOLUME);
  }, 480000);
});
