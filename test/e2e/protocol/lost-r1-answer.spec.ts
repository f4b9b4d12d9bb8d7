// A replicate handed out by R1 whose answer never reached the worker (the scheduler SIGKILLed
// between writing the replicate and answering, issue 16's SIGKILL row): the worker asks again
// and must get that task again, not wait for the contribution deadline with its place held.
import { ReplicateStatus } from '../../../src/replicate/replicate-status.js';
import { ReplicatesListRepository } from '../../../src/replicate/replicates-list.repository.js';
import { currentStatus } from '../../../src/replicate/replicate-workflow.js';
import { isolateChainPerFile, testChain } from '../../support/chain.js';
import {
  latestBlock,
  ProtocolWorker,
  sleep,
  waitForTaskStatus,
} from '../../support/protocol-worker.js';
import { eventually } from '../../support/scheduler.js';
import { startStack, Stack } from '../../support/stack.js';

const chain = testChain();
isolateChainPerFile(chain);

describe('an R1 answer lost on the way to the worker', () => {
  let stack: Stack;
  afterEach(async () => {
    await stack?.stop();
  });

  /** A stack and a one-task trust-1 deal whose task is ready to be handed out. */
  async function oneTaskInitialized(): Promise<string> {
    stack = await startStack(chain);
    const deal = await chain.fixtures.createDeal({
      workerpool: stack.workerpool,
      volume: 1,
      trust: 1,
      workers: stack.workers(1),
    });
    const [taskId] = deal.taskIds;
    await waitForTaskStatus(stack.scheduler, taskId);
    return taskId;
  }

  it('is answered again when the worker asks again', async () => {
    const taskId = await oneTaskInitialized();
    // The worker's wallet asks, the scheduler writes the replicate and answers: the answer is
    // dropped here, as a transport error after the scheduler's death drops it.
    const asking = await ProtocolWorker.start(stack.scheduler, 0);
    const lost = await asking.available(await latestBlock(chain));
    expect(lost.status).toBe(200);
    expect(lost.text).toContain(taskId);
    // Within one process the answer counts as received: asking again gets nothing.
    await sleep(3000);
    expect((await asking.available(await latestBlock(chain))).text).not.toContain(taskId);
    // The scheduler dies (as if before its answer left) and comes back on the same database.
    await stack.restartScheduler();

    // The same worker asks again (its next R1, it knows of no task): the same task comes back,
    // with the authorization it never received, and no second replicate is made.
    const again = await eventually(
      async () => {
        const res = await asking.available(await latestBlock(chain));
        return res.status === 200 && res.text.includes(taskId) ? res : undefined;
      },
      20000,
      'the lost replicate answered again',
      1000,
    );
    expect(JSON.parse(again.text)).toEqual(JSON.parse(lost.text));
    const list = await stack.scheduler.get(ReplicatesListRepository).findByChainTaskId(taskId);
    expect(list?.replicates.map((r) => currentStatus(r))).toEqual([ReplicateStatus.CREATED]);

    // Once the worker started it, it is its own again: never handed out a third time.
    await asking.reportAll(taskId, [ReplicateStatus.STARTING]);
    await sleep(3000);
    const later = await asking.available(await latestBlock(chain));
    expect(later.text).not.toContain(taskId);
  }, 90000);

  it('is answered again after the worker restarted before starting it (its R2 leaves it CREATED)', async () => {
    const taskId = await oneTaskInitialized();
    const before = await ProtocolWorker.start(stack.scheduler, 0);
    const handed = await before.available(await latestBlock(chain));
    expect(handed.text).toContain(taskId);
    await sleep(3000); // past the two-block grace: the worker is evidently not starting it

    // The worker's process dies before its STARTING; the new one logs in and recovers (R2).
    const after = await ProtocolWorker.start(stack.scheduler, 0);
    const recovery = await after.interrupted(await latestBlock(chain));
    expect(recovery.status).toBe(200);
    // Nothing to recover for a task it never started (the reference's PLEASE_CONTRIBUTE would be
    // dropped by the worker, and its RECOVERING would refuse the next STARTING).
    expect(recovery.text).not.toContain(taskId);
    const list = await stack.scheduler.get(ReplicatesListRepository).findByChainTaskId(taskId);
    expect(list?.replicates.map((r) => r.statusUpdateList.map((u) => u.status))).toEqual([
      [ReplicateStatus.CREATED],
    ]);

    // Its next R1 gets the task back (same authorization), and it can start it.
    const again = await after.available(await latestBlock(chain));
    expect(again.status).toBe(200);
    expect(JSON.parse(again.text)).toEqual(JSON.parse(handed.text));
    await after.reportAll(taskId, [ReplicateStatus.STARTING]);
    await sleep(3000);
    expect((await after.available(await latestBlock(chain))).text).not.toContain(taskId);
  }, 90000);
});
