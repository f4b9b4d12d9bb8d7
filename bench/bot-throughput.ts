// A bag of tasks through the whole protocol (issue "Task lifecycle"): the scheduler, the service
// stand-ins and a simulated fleet (full mode) on a local chain, against, in the same run and on
// the same chain, the same transactions sent directly with no scheduler (bench/support/direct-bot).
//   node --import ./bench/support/ts-register.mjs bench/bot-throughput.ts [--tasks 50]
//     [--workers 10] [--writer embedded|adapter] [--ask-ms 1000] [--runs 1] [--timeline on]
//     [--scheduler process|in-process] [--block-ms 0] [--warmup 1]
// (`npm run bench:bot -- …`, which builds first; `--timeline on` prints the events of the task that
// completed last to stderr). `--scheduler process` (default) runs the built dist/main.js in its own process, as
// operators do; `in-process` runs it in the bench process, sharing one event loop with the fleet
// and the stand-ins.
// Prints tasks/minute of both and their ratio (target ≥ 0.7, judged with blocks of 1 s and more),
// the cap the fleet's ask cadence puts on that ratio when there is one (automine: see
// support/fleet-cadence), and the scheduler-added latency per task (target ≤ 1 s, on every
// chain), from the task and replicate histories (see `latencyOf`).
// `--block-ms N` mines a block every N ms while each side runs (deals are created on automine),
// as a real chain does, and tells the scheduler that block time (IEXEC_BLOCK_TIME); the direct
// side then sends every task at once (runDirectBotPipelined).
import 'reflect-metadata';
import { environmentVariables } from '../src/config/load-config.js';
import { devPrivateKey, FIRST_WORKER_INDEX, workerAccount } from '../devstack/chain/accounts.js';
import type { WorkerFleetOptions } from '../devstack/worker/fleet.js';
import { ReplicatesListRepository } from '../src/replicate/replicates-list.repository.js';
import { TaskStatus } from '../src/task/task-status.js';
import { startStack } from '../test/support/stack.js';
import { FAST_SCHEDULER_ENV } from '../test/support/scheduler.js';
import { runDirectBot, runDirectBotPipelined } from './support/direct-bot.js';
import { startProcessStack, workerOwnTimes, type DealOutcome } from './support/process-stack.js';
import { cpuDelta, cpuSnapshot, cpuTable, CpuTally } from './support/cpu-census.js';
import { fleetCadenceCeiling, fleetCadenceFloorMs } from './support/fleet-cadence.js';
import { latencyOf, type TaskLatency } from './support/task-latency.js';
import {
  list,
  machineLine,
  median,
  ms,
  option,
  percentile,
  startBenchChain,
  startBenchMongo,
} from './support/env.js';

const TASKS = option('tasks', 50);
const WORKERS = option('workers', 10);
const WRITER = option<string>('writer', 'embedded') as 'embedded' | 'adapter';
const ASK_MS = option('ask-ms', 1000);
const RUNS = option('runs', 1);
const TIMELINE = option<string>('timeline', 'off') === 'on';
const MODE = option<string>('scheduler', 'process');
const BLOCK_MS = option('block-ms', 0);
// Runs first and not counted: a scheduler serves for days, its first deal runs cold code.
const WARMUP = option('warmup', 1);
if (MODE !== 'process' && MODE !== 'in-process') throw new Error('--scheduler process|in-process');

const mongoServer = await startBenchMongo();
const CHAIN_ACCOUNTS = Math.max(50, WORKERS + 1);
const chain = await startBenchChain(CHAIN_ACCOUNTS);
// Production detector periods: progress must come from events (reports, receipts), not from
// detectors running every second as in the tests.
const defaults = new Map(environmentVariables().map((d) => [d.name, d.default ?? '']));
const production = Object.fromEntries(
  Object.keys(FAST_SCHEDULER_ENV)
    .filter((k) => k.startsWith('CRON_') || k === 'REVEAL_TIMEOUT_PERIOD')
    .map((k) => [k, defaults.get(k)!]),
);
const env = {
  ...production,
  IEXEC_CHAIN_WRITER: WRITER,
  IEXEC_ASK_REPLICATE_PERIOD: String(ASK_MS),
  // The chain's block time, as an operator's Config Server would say it: the scheduler paces its
  // receipt and deal polls (a quarter of it) and its on-chain re-checks by it. The deal polling is
  // left at that production default, not the tests' 100 ms.
  ...(BLOCK_MS > 0
    ? { IEXEC_BLOCK_TIME: `PT${BLOCK_MS / 1000}S`, IEXEC_DEAL_POLLING_INTERVAL: '' }
    : {}),
  IEXEC_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'ERROR',
};
const stack = MODE === 'process' ? await processStack() : await inProcessStack();
const workers = Array.from({ length: WORKERS }, (_, i) => workerAccount(i));
// The direct side owns its workerpool with a wallet of its own: sharing the scheduler's would
// have the two sides race for nonces.
const directOwner = workerAccount(CHAIN_ACCOUNTS - 1);
const directOwnerKey = devPrivateKey(FIRST_WORKER_INDEX + CHAIN_ACCOUNTS - 1);

