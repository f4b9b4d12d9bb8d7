// One outage scenario of `npm run chaos`: a workerpool (stand-ins, the built scheduler in its own
// process reading the chain through the fault proxy, an honest simulated fleet on the node
// itself), one deal of N tasks, the scenario's fault, then the outcome read back from the
// database and the chain.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mongo } from 'mongoose';
import { workerAccount } from '../../devstack/chain/accounts.js';
import { startRpcFaultProxy, type RpcFaultProxy } from '../../devstack/chain/rpc-fault-proxy.js';
import type { MongoTestServer } from '../../devstack/mongo-server.js';
import type { MatchedDeal } from '../../devstack/poco/deals.js';
import type { WorkerFleet } from '../../devstack/worker/fleet.js';
import { writeSchedulerWallet } from '../../devstack/wallet.js';
import { mongoUrlDatabase } from '../../src/config/app-config.js';
import { FINAL_TASK_STATUSES } from '../../src/task/task-status.js';
import { freePort } from '../../test/setup/mongo-server.js';
import { hubCallsFrom } from '../../test/support/chain-txs.js';
import {
  spawnScheduler,
  waitForStatus,
  type SchedulerProcess,
} from '../../test/support/process.js';
import { eventually, schedulerEnv } from '../../test/support/scheduler.js';
import {
  startWorkerpoolSurroundings,
  type WorkerpoolSurroundings,
} from '../../test/support/stack.js';
import type { BenchChain } from '../support/env.js';
import { perTask, type ScenarioOutcome } from './chaos-table.js';

export const BLOCK_MS = 1000;

/** What a scenario acts on while its deal runs. */
export interface ChaosRun {
  readonly chain: BenchChain;
  readonly mongo: MongoTestServer;
  readonly proxy: RpcFaultProxy;
  readonly surroundings: WorkerpoolSurroundings;
  readonly scheduler: RestartableScheduler;
  /** Tasks of the run's deals COMPLETED so far. */
  completed(): Promise<number>;
  waitForCompleted(count: number, timeoutMs?: number): Promise<void>;
  /** ms from `since` (epoch ms) to the next task status change the scheduler writes. */
  nextProgressAfter(since: number, timeoutMs?: number): Promise<number>;
  log(message: string): void;
  /** For the log: task statuses now, and the first task/replicate changes after `since`. */
  debugAfter(since: number): Promise<string>;
}

export interface RestartableScheduler {
  readonly url: string;
  start(): Promise<void>;
  kill(): Promise<void>;
  output(): string;
}

export interface ChaosScenario {
  name: string;
  writer?: 'embedded' | 'adapter';
  env?: Record<string, string>;
  /** Before the deal is created (the scheduler is up). */
  before?(run: ChaosRun): Promise<void>;
  /** The deals of the run (default: one deal of `tasks` tasks). */
  deals?(run: ChaosRun, tasks: number, workerpool: `0x${string}`): Promise<MatchedDeal[]>;
  /** Injects the fault while the deal runs; resolves with the recovery figures, if any. */
  fault?(run: ChaosRun): Promise<{ recoveryMs: number; recoveryTargetMs: number } | void>;
  /** Set when the scenario cannot run yet, with what it lacks. */
  unavailable?: string;
  /** About how long the scenario runs on 2 cores, in seconds: how `--lanes` balances them. */
  expectedSeconds: number;
}

export const WORKERS = 5;
/** A supervisor's pause before starting an exited scheduler again (compose restarts at once). */
const RESTART_DELAY_MS = 500;

