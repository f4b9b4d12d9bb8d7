// Two workers racing for the one replicate slot of a trust-1 task (worker-api.md §5.4, §10.1),
// 100 times, with concurrent R1 requests: never both get it.
//
// A fresh task per race would cost a deal and its initialization each time (~0.5 s on the test
// database). Instead the single slot is freed again after each race: the winner reports FAILED
// (CREATED → FAILED is a valid transition and a FAILED replicate never counts, §5.5), so the
// task is on offer again, to workers that never had a replicate in it (§5.4 step 3.2): each race
// is between two of them. 101 wallets make 100 races on one task, the only one on offer.
import { parseEther } from 'viem';
import { workerAccount } from '../../../devstack/chain/accounts.js';
import { ReplicateStatus as S } from '../../../src/replicate/replicate-status.js';
import { currentStatus } from '../../../src/replicate/replicate-workflow.js';
import { ReplicatesListRepository } from '../../../src/replicate/replicates-list.repository.js';
import { isolateChainPerFile, testChain } from '../../support/chain.js';
import {
  latestBlock,
  ProtocolWorker,
  sleep,
  waitForTaskStatus,
} from '../../support/protocol-worker.js';
import { FAST_SCHEDULER_ENV, RunningScheduler, startScheduler } from '../../support/scheduler.js';
import { sharedDealSetup } from '../../support/services.js';

const chain = testChain();
isolateChainPerFile(chain);
const RACES = 100;
const deals = sharedDealSetup(chain, []);

describe('the last replicate slot of a task, raced by two workers', () => {
  let scheduler: RunningScheduler;
  let workers: ProtocolWorker[];

  beforeAll(async () => {
    // Only R1 matters here: the detectors are slowed down to keep the box quiet.
    scheduler = await startScheduler(chain, deals().workerpool!, {
      env: Object.fromEntries(
        Object.keys(FAST_SCHEDULER_ENV)
          .filter((k) => k.startsWith('CRON_') || k === 'REVEAL_TIMEOUT_PERIOD')
          .map((k) => [k, '60000']),
      ),
    });
    // Every racer needs gas (§5.2): the dev chain funds the first 50 worker accounts only.
    for (let i = 50; i <= RACES; i++) {
      await chain.clients.testClient.setBalance({
        address: workerAccount(i).address,
        value: parseEther('10'),
      });
    }
    workers = await Promise.all(
      Array.from({ length: RACES + 1 }, (_, i) => ProtocolWorker.start(scheduler, i)),
    );
  });
  afterAll(async () => {
    await scheduler?.close();
  });

  it(`is given to exactly one of them, ${RACES} times out of ${RACES}`, async () => {
    const deal = await chain.fixtures.createDeal({ ...deals(), fund: false });
    const taskId = deal.taskIds[0];
    await waitForTaskStatus(scheduler, taskId);
    const block = await latestBlock(chain);
    const winners: string[] = [];
    let eligible = [...workers];

    for (let race = 1; race <= RACES; race++) {
      const pair = pickTwo(eligible);
      let answers = await Promise.all(pair.map((w) => w.available(block)));
      // The new task reaches the supply's candidate cache within 500 ms: until then nobody gets it.
      for (
        let wait = 0;
        race === 1 && wait < 20 && answers.every((a) => a.status === 204);
        wait++
      ) {
        await sleep(50);
        answers = await Promise.all(pair.map((w) => w.available(block)));
      }

      expect(answers.map((a) => a.status).sort()).toEqual([200, 204]);
      const winner = pair[answers.findIndex((a) => a.status === 200)];
      const granted = JSON.parse(answers.find((a) => a.status === 200)!.text);
      expect(granted.workerpoolAuthorization).toMatchObject({
        chainTaskId: taskId,
        workerWallet: winner.wallet,
      });
      winners.push(winner.wallet);
      eligible = eligible.filter((w) => w !== winner);
      // Free the slot for the next race (the last winner keeps it).
      if (race < RACES) {
        const freed = await winner.report(taskId, S.FAILED);
        expect([freed.status, freed.text]).toEqual([200, '']);
      }
    }

    // One replicate per race, in order: every one FAILED (freed) but the last.
    const list = (await scheduler.get(ReplicatesListRepository).findByChainTaskId(taskId))!
      .replicates;
    expect(list.map((r) => r.walletAddress)).toEqual(winners);
    expect(list.filter((r) => currentStatus(r) !== S.FAILED)).toEqual([list[RACES - 1]]);
  }, 120000);
});

function pickTwo<T>(items: T[]): [T, T] {
  const i = Math.floor(Math.random() * items.length);
  let j = Math.floor(Math.random() * (items.length - 1));
  if (j >= i) j++;
  return [items[i], items[j]];
}
