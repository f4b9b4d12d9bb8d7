import { ReplicateStatus } from '../../../src/replicate/replicate-status.js';
import { currentStatus } from '../../../src/replicate/replicate-workflow.js';
import { ReplicatesListRepository } from '../../../src/replicate/replicates-list.repository.js';
import { TaskStatus } from '../../../src/task/task-status.js';
import { TaskRepository } from '../../../src/task/task.repository.js';
import { isolateChainPerFile, testChain } from '../../support/chain.js';
import { hubCallsFrom } from '../../support/chain-txs.js';
import { eventually } from '../../support/scheduler.js';
import { startStack, Stack } from '../../support/stack.js';

// Deadline paths on the chain's clock (time travel): each ends in the right status and the
// scheduler sends nothing it does not have to (no finalize, no claim).
const chain = testChain();
isolateChainPerFile(chain);
const XS = 300; // category 0 work-clock reference, seconds

describe('deadlines', () => {
  let stack: Stack;
  afterEach(async () => {
    await stack?.stop();
  });

  const history = async (chainTaskId: string) =>
    (await stack.scheduler.get(TaskRepository).findByChainTaskId(chainTaskId))!.dateStatusList.map(
      (s) => s.status,
    );
  const reached = (chainTaskId: string, status: TaskStatus, timeoutMs = 15000) =>
    eventually(async () => (await history(chainTaskId)).includes(status), timeoutMs, status);
  /** Hub functions the scheduler wallet called since block `from` (matchOrders is the test's). */
  const schedulerCalls = async (from: bigint) =>
    (await hubCallsFrom(chain, chain.roles.scheduler.address, from))
      .map((c) => c.functionName)
      .filter((f) => f !== 'matchOrders');

  it('no contribution before the contribution deadline: CONTRIBUTION_TIMEOUT, FAILED, one initialize only', async () => {
    stack = await startStack(chain);
    const from = await chain.clients.publicClient.getBlockNumber();
    const deal = await chain.fixtures.createDeal({
      workerpool: stack.workerpool,
      volume: 1,
      trust: 1,
    });
    const [taskId] = deal.taskIds;
    await reached(taskId, TaskStatus.INITIALIZED);
    await chain.control.increaseTime(7 * XS + 5);
    await reached(taskId, TaskStatus.FAILED);
    expect(await history(taskId)).toEqual([
      TaskStatus.RECEIVED,
      TaskStatus.INITIALIZING,
      TaskStatus.INITIALIZED,
      TaskStatus.CONTRIBUTION_TIMEOUT,
      TaskStatus.FAILED,
    ]);
    expect(await schedulerCalls(from)).toEqual(['initialize']);
  });

  it('a lone winner that never reveals: its replicate fails at the reveal deadline, the task at its final deadline, nothing finalized', async () => {
    stack = await startStack(chain);
    await stack.startWorkers(1, { behaviour: () => 'neverReveal' });
    const from = await chain.clients.publicClient.getBlockNumber();
    const deal = await chain.fixtures.createDeal({
      workerpool: stack.workerpool,
      volume: 1,
      trust: 1,
      workers: stack.workers(1),
    });
    const [taskId] = deal.taskIds;
    await reached(taskId, TaskStatus.CONSENSUS_REACHED, 20000);
    await chain.control.increaseTime(2 * XS + 5);
    const replicates = stack.scheduler.get(ReplicatesListRepository);
    const silent = await eventually(
      async () => {
        const r = (await replicates.findByChainTaskId(taskId))!.replicates[0];
        return currentStatus(r) === ReplicateStatus.FAILED ? r : undefined;
      },
      15000,
      'the silent replicate FAILED',
    );
    expect(silent.statusUpdateList.at(-1)?.details?.cause).toBe('REVEAL_TIMEOUT');
    expect((await history(taskId)).at(-1)).toBe(TaskStatus.CONSENSUS_REACHED);

    await chain.control.increaseTime(10 * XS);
    await reached(taskId, TaskStatus.FAILED);
    expect((await history(taskId)).slice(-2)).toEqual([
      TaskStatus.FINAL_DEADLINE_REACHED,
      TaskStatus.FAILED,
    ]);
    expect(await schedulerCalls(from)).toEqual(['initialize']);
  });

  it('a task that could never be initialized (adapter down) fails at its final deadline without any transaction', async () => {
    stack = await startStack(chain, {
      writer: 'adapter',
      env: { IEXEC_CORE_CHAIN_ADAPTER_URL: 'http://127.0.0.1:9' },
    });
    const from = await chain.clients.publicClient.getBlockNumber();
    const deal = await chain.fixtures.createDeal({
      workerpool: stack.workerpool,
      volume: 1,
      trust: 1,
    });
    const [taskId] = deal.taskIds;
    await eventually(async () => (await history(taskId)).length > 0, 15000, 'the task');
    await new Promise((r) => setTimeout(r, 1500));
    expect(await history(taskId)).toEqual([TaskStatus.RECEIVED]);
    await chain.control.increaseTime(10 * XS + 5);
    await reached(taskId, TaskStatus.FAILED);
    expect(await history(taskId)).toEqual([
      TaskStatus.RECEIVED,
      TaskStatus.FINAL_DEADLINE_REACHED,
      TaskStatus.FAILED,
    ]);
    expect(await schedulerCalls(from)).toEqual([]);
  });
});
