import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReplicateStatus } from '../../../src/replicate/replicate-status.js';
import { SUCCESS_STATUSES } from '../../../src/replicate/replicate-workflow.js';
import { mongo } from 'mongoose';
import { workerAccount } from '../../../devstack/chain/accounts.js';
import { startServiceStandIns, type ServiceStandIns } from '../../../devstack/services/index.js';
import { WorkerFleet } from '../../../devstack/worker/fleet.js';
import { writeSchedulerWallet } from '../../../devstack/wallet.js';
import { freePort } from '../../setup/mongo-server.js';
import { isolateChainPerFile, testChain } from '../../support/chain.js';
import { dropDatabase, isolatedMongoUrl } from '../../support/mongo.js';
import {
  builtSchedulerEnv,
  standInSchedulerEnv,
  SchedulerProcess,
  spawnScheduler,
  waitForStatus,
} from '../../support/process.js';

// The built scheduler (dist/main.js) stopped with SIGTERM while 5 workers run a 12-task deal:
// it exits 0 within IEXEC_SHUTDOWN_TIMEOUT and every status a worker got an answer for is in
// the database afterwards (the deferred progress statuses flushed, nothing accepted after).
// Its output is JSON lines, one object each, without ANSI colours.
const chain = testChain();
isolateChainPerFile(chain);

const VOLUME = 12;
const DEADLINE_MS = 20_000;
// the progress statuses a worker reports before COMPUTED (the deferred ones)
const PROGRESS: readonly string[] = SUCCESS_STATUSES.slice(
  SUCCESS_STATUSES.indexOf(ReplicateStatus.STARTING),
  SUCCESS_STATUSES.indexOf(ReplicateStatus.COMPUTED),
);

interface Acked {
  chainTaskId: string;
  wallet: string;
  status: string;
  at: number;
}

describe('a scheduler stopped with SIGTERM under load', () => {
  let services: ServiceStandIns;
  let fleet: WorkerFleet | undefined;
  let scheduler: SchedulerProcess | undefined;
  const mongoUrl = isolatedMongoUrl('sigterm');
  const dir = mkdtempSync(join(tmpdir(), 'iexec-sigterm-'));

  afterAll(async () => {
    await fleet?.stop();
    scheduler?.child.kill('SIGKILL');
    await services?.stop();
    await dropDatabase(mongoUrl);
  });

  it('exits 0 within its deadline and loses no acknowledged status', async () => {
    services = await startServiceStandIns({
      deployment: chain.deployment,
      freePorts: true,
      blockTime: 1,
    });
    const workerpool = await chain.fixtures.createWorkerpool();
    const wallet = writeSchedulerWallet(join(dir, 'scheduler.json'));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    scheduler = spawnScheduler(
      builtSchedulerEnv(chain, workerpool, wallet, {
        MONGO_URL: mongoUrl,
        IEXEC_CORE_PORT: String(port),
        ...standInSchedulerEnv(services),
        IEXEC_LOG_LEVEL: 'INFO',
        IEXEC_SHUTDOWN_TIMEOUT: `${DEADLINE_MS}ms`,
      }),
    );
    await waitForStatus(`${base}/actuator/health/readiness`, 200, 20000);
    expect((await fetch(`${base}/actuator/health/liveness`)).status).toBe(200);

    fleet = new WorkerFleet({
      schedulerUrl: base,
      deployment: chain.deployment,
      resultProxyUrl: services.resultProxy.url,
      stake: 100_000_000_000n,
      staggerMs: 10,
      worker: { pingIntervalMs: 500, cpuNb: 4 },
    });
    const acked: Acked[] = [];
    // SIGTERM right after a progress status was acknowledged: that one is still a deferred
    // write (DEFERRED_WRITE_MS), saved only by the shutdown's flush.
    let stopped = 0;
    await fleet.start(5);
    const sigterm = new Promise<void>((resolve) => {
      for (const worker of fleet!.workers)
        worker.on('status', (e: { chainTaskId: string; status: string; answer?: unknown }) => {
          if (!e.answer) return;
          acked.push({
            chainTaskId: e.chainTaskId,
            wallet: worker.wallet,
            status: e.status,
            at: Date.now(),
          });
          if (!stopped && acked.length >= 20 && PROGRESS.includes(e.status)) {
            stopped = Date.now();
            scheduler!.child.kill('SIGTERM');
            resolve();
          }
        });
    });
    const workers = Array.from({ length: 5 }, (_, i) => workerAccount(i));
    await chain.fixtures.createDeal({ workerpool, volume: VOLUME, trust: 1, workers });
    await Promise.race([
      sigterm,
      new Promise((_, reject) =>
        setTimeout(
          () => reject(new Error('no progress status acknowledged after 20')),
          120_000,
        ).unref(),
      ),
    ]);
    const code = await scheduler.exited;
    const exitedAt = Date.now();
    await fleet.stop();
    fleet = undefined;
    expect(code).toBe(0);
    expect(exitedAt - stopped).toBeLessThan(DEADLINE_MS);

    const client = new mongo.MongoClient(mongoUrl);
    try {
      const lists = await client.db().collection('replicatesList').find().toArray();
      const stored = new Set<string>();
      for (const list of lists)
        for (const r of list.replicates as {
          walletAddress: string;
          statusUpdateList: { status: string }[];
        }[])
          for (const u of r.statusUpdateList)
            stored.add(`${list.chainTaskId} ${r.walletAddress.toLowerCase()} ${u.status}`);
      const answered = acked;
      const lost = answered.filter(
        (a) => !stored.has(`${a.chainTaskId} ${a.wallet.toLowerCase()} ${a.status}`),
      );
      if (process.env.IEXEC_TEST_VERBOSE)
        console.log(`${answered.length} acknowledged statuses, shutdown ${exitedAt - stopped} ms`);
      expect(answered.length).toBeGreaterThanOrEqual(20);
      expect(lost).toEqual([]);
    } finally {
      await client.close();
    }

    // Production output: one JSON object per line, no colours, fields on the lines about one task.
    const lines = scheduler
      .output()
      .split('\n')
      .filter((l) => l.trim() !== '');
    expect(scheduler.output()).not.toContain('\u001b[');
    // Node's own process warnings go to stderr in its format, not through the logger.
    const notJson = lines.filter((l) => !l.startsWith('{'));
    if (notJson.length > 0) console.log('not JSON:', notJson.join('\n'));
    expect(notJson.filter((l) => !/^\(node:\d+\) |^\(Use `node --trace-/.test(l))).toEqual([]);
    const records = lines
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const r of records)
      expect(Object.keys(r).slice(0, 3)).toEqual(['time', 'level', 'message']);
    expect(
      records.some((r) => typeof r.chainTaskId === 'string' && r.context === 'TaskStateWriter'),
    ).toBe(true);
    expect(records.some((r) => String(r.message).startsWith('SIGTERM received'))).toBe(true);
  }, 240_000);
});
