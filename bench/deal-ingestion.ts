// Deal ingestion of a big bag of tasks (issue "Chain and deals"): deals of `--volume` tasks
// (default 10 000) matched on a local chain, each turned into its tasks by the scheduler's real path
// (`DealIngestionService.ingest` of a running scheduler: deal read from the chain, task documents
// built, bulk insert, task-update fan-out), against, in the same run and on the same collection
// (same indexes), a raw driver `insertMany` of the same documents built beforehand.
//   node --import ./bench/support/ts-register.mjs bench/deal-ingestion.ts [--volume 10000] [--runs 5]
// Targets: ingest ≤ 3 s; raw/ours ≥ 0.8 (ours within 25 % of the raw insert).
import 'reflect-metadata';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mongo } from 'mongoose';
import { tasksFromDeal } from '../src/deal-watcher/deal-to-tasks.js';
import { DealIngestionService } from '../src/deal-watcher/deal-ingestion.service.js';
import { PocoReader } from '../src/chain/poco-reader.js';
import { TaskDescriptionService } from '../src/chain/task-description.service.js';
import { TaskUpdateRequests } from '../src/task/task-update-requests.js';
import { TASK_JAVA_CLASS } from '../src/task/task.schema.js';
import { TaskStatus } from '../src/task/task-status.js';
import { TaskUpdateQueue } from '../src/task/update/task-update-queue.js';
import { startScheduler } from '../test/support/scheduler.js';
import {
  list,
  machineLine,
  median,
  ms,
  option,
  QUIET_DETECTORS,
  startBenchChain,
  startBenchMongo,
} from './support/env.js';

const VOLUME = option('volume', 10_000);
/** The default IEXEC_TASK_UPDATE_CONCURRENCY. */
const CONCURRENCY = 32;
const RUNS = option('runs', 5);