/** A block every `ms` (interval mining), or each transaction mined at once (0: automine). */
async function mineEvery(ms: number): Promise<void> {
  if (BLOCK_MS === 0) return;
  const request = chain.clients.testClient.request as (args: {
    method: string;
    params: unknown[];
  }) => Promise<unknown>;
  await request({ method: 'evm_setAutomine', params: [ms === 0] });
  await request({ method: 'evm_setIntervalMining', params: [ms] });
}
const directPool = await chain.fixtures.createWorkerpool({ owner: directOwner });
const dealOptions = { volume: TASKS, trust: 1, category: 1, workers };

const scheduled: number[] = [];
const direct: number[] = [];
const latencies: TaskLatency[] = [];
// CPU of every process while each side runs; the scheduler side's window ends with the poll that
// sees the deal done, up to 2 s after its last task (time the processes are mostly idle).
const cpu = { scheduler: new CpuTally(), direct: new CpuTally() };
try {
  await stack.startWorkers(WORKERS, { worker: { pingIntervalMs: 10_000 } });
  for (let run = -WARMUP; run < RUNS; run++) {
    const counted = run >= 0;
    // Direct first on odd runs, so neither side always runs on a fresher chain.
    const sides = [
      async () => {
        const deal = await chain.fixtures.createDeal({
          ...dealOptions,
          workerpool: directPool,
          scheduler: directOwner,
        });
        await mineEvery(BLOCK_MS);
        const cpuBefore = cpuSnapshot();
        const elapsed =
          BLOCK_MS > 0
            ? await runDirectBotPipelined(chain.fixtures, deal, workers, directOwnerKey)
            : await runDirectBot(chain.fixtures, deal, workers, directOwner);
        if (counted) {
          direct.push(elapsed);
          cpu.direct.add(cpuDelta(cpuBefore, cpuSnapshot()));
        }
        await mineEvery(0);
      },
      async () => {
        const deal = await chain.fixtures.createDeal({
          ...dealOptions,
          workerpool: stack.workerpool,
        });
        await mineEvery(BLOCK_MS);
        const cpuBefore = cpuSnapshot();
        const matchedAt = Date.now();
        // Completion times come from the task histories, not from this poll: a slow poll keeps
        // the bench's own reads off the database the scheduler is measured on.
        const { tasks, replicatesOf, workerOwnMs } = await stack.waitForDeal(
          deal.dealId,
          30 * 60_000,
          2000,
        );
        if (counted) cpu.scheduler.add(cpuDelta(cpuBefore, cpuSnapshot()));
        await mineEvery(0);
        const failed = tasks.filter((t) => t.currentStatus !== TaskStatus.COMPLETED).length;
        if (failed > 0) console.error(`run ${run}: ${failed} task(s) FAILED`);
        if (!counted) return;
        const completedAt = Math.max(...tasks.map((t) => t.dateStatusList.at(-1)!.date.getTime()));
        scheduled.push(completedAt - matchedAt);
        const lastOf = (t: (typeof tasks)[number]) => t.dateStatusList.at(-1)!.date.getTime();
        const slowest = tasks.reduce((a, b) => (lastOf(b) > lastOf(a) ? b : a));
        for (const task of tasks) {
          const replicates = replicatesOf(task.chainTaskId);
          latencies.push(latencyOf(task, replicates, matchedAt, workerOwnMs(task.chainTaskId)));
          if (TIMELINE && task === slowest) {
            // Where the last task's time went, event by event (ms after the deal was matched).
            const events = [
              ...task.dateStatusList.map((s) => ({
                at: s.date.getTime(),
                what: `task ${s.status}`,
              })),
              ...replicates.flatMap((r) =>
                r.statusUpdateList.map((u) => ({
                  at: u.date!.getTime(),
                  what: `  replicate ${u.status} (${u.modifier})`,
                })),
              ),
            ].sort((a, b) => a.at - b.at);
            for (const e of events)
              console.error(`${String(e.at - matchedAt).padStart(7)} ${e.what}`);
          }
        }
      },
    ];
    for (const side of run % 2 ? sides.reverse() : sides) await side();
  }
} finally {
  await stack.stop();
  await chain.stop();
  await mongoServer.stop();
}

