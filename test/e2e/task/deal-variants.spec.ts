import { ChainTaskStatus } from '../../../src/chain/chain-status.js';
import { ReplicateStatus } from '../../../src/replicate/replicate-status.js';
import { containsStatus, currentStatus } from '../../../src/replicate/replicate-workflow.js';
import { ReplicatesListRepository } from '../../../src/replicate/replicates-list.repository.js';
import { TaskStatus } from '../../../src/task/task-status.js';
import { isolateChainPerFile, testChain } from '../../support/chain.js';
import { startStack, Stack } from '../../support/stack.js';

const chain = testChain();
isolateChainPerFile(chain);

const statuses = (task: { dateStatusList: { status: TaskStatus }[] }) =>
  task.dateStatusList.map((s) => s.status);

describe('deal variants, end to end', () => {
  let stack: Stack;
  afterEach(async () => {
    await stack?.stop();
  });

  it('trust 3 with a lying worker: consensus on the honest result, the liar aborted, task completed', async () => {
    stack = await startStack(chain);
    // The liar starts first so it gets the first replicate.
    await stack.startWorkers(4, {
      behaviour: (i) => (i === 0 ? 'wrongResult' : undefined),
      staggerMs: 400,
    });
    const deal = await chain.fixtures.createDeal({
      workerpool: stack.workerpool,
      volume: 1,
      trust: 3,
      workers: stack.workers(4),
    });
    const [task] = await stack.waitForDeal(deal.dealId, 60000);
    expect(task.currentStatus).toBe(TaskStatus.COMPLETED);
    const onChain = await chain.fixtures.viewTask(task.chainTaskId as `0x${string}`);
    expect(onChain.status).toBe(ChainTaskStatus.COMPLETED);
    expect(task.consensus).toBe(onChain.consensusValue);
    const list = await stack.scheduler
      .get(ReplicatesListRepository)
      .findByChainTaskId(task.chainTaskId);
    const liar = list!.replicates.find(
      (r) => r.walletAddress === stack.workers(1)[0].address.toLowerCase(),
    );
    expect(liar).toBeDefined();
    expect(containsStatus(liar!, ReplicateStatus.CONTRIBUTED)).toBe(true);
    expect(liar!.contributionHash).not.toBe(task.consensus);
    expect([ReplicateStatus.ABORTED, ReplicateStatus.FAILED]).toContain(currentStatus(liar!));
    const winners = list!.replicates.filter((r) => r.contributionHash === task.consensus);
    expect(winners.length).toBeGreaterThanOrEqual(2);
    // the workers finish after the task: PLEASE_COMPLETE → COMPLETING → COMPLETED
    await waitForChain(async () => {
      const now = await stack.scheduler
        .get(ReplicatesListRepository)
        .findByChainTaskId(task.chainTaskId);
      return now!.replicates
        .filter((r) => r.contributionHash === task.consensus)
        .every((r) => currentStatus(r) === ReplicateStatus.COMPLETED);
    });
  });

  it('a TEE deal (Scone tag, trust 1) goes through contribute-and-finalize with the SMS', async () => {
    stack = await startStack(chain);
    await stack.startWorkers(2, { worker: { pingIntervalMs: 1000, teeEnabled: true } });
    const deal = await chain.fixtures.createDeal({
      workerpool: stack.workerpool,
      volume: 2,
      trust: 1,
      tag: 3,
      workers: stack.workers(2),
    });
    const tasks = await stack.waitForDeal(deal.dealId, 60000);
    for (const task of tasks) {
      expect(statuses(task)).toEqual([
        TaskStatus.RECEIVED,
        TaskStatus.INITIALIZING,
        TaskStatus.INITIALIZED,
        TaskStatus.RUNNING,
        TaskStatus.FINALIZED,
        TaskStatus.COMPLETED,
      ]);
      expect(task.smsUrl).toBe(stack.services.smsScone.url);
      expect(task.enclaveChallenge).toBe(
        stack.services.smsScone.enclaveAccount(task.chainTaskId)!.address.toLowerCase(),
      );
      const onChain = await chain.fixtures.viewTask(task.chainTaskId as `0x${string}`);
      expect(onChain.status).toBe(ChainTaskStatus.COMPLETED);
      // Consensus fields copied off chain as for a standard task (iexec-core 8.6 #720).
      expect(task.consensus).toBe(onChain.consensusValue);
      expect(task.revealDeadline?.getTime()).toBe(Number(onChain.revealDeadline) * 1000);
      expect(task.consensusReachedBlockNumber).toBeGreaterThan(0);
      const list = await stack.scheduler
        .get(ReplicatesListRepository)
        .findByChainTaskId(task.chainTaskId);
      expect(list!.replicates).toHaveLength(1);
      expect(
        containsStatus(list!.replicates[0], ReplicateStatus.CONTRIBUTE_AND_FINALIZE_DONE),
      ).toBe(true);
    }
  });

  it('a deal with a callback is finalized with the right resultsCallback', async () => {
    stack = await startStack(chain);
    await stack.startWorkers(1);
    const callback = chain.roles.appOwner.address;
    const deal = await chain.fixtures.createDeal({
      workerpool: stack.workerpool,
      volume: 1,
      trust: 1,
      callback,
      workers: stack.workers(1),
    });
    const [task] = await stack.waitForDeal(deal.dealId, 60000);
    expect(task.currentStatus).toBe(TaskStatus.COMPLETED);
    expect(task.chainCallbackData).toMatch(/^0x[0-9a-f]+$/);
    const onChain = await chain.fixtures.viewTask(task.chainTaskId as `0x${string}`);
    expect(onChain.status).toBe(ChainTaskStatus.COMPLETED);
    expect(onChain.resultsCallback).toBe(task.chainCallbackData);
  });

  it('a winner that never reveals: its replicate times out and the task completes with the others after the reveal deadline', async () => {
    stack = await startStack(chain);
    await stack.startWorkers(2, {
      behaviour: (i) => (i === 0 ? 'neverReveal' : undefined),
      staggerMs: 400,
    });
    const deal = await chain.fixtures.createDeal({
      workerpool: stack.workerpool,
      volume: 1,
      trust: 3,
      workers: stack.workers(2),
    });
    const replicates = stack.scheduler.get(ReplicatesListRepository);
    const taskId = deal.taskIds[0];
    // Wait for the honest reveal, then for nothing more to happen before the reveal deadline.
    await waitForChain(async () => (await chain.fixtures.viewTask(taskId)).revealCounter === 1n);
    expect((await chain.fixtures.viewTask(taskId)).status).toBe(ChainTaskStatus.REVEALING);
    await chain.control.increaseTime(2 * 300 + 5);
    const [task] = await stack.waitForDeal(deal.dealId, 30000);
    expect(task.currentStatus).toBe(TaskStatus.COMPLETED);
    const silent = (await replicates.findByChainTaskId(taskId))!.replicates.find(
      (r) => r.walletAddress === stack.workers(1)[0].address.toLowerCase(),
    );
    const failed = silent!.statusUpdateList.find((s) => s.status === ReplicateStatus.FAILED);
    expect(failed?.details?.cause).toBe('REVEAL_TIMEOUT');
    expect((await chain.fixtures.viewTask(taskId)).status).toBe(ChainTaskStatus.COMPLETED);
  });
});

async function waitForChain(check: () => Promise<boolean>, timeoutMs = 30000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('chain condition not met');
}