const mongoServer = await startBenchMongo();
const chain = await startBenchChain();
// The scheduler serves another workerpool: its deal watcher never sees the bench's deals, which
// are ingested only when the bench calls `ingest`. Initialize requests go to an adapter that
// answers 503 at once: every task of the fan-out runs its RECEIVED update (task read, chain task
// read, gas check, initialize request) and stays RECEIVED (transient refusal), no transaction.
const adapter = createServer((_req, res) => res.writeHead(503).end());
await new Promise<void>((resolve) => adapter.listen(0, '127.0.0.1', resolve));
const adapterPort = (adapter.address() as AddressInfo).port;
const servedPool = await chain.fixtures.createWorkerpool();
const dealPool = await chain.fixtures.createWorkerpool();
const scheduler = await startScheduler(chain, servedPool, {
  env: {
    ...QUIET_DETECTORS,
    IEXEC_CHAIN_WRITER: 'adapter',
    IEXEC_CORE_CHAIN_ADAPTER_URL: `http://127.0.0.1:${adapterPort}`,
    IEXEC_LOG_LEVEL: 'ERROR',
  },
});
const client = new mongo.MongoClient(scheduler.mongoUrl);
try {
  const ingestion = scheduler.get(DealIngestionService);
  const updates = scheduler.get(TaskUpdateRequests);
  const collection = client.db().collection('task');
  const ratio = await scheduler.get(PocoReader).getContributionDeadlineRatio();

  // A new deal for every measurement of ours, so the deal is read from the chain each time.
  const newDeal = async () => {
    const started = performance.now();
    const deal = await chain.fixtures.createDeal({
      workerpool: dealPool,
      volume: VOLUME,
      trust: 1,
      category: 1, // S: 1 200 s, so the contribution deadline (x 7) is far ahead
      appPrice: 0n,
      workerpoolPrice: 0n,
    });
    matchMs.push(performance.now() - started);
    return deal;
  };
  const matchMs: number[] = [];
  const ours: number[] = [];
  const raw: number[] = [];
  const clear = (dealId: string) => collection.deleteMany({ chainDealId: dealId.toLowerCase() });
  const measureOurs = async () => {
    const deal = await newDeal();
    const started = performance.now();
    const outcome = await ingestion.ingest(deal.dealId, deal.blockNumber);
    ours.push(performance.now() - started);
    if (outcome !== 'created') throw new Error(`ingest: ${outcome}`);
    // Deleted at once, so the queued fan-out finds no task: on FerretDB every task read scans the
    // collection, and 10 000 updates against 10 000 tasks would take minutes (docs/benchmarks.md).
    const { deletedCount } = await clear(deal.dealId);
    if (deletedCount !== VOLUME) throw new Error(`ingest created ${deletedCount}/${VOLUME} tasks`);
    await updates.idle();
  };
  // The raw baseline's documents: exactly what the repository inserts, built outside the timing.
  const rawDeal = await newDeal();
  const description = await scheduler.get(TaskDescriptionService).deal(rawDeal.dealId);
  const built = tasksFromDeal(description!, {
    dealBlockNumber: Number(rawDeal.blockNumber),
    contributionDeadlineRatio: ratio,
    now: new Date(),
  });
  if ('skipped' in built) throw new Error(`deal skipped: ${built.skipped}`);
  const measureRaw = async () => {
    const docs = built.tasks.map((t) => ({
      _class: TASK_JAVA_CLASS,
      ...t,
      version: 0,
      dateStatusList: t.dateStatusList.map((s) => ({ ...s })),
    }));
    const started = performance.now();
    await collection.insertMany(docs, { ordered: false });
    raw.push(performance.now() - started);
    await clear(rawDeal.dealId);
  };

  // Warm-up (JIT, connection pool), then alternate which side goes first.
  await measureOurs();
  await measureRaw();
  ours.length = raw.length = 0;
  for (let run = 0; run < RUNS; run++) {
    for (const side of run % 2 === 0 ? [measureOurs, measureRaw] : [measureRaw, measureOurs])
      await side();
  }

  const oursMedian = median(ours);
  const rawMedian = median(raw);
  console.log(`\n${await machineLine()} | mongo: ${mongoServer.kind}`);
  console.log(`volume ${VOLUME}, ${RUNS} runs each (after one warm-up run each)`);
  console.log(`| measurement | median | runs |`);
  console.log(`| --- | --- | --- |`);
  console.log(
    `| scheduler ingest (read deal, build, insert, publish) | ${ms(oursMedian)} | ${list(ours)} |`,
  );
  console.log(`| raw driver insertMany of the same documents | ${ms(rawMedian)} | ${list(raw)} |`);
  console.log(
    `| (matchOrders of a deal, not timed in the above) | ${ms(median(matchMs))} | ${list(matchMs)} |`,
  );
  const queue = await queueDispatch(VOLUME);
  console.log(
    `| update queue: ${VOLUME} requests dispatched to no-op updates | ${ms(median(queue.ours), 1)} | ${list(queue.ours, 1)} |`,
  );
  console.log(
    `| plain FIFO, same concurrency (baseline of the line above) | ${ms(median(queue.fifo), 1)} | ${list(queue.fifo, 1)} |`,
  );
  console.log(
    `ratio raw/ours ${(rawMedian / oursMedian).toFixed(2)} (target ≥ 0.8); ` +
      `ingest ${oursMedian <= 3000 ? 'within' : 'OVER'} the 3 s target`,
  );
} finally {
  await client.close();
  await scheduler.close();
  adapter.close();
  await chain.stop();
  await mongoServer.stop();
}

/**
 * The fan-out's own cost: `volume` requests through the task update queue (priorities, merging,
 * one update per task) with updates that do nothing but yield, against a plain FIFO with the same
 * concurrency limit.
 */
async function queueDispatch(volume: number): Promise<{ ours: number[]; fifo: number[] }> {
  const noop = () => new Promise<void>((resolve) => setImmediate(resolve));
  const ids = Array.from({ length: volume }, (_, i) => `0x${i.toString(16).padStart(64, '0')}`);
  const ours: number[] = [];
  const fifo: number[] = [];
  for (let run = 0; run < 5; run++) {
    const queue = new TaskUpdateQueue(noop, CONCURRENCY);
    let started = performance.now();
    for (const id of ids) queue.publish(id, { status: TaskStatus.RECEIVED });
    await queue.idle();
    ours.push(performance.now() - started);
    started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < ids.length) {
          next++;
          await noop();
        }
      }),
    );
    fifo.push(performance.now() - started);
  }
  return { ours, fifo };
}