const perMinute = (elapsed: number) => (TASKS / elapsed) * 60_000;
const sched = median(scheduled);
const base = median(direct);
console.log(`\n${await machineLine()} | mongo: ${mongoServer.kind}`);
console.log(
  `${TASKS} tasks (trust 1, category S), ${WORKERS} workers (cpuNb 1), ${WRITER} writer, ` +
    `scheduler ${MODE === 'process' ? 'in its own process (dist/main.js)' : 'in the bench process'}, ` +
    `ask period ${ASK_MS} ms, ping 10 s, production detector periods, ` +
    `${BLOCK_MS > 0 ? `a block every ${BLOCK_MS} ms` : 'automine'}; ${RUNS} run(s) ` +
    `after ${WARMUP} warm-up run(s)`,
);
console.log('| measurement | median | runs | tasks/min |');
console.log('| --- | --- | --- | --- |');
console.log(
  `| scheduler + fleet: deal matched → last task COMPLETED | ${ms(sched)} | ${list(scheduled)} | ${perMinute(sched).toFixed(1)} |`,
);
console.log(
  `| direct transactions, same chain, ${WORKERS} worker wallets | ${ms(base)} | ${list(direct)} | ${perMinute(base).toFixed(1)} |`,
);
console.log(
  `ratio (scheduler tasks/min ÷ direct tasks/min): ${(base / sched).toFixed(2)} (target ≥ 0.7)`,
);
const fleet = { tasks: TASKS, workers: WORKERS, askMs: ASK_MS };
const ceiling = fleetCadenceCeiling(fleet, base);
if (ceiling !== undefined) {
  console.log(
    `the fleet's ask cadence alone caps it at ${ceiling.toFixed(2)} here: the busiest worker ` +
      `takes ${Math.ceil(TASKS / WORKERS)} tasks, one per ask, asks ≥ ${ASK_MS} ms apart, so ` +
      `≥ ${ms(fleetCadenceFloorMs(fleet))} whatever the scheduler does (chain time left out)`,
  );
}

const column = (pick: (l: TaskLatency) => number) => {
  const xs = latencies.map(pick);
  return `${ms(median(xs))} | ${ms(percentile(xs, 0.9))} | ${ms(Math.max(...xs))}`;
};
console.log('\nPer task (from the task and replicate histories):');
console.log('| part | median | p90 | max |');
console.log('| --- | --- | --- | --- |');
console.log(`| deal matched → task RECEIVED (deal watcher) | ${column((l) => l.detection)} |`);
console.log(`| RECEIVED → COMPLETED (lifetime in the scheduler) | ${column((l) => l.lifetime)} |`);
console.log(
  `| worker's own time (its clock: reads, contribute/reveal tx, upload; not waiting for the scheduler) | ${column((l) => l.workerOwn ?? NaN)} |`,
);
console.log(
  `| scheduler transactions (INITIALIZING → INITIALIZED, FINALIZING → FINALIZED) | ${column((l) => l.schedulerTx)} |`,
);
console.log(
  `| waiting for a free worker to ask (INITIALIZED → replicate CREATED) | ${column((l) => l.askWait)} |`,
);
console.log(
  `| **scheduler-added** (lifetime − the three above) | ${column((l) => l.schedulerAdded)} |`,
);
console.log(
  `| worker steps by the scheduler's dates (…ING → …ED, contribute/reveal tx included) | ${column((l) => l.workerSteps)} |`,
);
console.log(
  `| scheduler-added by the dates alone (lifetime − worker steps − transactions − ask wait; upper bound) | ${column((l) => l.addedByDates)} |`,
);
console.log(
  `scheduler-added latency per task: median ${ms(median(latencies.map((l) => l.schedulerAdded)))} ` +
    `(target ≤ 1 s)`,
);
console.log('\nCPU per run, by process (median; /proc, Linux only):');
const cores = (await import('node:os')).cpus().length;
for (const row of cpuTable(
  {
    'scheduler + fleet side': { tally: cpu.scheduler, durationMs: sched },
    'direct side': { tally: cpu.direct, durationMs: base },
  },
  cores,
))
  console.log(row);
process.exit(0);

interface BotStack {
  workerpool: `0x${string}`;
  startWorkers(count: number, options: Partial<WorkerFleetOptions>): Promise<unknown>;
  waitForDeal(dealId: string, timeoutMs: number, pollMs: number): Promise<DealOutcome>;
  stop(): Promise<void>;
}

function processStack(): Promise<BotStack> {
  return startProcessStack(chain, mongoServer.url, env);
}

async function inProcessStack(): Promise<BotStack> {
  const stack = await startStack(chain, { writer: WRITER, env });
  const lists = stack.scheduler.get(ReplicatesListRepository);
  return {
    workerpool: stack.workerpool,
    startWorkers: (count, options) => stack.startWorkers(count, options),
    async waitForDeal(dealId, timeoutMs, pollMs) {
      const tasks = await stack.waitForDeal(dealId, timeoutMs, pollMs);
      const found = await lists.findByChainTaskIds(tasks.map((t) => t.chainTaskId));
      const byTask = new Map(found.map((l) => [l.chainTaskId, l.replicates]));
      return {
        tasks,
        replicatesOf: (id) => byTask.get(id) ?? [],
        workerOwnMs: workerOwnTimes(stack.fleet),
      };
    },
    stop: () => stack.stop(),
  };
}
