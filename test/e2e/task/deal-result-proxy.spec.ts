import {
  startResultProxy,
  type ResultProxyStandIn,
} from '../../../devstack/services/result-proxy.js';
import { ChainTaskStatus } from '../../../src/chain/chain-status.js';
import { TaskStatus } from '../../../src/task/task-status.js';
import { isolateChainPerFile, testChain } from '../../support/chain.js';
import { startStack, Stack } from '../../support/stack.js';

const chain = testChain();
isolateChainPerFile(chain);

describe("the deal's own result proxy (iexec-core 8.6 #716, issue 16 §6)", () => {
  let stack: Stack;
  let dealProxy: ResultProxyStandIn;
  afterEach(async () => {
    stack?.services.resultProxy.setDown(false);
    await stack?.stop();
    await dealProxy?.stop();
  });

  it('a deal naming a second result proxy completes while the configured one is down', async () => {
    stack = await startStack(chain);
    dealProxy = await startResultProxy({ deployment: chain.deployment, clients: chain.clients });
    stack.services.resultProxy.setDown(true);
    // Workers upload where the deal says, as real workers do.
    await stack.startWorkers(3, { resultProxyUrl: dealProxy.url });
    const deal = await chain.fixtures.createDeal({
      workerpool: stack.workerpool,
      volume: 2,
      trust: 1,
      workers: stack.workers(3),
      params: { iexec_result_storage_provider: 'ipfs', iexec_result_storage_proxy: dealProxy.url },
    });
    const tasks = await stack.waitForDeal(deal.dealId, 90000);

    expect(tasks.map((t) => t.currentStatus)).toEqual([TaskStatus.COMPLETED, TaskStatus.COMPLETED]);
    for (const task of tasks) {
      expect((await chain.fixtures.viewTask(task.chainTaskId as `0x${string}`)).status).toBe(
        ChainTaskStatus.COMPLETED,
      );
      expect(task.resultLink).toContain(dealProxy.uploaded(task.chainTaskId)!.link);
      expect(stack.services.resultProxy.uploaded(task.chainTaskId)).toBeUndefined();
    }
  }, 150000);
});
