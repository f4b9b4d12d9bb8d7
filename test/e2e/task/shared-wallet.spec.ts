import { TaskStatus } from '../../../src/task/task-status.js';
import { TaskRepository } from '../../../src/task/task.repository.js';
import { isolateChainPerFile, testChain } from '../../support/chain.js';
import { eventually } from '../../support/scheduler.js';
import { startStack, Stack } from '../../support/stack.js';

// The embedded writer counts its nonces itself; an operator sending from the workerpool wallet
// meanwhile makes that count stale. The next initialize must still go out at once, not wait for
// the unstarted-transaction detector (set to 10 minutes here so it cannot be what rescues it).
const chain = testChain();
isolateChainPerFile(chain);

describe('a transaction sent from the scheduler wallet by someone else', () => {
  let stack: Stack;
  afterAll(async () => {
    await stack?.stop();
  });

  const initialized = (dealId: string) =>
    eventually(
      async () => {
        const [task] = await stack.scheduler.get(TaskRepository).findByDeal(dealId);
        return task && task.currentStatus !== TaskStatus.RECEIVED ? task : undefined;
      },
      15000,
      `initialize of deal ${dealId}`,
    );

  it('does not hold back the next initialize', async () => {
    stack = await startStack(chain, { env: { CRON_DETECTOR_CHAIN_UNSTARTEDTX: '600000' } });
    const first = await chain.fixtures.createDeal({ workerpool: stack.workerpool, volume: 1 });
    await initialized(first.dealId); // the writer now counts nonces from its last send

    const owner = chain.roles.scheduler;
    const wallet = chain.clients.wallet(owner);
    const hash = await wallet.sendTransaction({ account: owner, to: owner.address, value: 0n });
    await chain.clients.publicClient.waitForTransactionReceipt({ hash });

    const second = await chain.fixtures.createDeal({ workerpool: stack.workerpool, volume: 1 });
    const task = await initialized(second.dealId);
    expect([TaskStatus.INITIALIZING, TaskStatus.INITIALIZED]).toContain(task.currentStatus);
  });
});