export async function runScenario(
  chain: BenchChain,
  mongoServer: MongoTestServer,
  scenario: ChaosScenario,
  tasks: number,
  log: (message: string) => void,
): Promise<ScenarioOutcome> {
  const started = Date.now();
  const empty = { min: 0, max: 0 };
  if (scenario.unavailable) {
    return {
      scenario: scenario.name,
      tasks,
      completed: 0,
      abortedReplicates: 0,
      initializePerTask: empty,
      finalizePerTask: empty,
      skipped: scenario.unavailable,
      elapsedMs: 0,
    };
  }
  const surroundings = await startWorkerpoolSurroundings(chain);
  const proxy = await startRpcFaultProxy({ target: chain.rpcUrl });
  const walletDir = mkdtempSync(join(tmpdir(), 'iexec-chaos-wallet-'));
  const wallet = writeSchedulerWallet(join(walletDir, 'scheduler.json'));
  // MongoDB caps database names at 63 bytes.
  const dbName = `chaos_${Date.now()}`;
  const mongoUrl = mongoServer.url.replace('/iexec?', `/${dbName}?`);
  const port = await freePort();
  const env: Record<string, string> = {
    ...(schedulerEnv(chain, surroundings.workerpool, wallet.path, mongoUrl) as Record<
      string,
      string
    >),
    ...surroundings.schedulerEnv,
    IEXEC_CORE_PORT: String(port),
    IEXEC_PRIVATE_CHAIN_ADDRESS: proxy.url,
    IEXEC_BLOCK_TIME: `PT${BLOCK_MS / 1000}S`,
    IEXEC_DEAL_POLLING_INTERVAL: '',
    IEXEC_CHAIN_WRITER: scenario.writer ?? 'embedded',
    // Every simulated worker is 127.0.0.1: one client to the anonymous rate limit.
    IEXEC_ANONYMOUS_RATE_LIMIT: '0',
    IEXEC_LOG_LEVEL: process.env.CHAOS_LOG_LEVEL ?? 'WARN',
    ...scenario.env,
  };
  const scheduler = restartableScheduler(env, port, log);
  const client = new mongo.MongoClient(mongoUrl);
  await client.connect();
  const db = client.db(mongoUrlDatabase(mongoUrl));
  let fleet: WorkerFleet | undefined;
  let deals: MatchedDeal[] = [];
  const taskIds = () => deals.flatMap((d) => d.taskIds.map((id) => id.toLowerCase()));
  const taskDocs = () =>
    db
      .collection<{
        chainTaskId: string;
        currentStatus: string;
        dateStatusList: { date: Date }[];
      }>('task')
      .find({ chainTaskId: { $in: taskIds() } })
      .toArray();

  const replicateDocs = () =>
    db
      .collection<{
        chainTaskId: string;
        replicates: { walletAddress: string; statusUpdateList: { status: string; date: Date }[] }[];
      }>('replicatesList')
      .find({ chainTaskId: { $in: taskIds() } })
      .toArray();
  const run: ChaosRun = {
    async debugAfter(since) {
      const tasksNow = await taskDocs().catch(() => []);
      const reps = await replicateDocs().catch(() => []);
      const hist: Record<string, number> = {};
      for (const t of tasksNow) hist[t.currentStatus] = (hist[t.currentStatus] ?? 0) + 1;
      const changes: [number, string][] = [];
      for (const t of tasksNow)
        for (const s of t.dateStatusList as unknown as { status: string; date: Date }[]) {
          const at = new Date(s.date).getTime();
          if (at > since) changes.push([at - since, `T${t.chainTaskId.slice(2, 6)}:${s.status}`]);
        }
      for (const l of reps)
        for (const r of l.replicates)
          for (const u of r.statusUpdateList) {
            const at = new Date(u.date).getTime();
            if (at > since)
              changes.push([
                at - since,
                `R${l.chainTaskId.slice(2, 6)}/${r.walletAddress.slice(2, 5)}:${u.status}`,
              ]);
          }
      changes.sort((a, b) => a[0] - b[0]);
      return `${JSON.stringify(hist)} :: ${changes
        .slice(0, 12)
        .map(([ms, w]) => `${ms}ms ${w}`)
        .join(', ')}`;
    },
    chain,
    mongo: mongoServer,
    proxy,
    surroundings,
    scheduler,
    log,
    async completed() {
      try {
        return (await taskDocs()).filter((t) => t.currentStatus === 'COMPLETED').length;
      } catch {
        return 0; // the database is down: nothing to count now
      }
    },
    async waitForCompleted(count, timeoutMs = 180_000) {
      await eventually(
        async () => (await run.completed()) >= count,
        timeoutMs,
        `${count} COMPLETED`,
        250,
      );
    },
    async nextProgressAfter(since, timeoutMs = 60_000) {
      const at = await eventually(
        async () => {
          const docs = await taskDocs().catch(() => []);
          const dates = docs.flatMap((t) =>
            t.dateStatusList.map((s) => new Date(s.date).getTime()),
          );
          const next = dates.filter((d) => d > since).sort((a, b) => a - b)[0];
          return next;
        },
        timeoutMs,
        'progress after the fault',
        50,
      );
      return at - since;
    },
  };

  try {
    await scheduler.start();
    fleet = surroundings.fleet(scheduler.url, { worker: { pingIntervalMs: 1000, cpuNb: 4 } });
    await fleet.start(WORKERS);
    await scenario.before?.(run);
    const fromBlock = await chain.clients.publicClient.getBlockNumber();
    deals = scenario.deals
      ? await scenario.deals(run, tasks, surroundings.workerpool)
      : [await oneDeal(chain, surroundings.workerpool, tasks)];
    const recovery = (await scenario.fault?.(run)) ?? undefined;
    proxy.reset();
    const finalTasks = await eventually(
      async () => {
        const docs = await taskDocs().catch(() => []);
        return docs.length === taskIds().length &&
          docs.every((t) => (FINAL_TASK_STATUSES as readonly string[]).includes(t.currentStatus))
          ? docs
          : undefined;
      },
      240_000,
      `every task of ${scenario.name} final`,
      500,
    ).catch(async () => taskDocs());
    const lists = await db
      .collection<{
        chainTaskId: string;
        replicates: {
          walletAddress: string;
          statusUpdateList: { status: string; details?: { cause?: string } }[];
        }[];
      }>('replicatesList')
      .find({ chainTaskId: { $in: taskIds() } })
      .toArray();
    for (const task of finalTasks.filter((t) => t.currentStatus !== 'COMPLETED')) {
      const replicates = lists.find((l) => l.chainTaskId === task.chainTaskId)?.replicates ?? [];
      log(
        `not COMPLETED ${task.chainTaskId}: ${task.currentStatus}; replicates ${JSON.stringify(
          replicates.map((r) => [
            r.walletAddress.slice(0, 8),
            r.statusUpdateList.map((u) =>
              u.details?.cause ? `${u.status}(${u.details.cause})` : u.status,
            ),
          ]),
        )}`,
      );
    }
    const aborted = lists
      .flatMap((l) => l.replicates)
      .filter((r) => r.statusUpdateList.some((u) => u.status === 'ABORTED')).length;
    const calls = await hubCallsFrom(chain, chain.roles.scheduler.address, fromBlock);
    const taskOf = (dealId: string, index: bigint) => {
      const deal = deals.find((d) => d.dealId.toLowerCase() === dealId.toLowerCase());
      return deal?.taskIds[Number(index - deal.botFirst)] ?? `${dealId}#${index}`;
    };
    const initialized = calls
      .filter((c) => c.functionName === 'initialize')
      .map((c) => taskOf(String(c.args[0]), c.args[1] as bigint));
    const finalized = calls
      .filter((c) => c.functionName === 'finalize')
      .map((c) => String(c.args[0]));
    return {
      scenario: scenario.name,
      tasks: taskIds().length,
      completed: finalTasks.filter((t) => t.currentStatus === 'COMPLETED').length,
      abortedReplicates: aborted,
      initializePerTask: perTask(taskIds(), initialized),
      finalizePerTask: perTask(taskIds(), finalized),
      recoveryMs: recovery?.recoveryMs,
      recoveryTargetMs: recovery?.recoveryTargetMs,
      elapsedMs: Date.now() - started,
    };
  } catch (error) {
    log(`${scenario.name} failed: ${(error as Error).message}\n${scheduler.output().slice(-3000)}`);
    throw error;
  } finally {
    await fleet?.stop();
    await scheduler.kill();
    // Every scheduler process of the scenario, one after the other, for a look at a late recovery.
    if (process.env.CHAOS_SCHEDULER_LOG)
      writeFileSync(
        `${process.env.CHAOS_SCHEDULER_LOG}.${scenario.name.replace(/[^a-z0-9]+/gi, '-')}`,
        scheduler.output(),
      );
    await client.close();
    await proxy.stop();
    await surroundings.services.stop();
    rmSync(walletDir, { recursive: true, force: true });
  }
}

