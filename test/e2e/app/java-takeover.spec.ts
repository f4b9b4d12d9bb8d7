import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mongo } from 'mongoose';
import { zeroAddress } from 'viem';
import { workerAccount } from '../../../devstack/chain/accounts.js';
import { startServiceStandIns, type ServiceStandIns } from '../../../devstack/services/index.js';
import { WorkerFleet } from '../../../devstack/worker/fleet.js';
import { HttpResultUploader } from '../../../devstack/worker/result-uploader.js';
import { writeSchedulerWallet } from '../../../devstack/wallet.js';
import { ReplicateStatus as S } from '../../../src/replicate/replicate-status.js';
import { TaskStatus as T } from '../../../src/task/task-status.js';
import { rewrites } from '../../fixtures/java-database/compare.js';
import { writeJavaDatabase } from '../../fixtures/java-database/documents.js';
import { indexesOf, JAVA_INDEXES } from '../../fixtures/java-database/indexes.js';
import { buildTakeover, type TakeoverTask } from '../../fixtures/java-database/scenario.js';
import { javaShapeProblems, JAVA_SHAPES } from '../../fixtures/java-database/shapes.js';
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
import { digestOf, ProtocolWorker, receiptOf } from '../../support/protocol-worker.js';
import { eventually } from '../../support/scheduler.js';

// The Java scheduler stopped on a live database (issue 17 §1): the built scheduler
// (dist/main.js) boots on it, brings every task where iexec-core 8.5 would, sends no
// transaction Java had already sent, and leaves documents Java reads back.
const chain = testChain();
isolateChainPerFile(chain);

const HAND = 5; // the worker of the Java-era replicates, driven by hand (no local result to recover)
const FLEET = 3;
type Doc = Record<string, unknown>;

