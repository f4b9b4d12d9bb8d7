// Scheduler restarts as workers see them (worker-api.md §2.3, §3.3, §12 item 12) and the
// lost-worker detector (§3.3, §14 item 10), against a real scheduler on the dev chain.
//
// Liveness is in memory (last ping < 60 s: alive, > 60 s: lost; the window is fixed) and is
// written to `worker.lastAliveDate` in batches and in full at shutdown. At boot it is reloaded with the
// downtime taken out: every persisted time moves forward by (boot − most recent persisted ping).
// So the state "worker L stopped pinging 70 s before worker K's last ping" is written for real,
// while the scheduler is down, and the next scheduler takes it from there: no clock is faked,
// no production code is bent, and the detector runs as in production (every second here).
import { mongo } from 'mongoose';
import { slow } from '../../../devstack/worker/behaviours.js';
import { ReplicateStatus as S } from '../../../src/replicate/replicate-status.js';
import { ReplicatesListRepository } from '../../../src/replicate/replicates-list.repository.js';
import { TaskStatus } from '../../../src/task/task-status.js';
import { isolateChainPerFile, testChain } from '../../support/chain.js';
import {
  latestBlock,
  ProtocolWorker,
  replicateOfNewDeal,
  sleep,
} from '../../support/protocol-worker.js';
import { eventually } from '../../support/scheduler.js';
import { startStack, Stack } from '../../support/stack.js';

const chain = testChain();
isolateChainPerFile(chain);

/** Rewrites `lastAliveDate` of the `worker` documents (the scheduler being stopped). */
async function rewriteLastAlive(
  mongoUrl: string,
  change: (wallet: string, date: Date) => Date,
): Promise<void> {
  const client = new mongo.MongoClient(mongoUrl);
  try {
    await client.connect();
    const workers = client.db().collection('worker');
    for (const doc of await workers.find({}).toArray()) {
      if (!(doc.lastAliveDate instanceof Date)) continue;
      await workers.updateOne(
        { _id: doc._id },
        { $set: { lastAliveDate: change(doc.walletAddress as string, doc.lastAliveDate) } },
      );
    }
  } finally {
    await client.close();
  }
}

describe('scheduler restart and lost workers', () => {
  let stack: Stack;
  const replicatesOf = async (taskId: string) =>
    (await stack.scheduler.get(ReplicatesListRepository).findByChainTaskId(taskId))!.replicates;

  beforeAll(async () => {
    stack = await startStack(chain);
  });
  afterEach(async () => {
    await stack.fleet?.stop();
    stack.fleet = undefined;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('a restart (even after 70 s down) logs nobody out, loses nobody, and the task in flight completes', async () => {
    const raw = await ProtocolWorker.start(stack.scheduler, 1);
    const fingerprint = await (await raw.client.ping(raw.token)).text();
    // Each step of the simulated worker takes 150 ms: the restart falls between two of its calls.
    const fleet = await stack.startWorkers(1, { behaviour: () => slow(150) });
    const worker = fleet.worker(0);
    let restarted = false;
    worker.on('restarting', () => (restarted = true));
    const deal = await chain.fixtures.createDeal({
      workerpool: stack.workerpool,
      workers: stack.workers(1),
    });
    const taskId = deal.taskIds[0];
    await worker.waitForStatus(taskId, S.COMPUTING, 20000);

    // As if the scheduler had been down 70 s: every persisted ping 70 s older.
    await stack.restartScheduler(() =>
      rewriteLastAlive(stack.scheduler.mongoUrl, (_, date) => new Date(date.getTime() - 70_000)),
    );

    // The same token still works: no 401, no new login.
    const ping = await raw.client.ping(raw.token);
    expect(ping.status).toBe(200);
    expect(await ping.text()).toBe(fingerprint);
    expect((await raw.available(await latestBlock(chain))).status).toBe(204);

    const [task] = await stack.waitForDeal(deal.dealId, 40000);
    expect(task.currentStatus).toBe(TaskStatus.COMPLETED);
    await worker.waitForStatus(taskId, S.COMPLETED, 15000);
    await sleep(1200); // more lost-worker scans
    const [replicate] = await replicatesOf(taskId);
    const statuses = replicate.statusUpdateList.map((u) => u.status);
    expect(statuses).not.toContain(S.WORKER_LOST);
    expect(statuses).not.toContain(S.RECOVERING);
    expect(statuses.at(-1)).toBe(S.COMPLETED);
    expect(fleet.snapshot().endpoints['W2 login'].calls).toBe(1);
    expect(restarted).toBe(false);
  }, 90000);

  it('a worker silent for more than a minute gets WORKER_LOST on its active replicate, once, and may come back', async () => {
    const lost = await ProtocolWorker.start(stack.scheduler, 2);
    const alive = await ProtocolWorker.start(stack.scheduler, 3);
    const taskId = await replicateOfNewDeal(chain, stack.scheduler, stack.workerpool, lost);
    expect((await lost.report(taskId, S.STARTING)).status).toBe(200);
    await sleep(1200); // still alive: no WORKER_LOST
    expect((await replicatesOf(taskId))[0].statusUpdateList.map((u) => u.status)).toEqual([
      S.CREATED,
      S.STARTING,
    ]);

    expect((await alive.client.ping(alive.token)).status).toBe(200);
    await stack.restartScheduler(async () => {
      let aliveAt = 0;
      await rewriteLastAlive(stack.scheduler.mongoUrl, (wallet, date) => {
        if (wallet === alive.wallet) aliveAt = date.getTime();
        return date;
      });
      expect(aliveAt).toBeGreaterThan(0);
      await rewriteLastAlive(stack.scheduler.mongoUrl, (wallet, date) =>
        wallet === lost.wallet ? new Date(aliveAt - 70_000) : date,
      );
    });

    const marked = await eventually(async () => {
      const [replicate] = await replicatesOf(taskId);
      return replicate.statusUpdateList.at(-1)?.status === S.WORKER_LOST ? replicate : undefined;
    }, 10000);
    expect(marked.statusUpdateList.at(-1)!.modifier).toBe('POOL_MANAGER');
    await sleep(1200); // more scans: never twice
    const after = (await replicatesOf(taskId))[0].statusUpdateList.map((u) => u.status);
    expect(after).toEqual([S.CREATED, S.STARTING, S.WORKER_LOST]);
    // The alive worker was not touched; the lost one simply carries on.
    expect((await lost.client.ping(lost.token)).status).toBe(200);
    const back = await lost.report(taskId, S.STARTED);
    expect([back.status, back.text]).toEqual([200, '"PLEASE_DOWNLOAD_APP"']);
  }, 60000);
});
