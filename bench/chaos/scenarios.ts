// The outage scenarios of issue 16, in the order of its table.
import { workerAccount } from '../../devstack/chain/accounts.js';
import { NRLC_PER_RLC } from '../../devstack/poco/deployment.js';
import { BLOCK_MS, WORKERS, type ChaosRun, type ChaosScenario } from './chaos-run.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const TWO_BLOCKS = 2 * BLOCK_MS;
const workersOf = () => Array.from({ length: WORKERS }, (_, i) => workerAccount(i));

/** Waits until a quarter of the run is COMPLETED: the fault then hits a run in full flight. */
async function midRun(run: ChaosRun, tasks: number): Promise<void> {
  await run.waitForCompleted(Math.max(1, Math.floor(tasks / 4)));
}

export function chaosScenarios(tasks: number): ChaosScenario[] {
  return [
    {
      name: 'node 20 blocks behind the workers’ node',
      expectedSeconds: 130,
      async before(run) {
        run.proxy.setFaults({ lagBlocks: 20 });
      },
      async fault(run) {
        // The whole run: restored only once every task is final (runScenario resets the proxy).
        await run.waitForCompleted(tasks, 240_000);
      },
    },
    {
      name: 'eth_getLogs capped at 100 blocks, deal 5,000 blocks after the cursor',
      expectedSeconds: 50,
      async before(run) {
        run.proxy.setFaults({ maxLogRange: 100 });
        // 5,000 blocks on the same timestamp: hardhat_mine's default 1 s apart would put chain
        // time 83 min ahead of the wall clock for the rest of the run, which no real chain does.
        const request = run.chain.clients.testClient.request as (args: {
          method: string;
          params: unknown[];
        }) => Promise<unknown>;
        await request({ method: 'hardhat_mine', params: ['0x1388', '0x0'] });
      },
      async fault(run) {
        await run.waitForCompleted(tasks, 240_000);
      },
    },
    {
      name: 'chain node unreachable 30 s mid-run',
      expectedSeconds: 75,
      async fault(run) {
        await midRun(run, tasks);
        run.proxy.setFaults({ downForMs: 30_000 });
        await sleep(30_000);
        const ended = Date.now();
        return { recoveryMs: await run.nextProgressAfter(ended), recoveryTargetMs: TWO_BLOCKS };
      },
    },
    {
      name: 'database server restarted mid-run',
      expectedSeconds: 35,
      async fault(run) {
        await midRun(run, tasks);
        await run.mongo.restart(3000);
        const ended = Date.now();
        return { recoveryMs: await run.nextProgressAfter(ended), recoveryTargetMs: 10_000 };
      },
    },
    {
      name: 'adapter answers every POST after the client’s timeout',
      expectedSeconds: 60,
      writer: 'adapter',
      env: { IEXEC_CORE_CHAIN_ADAPTER_REQUEST_TIMEOUT: '1000' },
      async before(run) {
        run.surroundings.services.blockchainAdapter.answerPostsLate(2500);
      },
      async fault(run) {
        await run.waitForCompleted(tasks, 240_000);
      },
    },
    {
      name: 'one poison deal and one good deal in the same block',
      expectedSeconds: 45,
      async deals(run, count, workerpool) {
        const { fixtures, roles } = run.chain;
        // Anyone may match the pool's public orders with an app whose enclave field is not JSON.
        const poisonApp = await fixtures.createApp({ mrenclave: 'not json {' });
        const poison = await fixtures.prepareDeal({ workerpool, app: poisonApp, fund: false });
        const good = await fixtures.prepareDeal({
          workerpool,
          volume: count,
          trust: 1,
          category: 1,
          workers: workersOf(),
          fund: false,
        });
        await fixtures.ensureStake(roles.requester, BigInt(count + 5) * 5n * NRLC_PER_RLC);
        await fixtures.ensureStake(roles.scheduler, BigInt(count + 5) * NRLC_PER_RLC);
        const [, matched] = await fixtures.matchOrdersInOneBlock([poison, good]);
        // matchOrdersInOneBlock leaves automine on: back to blocks once a second.
        await run.chain.clients.testClient.setAutomine(false);
        return [matched];
      },
    },
    {
      name: 'scheduler SIGKILLed at 10 random moments',
      expectedSeconds: 110,
      async fault(run) {
        let worst = 0;
        for (let kill = 1; kill <= 10; kill++) {
          if ((await run.completed()) >= tasks) break;
          await sleep(1000 + Math.random() * 3000);
          const killedAt = Date.now();
          await run.scheduler.kill();
          await run.scheduler.start();
          const back = Date.now();
          const ms = await run.nextProgressAfter(back).catch(async () =>
            // nothing left to progress: the run ended while the scheduler was down
            (await run.completed()) >= tasks ? 0 : 60_000,
          );
          run.log(`kill ${kill}: down ${back - killedAt} ms, next progress after ${ms} ms`);
          if (ms > TWO_BLOCKS)
            run.log(`  what changed after the kill: ${await run.debugAfter(killedAt)}`);
          worst = Math.max(worst, ms);
        }
        return { recoveryMs: worst, recoveryTargetMs: TWO_BLOCKS };
      },
    },
  ];
}