describe('a database written by iexec-core 8.5', () => {
  let services: ServiceStandIns;
  let fleet: WorkerFleet | undefined;
  let scheduler: SchedulerProcess | undefined;
  let ping: NodeJS.Timeout | undefined;
  const mongoUrl = isolatedMongoUrl('java');
  const client = new mongo.MongoClient(mongoUrl, { promoteValues: false });
  const dir = mkdtempSync(join(tmpdir(), 'iexec-java-'));

  afterAll(async () => {
    clearInterval(ping);
    await fleet?.stop();
    scheduler?.child.kill('SIGKILL');
    await services?.stop();
    await client.close();
    await dropDatabase(mongoUrl);
  });

  const readAll = async (): Promise<Record<string, Doc[]>> => {
    const all: Record<string, Doc[]> = {};
    for (const c of Object.keys(JAVA_SHAPES)) {
      all[c] = (await client.db().collection(c).find().sort({ _id: 1 }).toArray()) as Doc[];
    }
    return all;
  };
  const taskDoc = (id: string) => client.db().collection('task').findOne({ chainTaskId: id });
  const replicateStatuses = async (id: string): Promise<string[]> => {
    const list = await client.db().collection('replicatesList').findOne({ chainTaskId: id });
    const updates = (list?.replicates?.[0]?.statusUpdateList ?? []) as { status: string }[];
    return updates.map((u) => u.status);
  };

  it('boots healthy, ends every task as Java would, repeats no transaction, stays Java-readable', async () => {
    services = await startServiceStandIns({
      deployment: chain.deployment,
      freePorts: true,
      blockTime: 1,
    });
    const workerpool = await chain.fixtures.createWorkerpool();
    const hand = workerAccount(HAND);
    const fleetAccounts = Array.from({ length: FLEET }, (_, i) => workerAccount(i));
    const takeover = await buildTakeover(chain, {
      workerpool,
      hand,
      fleet: fleetAccounts,
      resultProxyUrl: services.resultProxy.url,
    });
    await writeJavaDatabase(client.db(), takeover.database);
    const java = await readAll();
    // the fixture itself is what Java writes (so the checks below can tell a difference)
    for (const [c, docs] of Object.entries(java)) {
      for (const doc of docs) expect(javaShapeProblems(c, doc)).toEqual([]);
    }

    const fromBlock = await chain.clients.publicClient.getBlockNumber();
    const wallet = writeSchedulerWallet(join(dir, 'scheduler.json'));
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const t0 = Date.now();
    scheduler = spawnScheduler(
      builtSchedulerEnv(chain, workerpool, wallet, {
        MONGO_URL: mongoUrl,
        IEXEC_CORE_PORT: String(port),
        ...standInSchedulerEnv(services),
      }),
    );
    await waitForStatus(`${baseUrl}/actuator/health`, 200, 30000);
    const bootMs = Date.now() - t0;
    for (const c of Object.keys(JAVA_INDEXES)) {
      expect(await indexesOf(client.db(), c)).toEqual(
        [...JAVA_INDEXES[c]].sort((a, b) => a.name.localeCompare(b.name)),
      );
    }

    fleet = new WorkerFleet({
      schedulerUrl: baseUrl,
      deployment: chain.deployment,
      resultProxyUrl: services.resultProxy.url,
      stake: 100_000_000_000n,
      staggerMs: 10,
      worker: { pingIntervalMs: 1000, cpuNb: 4 },
    });
    await fleet.start(FLEET);
    const worker = await ProtocolWorker.start({ baseUrl }, HAND);
    ping = setInterval(() => void worker.client.ping(worker.token).catch(() => undefined), 1000);

    const dump = async () => {
      for (const t of takeover.tasks) {
        const doc = await taskDoc(t.chainTaskId);
        console.log(
          t.label,
          '→',
          String(doc?.currentStatus),
          await replicateStatuses(t.chainTaskId),
        );
      }
      console.log('OUTPUT', scheduler?.output().slice(-4000));
    };
    // The hand worker does what iexec-worker 8.5 would on its next notification.
    const finishByHand = async (task: TakeoverTask) => {
      const id = task.chainTaskId;
      const ok = (res: { status: number; text: string }, what: string) => {
        if (res.status !== 200 && res.status !== 208)
          throw new Error(`${what}: ${res.status} ${res.text}`);
      };
      if (task.stage === 'computed') {
        const sign = await chain.fixtures.authorize(hand.address, id);
        ok(await worker.report(id, S.CONTRIBUTING), 'CONTRIBUTING');
        const contribution = await chain.fixtures.contribute(hand, id, digestOf(id), sign);
        ok(await worker.report(id, S.CONTRIBUTED, receiptOf(contribution)), 'CONTRIBUTED');
      }
      if (task.stage === 'computed' || task.stage === 'contributed') {
        await eventually(
          async () => String((await taskDoc(id))?.currentStatus) === T.CONSENSUS_REACHED,
          60000,
          `${task.label}: consensus`,
        );
        const reveal = await chain.fixtures.reveal(hand, id, digestOf(id));
        ok(await worker.report(id, S.REVEALING), 'REVEALING');
        ok(await worker.report(id, S.REVEALED, receiptOf(reveal)), 'REVEALED');
      }
      await eventually(
        async () => (await replicateStatuses(id)).includes(S.RESULT_UPLOAD_REQUESTED),
        60000,
        `${task.label}: upload requested`,
      );
      const sign = await chain.fixtures.authorize(hand.address, id);
      const link = await new HttpResultUploader().upload(
        id,
        {
          chainTaskId: id,
          workerWallet: worker.wallet,
          enclaveChallenge: zeroAddress,
          signature: { value: sign },
        },
        new TextEncoder().encode(`result of ${id}`),
        {
          account: hand,
          wallet: worker.wallet,
          resultRepositoryUrl: services.resultProxy.url,
          resultDigest: digestOf(id),
        },
      );
      ok(await worker.report(id, S.RESULT_UPLOADING), 'RESULT_UPLOADING');
      ok(await worker.report(id, S.RESULT_UPLOADED, { resultLink: link }), 'RESULT_UPLOADED');
    };
    const byHand = takeover.tasks.filter((t) =>
      (['computed', 'contributed', 'revealed'] as string[]).includes(t.stage),
    );
    try {
      for (const task of byHand) await finishByHand(task); // one wallet: one transaction at a time
    } catch (error) {
      await dump();
      throw error;
    }

    // a deal matched after the switch: its task is inserted by us (checked against Java's shapes below)
    const fresh = await chain.fixtures.createDeal({
      workerpool,
      volume: 1,
      trust: 1,
      workers: fleetAccounts,
    });
    const all = [
      ...takeover.tasks.map((t) => ({ ...t, dealId: takeover.dealId })),
      {
        label: 'NEW',
        expected: T.COMPLETED,
        stage: 'none',
        chainTaskId: fresh.taskIds[0],
        dealId: fresh.dealId,
        index: Number(fresh.botFirst),
      },
    ];
    const finals = new Set<string>([T.COMPLETED, T.FAILED]);
    try {
      await eventually(
        async () => {
          const tasks = await client.db().collection('task').find().toArray();
          return (
            tasks.length === all.length && tasks.every((t) => finals.has(String(t.currentStatus)))
          );
        },
        180000,
        'every task final',
      );
    } catch (error) {
      await dump();
      throw error;
    }
    const doneMs = Date.now() - t0;
    const outcome = Object.fromEntries(
      await Promise.all(
        all.map(async (t) => [t.label, String((await taskDoc(t.chainTaskId))?.currentStatus)]),
      ),
    );
    expect(outcome).toEqual(Object.fromEntries(all.map((t) => [t.label, t.expected])));
    for (const t of all.filter((x) => x.expected === T.COMPLETED)) {
      expect([t.label, (await chain.fixtures.viewTask(t.chainTaskId)).status]).toEqual([
        t.label,
        3,
      ]);
    }

    // Our transactions: initialize only where Java had not, finalize only where Java had not.
    const sent = await hubCallsFrom(chain, chain.roles.scheduler.address, fromBlock);
    const labelOf = new Map(all.map((t) => [`${t.dealId.toLowerCase()}/${t.index}`, t.label]));
    const labelOfTask = new Map(all.map((t) => [t.chainTaskId.toLowerCase(), t.label]));
    const initialized = sent
      .filter((c) => c.functionName === 'initialize')
      .map((c) => labelOf.get(`${String(c.args[0]).toLowerCase()}/${Number(c.args[1] as bigint)}`));
    const finalized = sent
      .filter((c) => c.functionName === 'finalize')
      .map((c) => labelOfTask.get(String(c.args[0]).toLowerCase()));
    expect(initialized.sort()).toEqual(['NEW', T.RECEIVED]);
    expect(finalized.sort()).toEqual(
      all
        .filter((t) => t.expected === T.COMPLETED && t.stage !== 'finalized')
        .map((t) => t.label)
        .sort(),
    );
    expect(
      sent.filter((c) => c.functionName !== 'initialize' && c.functionName !== 'finalize'),
    ).toEqual([]);

    // Read back: Java's documents not rewritten, every document (theirs and ours) Java-shaped.
    await fleet.stop();
    fleet = undefined;
    scheduler.child.kill('SIGTERM');
    await scheduler.exited;
    const after = await readAll();
    const problems: string[] = [];
    for (const [c, docs] of Object.entries(java)) {
      for (const doc of docs) {
        const now = after[c].find((d) => String(d._id) === String(doc._id)) ?? null;
        problems.push(...rewrites(c, doc, now));
      }
    }
    for (const [c, docs] of Object.entries(after)) {
      for (const doc of docs) problems.push(...javaShapeProblems(c, doc));
    }
    expect(problems).toEqual([]);
    console.log(
      `java takeover: ${takeover.tasks.length} Java-era tasks + 1 new, boot ${bootMs} ms, all final after ${doneMs} ms; ` +
        `${Object.values(after).reduce((n, d) => n + d.length, 0)} documents checked`,
    );
  }, 420000);
});
