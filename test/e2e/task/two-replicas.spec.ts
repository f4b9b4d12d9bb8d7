import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mongo } from 'mongoose';
import { workerAccount } from '../../../devstack/chain/accounts.js';
import { startReadyForwarder, type ReadyForwarder } from '../../../devstack/ready-forwarder.js';
import { startServiceStandIns, type ServiceStandIns } from '../../../devstack/services/index.js';
import { WorkerFleet } from '../../../devstack/worker/fleet.js';
import { writeSchedulerWallet } from '../../../devstack/wallet.js';
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

// Two built schedulers (dist/main.js) on one database and chain behind the readiness-aware
// forwarder (devstack/ready-forwarder.ts), 5 workers, a 30-task deal; the leader is SIGKILLed 3
// times at random moments and restarted as the standby once the other leads (issue 17 §2).
// Every task completes with exactly one initialize and one finalize, and no worker holds two
// replicates of one task.
const chain = testChain();
isolateChainPerFile(chain);

const VOLUME = 30;
const LEASE = '2s';

describe('two scheduler replicas, the leader killed 3 times', () => {
  let services: ServiceStandIns;
  let fleet: WorkerFleet | undefined;
  let forwarder: ReadyForwarder | undefined;
  // every process started, in order; a port's live replica is its last one
  const spawned: { port: number; process: SchedulerProcess }[] = [];
  const replicaOn = (port: number) => [...spawned].reverse().find((s) => s.port === port)!.process;
  const mongoUrl = isolatedMongoUrl('replicas');
  const dir = mkdtempSync(join(tmpdir(), 'iexec-replicas-'));

  afterAll(async () => {
    await fleet?.stop();
    for (const { process } of spawned) process.child.kill('SIGKILL');
    await forwarder?.stop();
    await services?.stop();
    await dropDatabase(mongoUrl);
  });

  it('finishes 30/30 tasks, one initialize and one finalize each', async () => {
    services = await startServiceStandIns({
      deployment: chain.deployment,
      freePorts: true,
      blockTime: 1,
    });
    const workerpool = await chain.fixtures.createWorkerpool();
    const wallet = writeSchedulerWallet(join(dir, 'scheduler.json'));
    const ports = [await freePort(), await freePort()];
    const base = (port: number) => `http://127.0.0.1:${port}`;
    const start = (port: number) => {
      const process = spawnScheduler(
        builtSchedulerEnv(chain, workerpool, wallet, {
          MONGO_URL: mongoUrl,
          IEXEC_CORE_PORT: String(port),
          IEXEC_CORE_LEASE_DURATION: LEASE,
          ...standInSchedulerEnv(services),
        }),
      );
      spawned.push({ port, process });
    };
    const ready = async (port: number) =>
      (await fetch(`${base(port)}/actuator/health/readiness`).catch(() => undefined))?.status ===
      200;
    const leaderPort = async () => {
      for (const port of ports) if (await ready(port)) return port;
      return undefined;
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
    const completed = async () => (await statuses()).filter((s) => s === 'COMPLETED').length;

    start(ports[0]);
    await waitForStatus(`${base(ports[0])}/actuator/health`, 200, 20000);
    start(ports[1]);
    await waitForStatus(`${base(ports[1])}/actuator/health/liveness`, 200, 20000);
    forwarder = await startReadyForwarder({ replicas: ports.map(base), checkEveryMs: 100 });
    expect(forwarder.current()).toBe(base(ports[0]));
    const fromBlock = await chain.clients.publicClient.getBlockNumber();
    const t0 = Date.now();

    fleet = new WorkerFleet({
      schedulerUrl: forwarder.url,
      deployment: chain.deployment,
      resultProxyUrl: services.resultProxy.url,
      stake: 100_000_000_000n,
      staggerMs: 10,
      worker: { pingIntervalMs: 1000, cpuNb: 4 },
    });
    await fleet.start(5);
    const workers = Array.from({ length: 5 }, (_, i) => workerAccount(i));
    const deal = await chain.fixtures.createDeal({ workerpool, volume: VOLUME, trust: 1, workers });

    // Kill moments: random numbers of completed tasks in three bands (the first may be 0: while
    // tasks are still being initialized), plus a random delay.
    const bands = [
      [0, 4],
      [9, 14],
      [19, 24],
    ];
    const takeovers: number[] = [];
    for (const [low, high] of bands) {
      const at = low + Math.floor(Math.random() * (high - low + 1));
      await eventually(async () => (await completed()) >= at, 120000, `${at} tasks completed`);
      await new Promise((r) => setTimeout(r, Math.random() * 1000));
      const killed = await eventually(leaderPort, 20000, 'a leader');
      const survivor = ports.find((p) => p !== killed)!;
      replicaOn(killed).child.kill('SIGKILL');
      await replicaOn(killed).exited;
      const killedAt = performance.now();
      await waitForStatus(`${base(survivor)}/actuator/health/readiness`, 200, 20000);
      const takeoverMs = Math.round(performance.now() - killedAt);
      takeovers.push(takeoverMs);
      console.log(
        `leader :${killed} SIGKILLed after ${at} completed (${Date.now() - t0} ms): :${survivor} ready in ${takeoverMs} ms`,
      );
      start(killed); // back as the standby
      await waitForStatus(`${base(killed)}/actuator/health/liveness`, 200, 20000);
    }

    await eventually(
      async () => {
        const all = await statuses();
        return all.length === VOLUME && all.every((s) => s === 'COMPLETED');
      },
      120000,
      'every task COMPLETED',
    ).catch(async (error: Error) => {
      throw new Error(`${error.message}\n${await stalled(mongoUrl, spawned)}`);
    });
    console.log(
      `two replicas: ${VOLUME}/${VOLUME} COMPLETED in ${Date.now() - t0} ms; takeovers ${takeovers.join(', ')} ms (lease ${LEASE})`,
    );
    for (const t of takeovers) expect(t).toBeLessThan(10000);
    for (const taskId of deal.taskIds)
      expect((await chain.fixtures.viewTask(taskId)).status).toBe(3);

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

    // No worker holds two replicates of one task.
    const client = new mongo.MongoClient(mongoUrl);
    try {
      const lists = await client.db().collection('replicatesList').find().toArray();
      expect(lists).toHaveLength(VOLUME);
      for (const list of lists) {
        const wallets = (list.replicates as { walletAddress: string }[]).map((r) =>
          r.walletAddress.toLowerCase(),
        );
        expect(new Set(wallets).size).toBe(wallets.length);
      }
    } finally {
      await client.close();
    }
  }, 300000);
});

/** What a stalled run leaves to read: the unfinished tasks, their replicates, each process' log. */
async function stalled(
  mongoUrl: string,
  spawned: { port: number; process: SchedulerProcess }[],
): Promise<string> {
  const client = new mongo.MongoClient(mongoUrl);
  try {
    const db = client.db();
    const tasks = await db
      .collection('task')
      .find({ currentStatus: { $ne: 'COMPLETED' } })
      .toArray();
    const lines = [];
    for (const task of tasks) {
      const list = await db.collection('replicatesList').findOne({ chainTaskId: task.chainTaskId });
      const replicates = (
        (list?.replicates ?? []) as {
          walletAddress: string;
          statusUpdateList: { status: string }[];
        }[]
      )
        .map(
          (r) =>
            `${r.walletAddress.slice(0, 8)}:${r.statusUpdateList.map((u) => u.status).join('>')}`,
        )
        .join(' | ');
      const history = (task.dateStatusList as { status: string }[]).map((s) => s.status).join('>');
      lines.push(`task ${task.chainTaskId}: ${history}; replicates ${replicates}`);
    }
    for (const { port, process } of spawned)
      lines.push(
        `--- scheduler :${port} (exit ${process.child.exitCode ?? 'running'})\n${process.output().slice(-6000)}`,
      );
    return lines.join('\n');
  } finally {
    await client.close();
  }
}
