// Two workers racing for the one replicate slot of a trust-1 task (worker-api.md §5.4, §10.1),
// 100 times, with concurrent R1 requests: never both get it.
//
// A fresh task per race would cost a deal and its initialization each time (~0.5 s on the test
// database). Instead the single slot is freed again after each race: the winner reports FAILED
// (CREATED → FAILED is a valid transition and a FAILED replicate never counts, §5.5), so the
// same task is on offer again, to workers that never had a replicate in it (§5.4 step 3.2). A
// task serves at most POOL − 1 races, then a new one-task deal takes over; between deals the
// last winner keeps its replicate, so exactly one task is on offer at any time.
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
const POOL = 21;
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
    workers = await Promise.all(
      Array.from({ length: POOL }, (_, i) => ProtocolWorker.start(scheduler, i)),
    );
  });
  afterAll(async () => {
    await scheduler?.close();
  });

  it(`is given to exactly one of them, ${RACES} times out of ${RACES}`, async () => {
    const replicates = scheduler.get(ReplicatesListRepository);
    const grants = new Map<string, string[]>();
    let races = 0;
    let taskId = '';
    let eligible: ProtocolWorker[] = [];
    const block = await latestBlock(chain);

    while (races < RACES) {
      if (eligible.length < 2) {
        const deal = await chain.fixtures.createDeal({ ...deals(), fund: false });
        taskId = deal.taskIds[0];
        await waitForTaskStatus(scheduler, taskId);
        await sleep(550); // the supply's candidate cache
        eligible = [...workers];
      }
      const pair = pickTwo(eligible);
      const answers = await Promise.all(pair.map((w) => w.available(block)));

      expect(answers.map((a) => a.status).sort()).toEqual([200, 204]);
      const winner = pair[answers.findIndex((a) => a.status === 200)];
      const granted = JSON.parse(answers.find((a) => a.status === 200)!.text);
      expect(granted.workerpoolAuthorization).toMatchObject({
        chainTaskId: taskId,
        workerWallet: winner.wallet,
      });
      grants.set(taskId, [...(grants.get(taskId) ?? []), winner.wallet]);
      races++;

      const list = (await replicates.findByChainTaskId(taskId))!.replicates;
      expect(list.map((r) => r.walletAddress)).toEqual(grants.get(taskId));
      expect(list.filter((r) => currentStatus(r) !== S.FAILED)).toHaveLength(1);

      eligible = eligible.filter((w) => w !== winner);
      // Free the slot for the next race on this task (the last winner of a task keeps it).
      if (eligible.length >= 2 && races < RACES) {
        const freed = await winner.report(taskId, S.FAILED);
        expect(freed.status).toBe(200);
      }
    }
    expect([...grants.values()].flat()).toHaveLength(RACES);
    for (const [id, wallets] of grants) {
      const list = (await replicates.findByChainTaskId(id))!.replicates;
      expect(list).toHaveLength(wallets.length);
      expect(new Set(list.map((r) => r.walletAddress)).size).toBe(wallets.length);
    }
  }, 60000);
});

function pickTwo<T>(items: T[]): [T, T] {
  const i = Math.floor(Math.random() * items.length);
  let j = Math.floor(Math.random() * (items.length - 1));
  if (j >= i) j++;
  return [items[i], items[j]];
}
