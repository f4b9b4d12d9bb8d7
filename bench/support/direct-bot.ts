// Baseline of bench/bot-throughput.ts: the transactions of a bag of tasks sent directly, with no
// scheduler, as fast as the chain takes them: per task `initialize` and `finalize` from the
// workerpool owner (one wallet, so one at a time, as the scheduler's embedded writer does) and
// `contribute` + `reveal` from a worker; `workers` worker wallets work in parallel, each on one
// task at a time (a simulated worker with cpuNb 1 does the same). `runDirectBotPipelined` is the
// baseline for a chain with block times.
import { keccak256, toHex, type Hex, type LocalAccount } from 'viem';
import { createNonceManager, jsonRpc } from 'viem/nonce';
import { privateKeyToAccount } from 'viem/accounts';
import type { PocoFixtures } from '../../devstack/poco/fixtures.js';
import type { MatchedDeal } from '../../devstack/poco/deals.js';

/** Serializes the transactions of one wallet (its nonces). */
function serialized() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(send: () => Promise<T>): Promise<T> => {
    const run = tail.then(send);
    tail = run.catch(() => undefined);
    return run;
  };
}

type Send = <T>(send: () => Promise<T>) => Promise<T>;
const direct: Send = (send) => send();

/** One task's four transactions; `owner` and `worker` wrap the sends of each wallet. */
async function runTask(
  fixtures: PocoFixtures,
  deal: MatchedDeal,
  i: number,
  accounts: { worker: LocalAccount; scheduler: LocalAccount },
  wrap: { owner: Send; worker: Send },
): Promise<void> {
  const { worker, scheduler } = accounts;
  const taskId = deal.taskIds[i];
  await wrap.owner(() => fixtures.initialize(deal.dealId, deal.botFirst + BigInt(i), scheduler));
  const digest: Hex = keccak256(toHex(`direct-bot/${taskId}`));
  const authorization = await fixtures.authorize(worker.address, taskId, undefined, scheduler);
  await wrap.worker(() => fixtures.contribute(worker, taskId, digest, authorization));
  await wrap.worker(() => fixtures.reveal(worker, taskId, digest));
  await wrap.owner(() => fixtures.finalize(scheduler, taskId));
}

/** Runs every task of `deal` to COMPLETED on chain; resolves with the elapsed ms. */
export async function runDirectBot(
  fixtures: PocoFixtures,
  deal: MatchedDeal,
  workers: LocalAccount[],
  scheduler: LocalAccount,
): Promise<number> {
  const owner = serialized();
  const queue = deal.taskIds.map((_, i) => i);
  const started = performance.now();
  await Promise.all(
    workers.map(async (worker) => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
        await runTask(fixtures, deal, i, { worker, scheduler }, { owner, worker: direct });
      }
    }),
  );
  return performance.now() - started;
}

/**
 * The baseline on a chain with block times: every task at once. Each worker wallet sends one
 * transaction at a time and waits for its receipt, as the Java worker does (one sending thread),
 * but it does not wait for a task to end before the next one: its slot frees when the task is
 * computed (worker-api.md §5.4), and computing takes no time here. The workerpool owner's
 * initialize and finalize share blocks (nonces assigned in-process), as the embedded writer's do.
 */
export async function runDirectBotPipelined(
  fixtures: PocoFixtures,
  deal: MatchedDeal,
  workers: LocalAccount[],
  schedulerKey: Hex,
): Promise<number> {
  const scheduler = privateKeyToAccount(schedulerKey, {
    nonceManager: createNonceManager({ source: jsonRpc() }),
  });
  const lanes = workers.map(() => serialized());
  const started = performance.now();
  await Promise.all(
    deal.taskIds.map((_, i) => {
      const w = i % workers.length;
      const accounts = { worker: workers[w], scheduler };
      return runTask(fixtures, deal, i, accounts, { owner: direct, worker: lanes[w] });
    }),
  );
  return performance.now() - started;
}
