// Baseline of bench/bot-throughput.ts: the transactions of a bag of tasks sent directly, with no
// scheduler, as fast as the chain takes them: per task `initialize` and `finalize` from the
// workerpool owner (one wallet, so one at a time, as the scheduler's embedded writer does) and
// `contribute` + `reveal` from a worker; `workers` worker wallets work in parallel, each on one
// task at a time (a simulated worker with cpuNb 1 does the same).
import { keccak256, toHex, type Hex, type LocalAccount } from 'viem';
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

/** Runs every task of `deal` to COMPLETED on chain; resolves with the elapsed ms. */
export async function runDirectBot(
  fixtures: PocoFixtures,
  deal: MatchedDeal,
  workers: LocalAccount[],
  scheduler: LocalAccount,
): Promise<number> {
  const owner = serialized();
  const queue = deal.taskIds.map((taskId, i) => ({ taskId, index: deal.botFirst + BigInt(i) }));
  const started = performance.now();
  await Promise.all(
    workers.map(async (worker) => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const { taskId, index } = next;
        await owner(() => fixtures.initialize(deal.dealId, index, scheduler));
        const digest: Hex = keccak256(toHex(`direct-bot/${taskId}`));
        const authorization = await fixtures.authorize(
          worker.address,
          taskId,
          undefined,
          scheduler,
        );
        await fixtures.contribute(worker, taskId, digest, authorization);
        await fixtures.reveal(worker, taskId, digest);
        await owner(() => fixtures.finalize(scheduler, taskId));
      }
    }),
  );
  return performance.now() - started;
}