function oneDeal(chain: BenchChain, workerpool: `0x${string}`, tasks: number) {
  const workers = Array.from({ length: WORKERS }, (_, i) => workerAccount(i));
  return chain.fixtures.createDeal({ workerpool, volume: tasks, trust: 1, category: 1, workers });
}

/**
 * The scheduler as its supervisor runs it (`restart: unless-stopped` in deploy/docker-compose.yml,
 * a Kubernetes pod): a process that exits by itself, e.g. with 75 after its lease lapsed while
 * the database was away, is started again after RESTART_DELAY_MS; `kill()` is the harness's own
 * SIGKILL and is not restarted behind its back. Restarts are counted for the log.
 */
function restartableScheduler(
  env: Record<string, string>,
  port: number,
  log: (message: string) => void,
): RestartableScheduler {
  let current: SchedulerProcess | undefined;
  let earlier = '';
  let stopped = false;
  const url = `http://127.0.0.1:${port}`;
  const spawnSupervised = () => {
    const child = spawnScheduler(env);
    current = child;
    void child.exited.then((code) => {
      if (current !== child || stopped) return;
      earlier += child.output();
      current = undefined;
      log(`scheduler exited by itself (code ${code}): restarted by its supervisor`);
      setTimeout(() => {
        if (!stopped && !current) spawnSupervised();
      }, RESTART_DELAY_MS);
    });
  };
  return {
    url,
    async start() {
      stopped = false;
      spawnSupervised();
      await waitForStatus(`${url}/actuator/health`, 200, 30_000);
    },
    async kill() {
      stopped = true;
      const child = current;
      if (!child) return;
      current = undefined;
      child.child.kill('SIGKILL');
      await child.exited;
      earlier += child.output();
    },
    output: () => earlier + (current?.output() ?? ''),
  };
}
