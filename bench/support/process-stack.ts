// The BoT bench's workerpool with the scheduler as operators run it: the built `dist/main.js` in
// a process of its own (so its event loop and its share of the cores are its own, as in
// production), the service stand-ins and the simulated fleet in the bench process. Results are
// read from the database the scheduler writes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mongo } from 'mongoose';
import type { WorkerFleet, WorkerFleetOptions } from '../../devstack/worker/fleet.js';
import { writeSchedulerWallet } from '../../devstack/wallet.js';
import { mongoUrlDatabase } from '../../src/config/app-config.js';
import type { Replicate } from '../../src/replicate/replicates-list.schema.js';
import { FINAL_TASK_STATUSES } from '../../src/task/task-status.js';
import type { Task } from '../../src/task/task.schema.js';
import { freePort } from '../../test/setup/mongo-server.js';
import { spawnScheduler, waitForStatus } from '../../test/support/process.js';
import { eventually, schedulerEnv as baseSchedulerEnv } from '../../test/support/scheduler.js';
import { startWorkerpoolSurroundings } from '../../test/support/stack.js';
import type { BenchChain } from './env.js';

export interface DealOutcome {
  tasks: Task[];
  replicatesOf(chainTaskId: string): Replicate[];
  /** The simulated workers' own time on the task (TaskSnapshot.ownWorkMs), summed over them. */
  workerOwnMs(chainTaskId: string): number | undefined;
}

/** DealOutcome.workerOwnMs from what a fleet's workers remember. */
export function workerOwnTimes(fleet: WorkerFleet | undefined): (id: string) => number | undefined {
  const byTask = new Map<string, number>();
  for (const t of fleet?.taskSnapshots() ?? [])
    byTask.set(t.chainTaskId, (byTask.get(t.chainTaskId) ?? 0) + t.ownWorkMs);
  return (id) => byTask.get(id);
}

export interface ProcessStack {
  workerpool: `0x${string}`;
  startWorkers(count: number, options?: Partial<WorkerFleetOptions>): Promise<void>;
  /** Polls the database every `pollMs` until every task of the deal is COMPLETED or FAILED. */
  waitForDeal(dealId: string, timeoutMs: number, pollMs: number): Promise<DealOutcome>;
  stop(): Promise<void>;
}

export async function startProcessStack(
  chain: BenchChain,
  mongoUrl: string,
  env: Record<string, string>,
): Promise<ProcessStack> {
  const {
    services,
    workerpool,
    schedulerEnv,
    fleet: newFleet,
  } = await startWorkerpoolSurroundings(chain);
  const walletDir = mkdtempSync(join(tmpdir(), 'iexec-bench-wallet-'));
  const wallet = writeSchedulerWallet(join(walletDir, 'scheduler.json'));
  const port = await freePort();
  const scheduler = spawnScheduler({
    ...baseSchedulerEnv(chain, workerpool, wallet.path, mongoUrl),
    IEXEC_CORE_WALLET_PASSWORD: wallet.password,
    IEXEC_CORE_PORT: String(port),
    // Every simulated worker logs in from 127.0.0.1: one client to the anonymous rate limit.
    IEXEC_ANONYMOUS_RATE_LIMIT: '0',
    ...schedulerEnv,
    ...env,
  });
  try {
    await waitForStatus(`http://127.0.0.1:${port}/actuator/health`, 200, 30000);
  } catch (error) {
    const health = await fetch(`http://127.0.0.1:${port}/actuator/health`).then(
      (r) => r.text(),
      (e: Error) => e.message,
    );
    console.error(`${scheduler.output()}\nhealth: ${health}`);
    scheduler.child.kill('SIGKILL');
    throw error;
  }
  const client = new mongo.MongoClient(mongoUrl);
  await client.connect();
  // The scheduler's database: a MONGO_URL naming none means `iexec`, not the driver's `test`.
  const db = client.db(mongoUrlDatabase(mongoUrl));
  let fleet: WorkerFleet | undefined;

  return {
    workerpool,
    async startWorkers(count, options = {}) {
      fleet = newFleet(`http://127.0.0.1:${port}`, options);
      await fleet.start(count);
    },
    async waitForDeal(dealId, timeoutMs, pollMs) {
      const tasks = await eventually(
        async () => {
          const found = await db
            .collection<Task>('task')
            .find({ chainDealId: dealId })
            .sort({ taskIndex: 1 })
            .toArray();
          return found.length > 0 &&
            found.every((t) => FINAL_TASK_STATUSES.includes(t.currentStatus))
            ? found
            : undefined;
        },
        timeoutMs,
        `every task of deal ${dealId} final`,
        pollMs,
      );
      const lists = await db
        .collection<{ chainTaskId: string; replicates: Replicate[] }>('replicatesList')
        .find({ chainTaskId: { $in: tasks.map((t) => t.chainTaskId) } })
        .toArray();
      const byTask = new Map(lists.map((l) => [l.chainTaskId, l.replicates]));
      return {
        tasks,
        replicatesOf: (id) => byTask.get(id) ?? [],
        workerOwnMs: workerOwnTimes(fleet),
      };
    },
    async stop() {
      await fleet?.stop();
      scheduler.child.kill('SIGTERM');
      await scheduler.exited;
      if (process.env.BENCH_SCHEDULER_LOG)
        writeFileSync(process.env.BENCH_SCHEDULER_LOG, scheduler.output());
      await client.close();
      await services.stop();
      rmSync(walletDir, { recursive: true, force: true });
    },
  };
}
