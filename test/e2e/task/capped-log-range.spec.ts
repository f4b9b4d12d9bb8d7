// Issue 16 §2: an RPC provider capping eth_getLogs ranges (100 blocks here, through the fault
// proxy) must not cost the consensus block. Before the fix the TaskConsensus lookup asked one
// range from the initialization block to `latest`, the provider refused it, block 0 was stored
// and PLEASE_REVEAL carried 0 (every winner's reveal then fails).
import { type Hex } from 'viem';
import { PushClient } from '../../../devstack/worker/push-client.js';
import type { TaskNotification } from '../../../src/notification/task-notification.js';
import { ReplicateStatus as S } from '../../../src/replicate/replicate-status.js';
import { TaskRepository } from '../../../src/task/task.repository.js';
import { isolateChainPerFile, rpcFaultProxyPerFile, testChain } from '../../support/chain.js';
import {
  digestOf,
  latestBlock,
  ProtocolWorker,
  UP_TO_COMPUTED,
  waitForTaskStatus,
} from '../../support/protocol-worker.js';
import { eventually } from '../../support/scheduler.js';
import { startStack, Stack } from '../../support/stack.js';

const chain = testChain();
isolateChainPerFile(chain);
const proxy = rpcFaultProxyPerFile(chain);
const CAP = 100;

describe('eth_getLogs capped at 100 blocks by the provider', () => {
  let stack: Stack | undefined;
  let push: PushClient | undefined;
  afterEach(async () => {
    await push?.close();
    await stack?.stop();
  });

  it('finds the deal and the consensus block far beyond one range; PLEASE_REVEAL carries the real block', async () => {
    proxy().setFaults({ maxLogRange: CAP });
    // the deal comes more than one range after the watcher's start block
    await chain.control.mine(CAP + 50);
    stack = await startStack(chain, {
      env: {
        IEXEC_PRIVATE_CHAIN_ADDRESS: proxy().url,
        IEXEC_MAX_LOG_RANGE: String(CAP),
        // the former name, for the code before IEXEC_MAX_LOG_RANGE (the deal watcher read it)
        IEXEC_DEAL_MAX_BLOCK_RANGE: String(CAP),
      },
    });
    push = new PushClient({ url: `${stack.scheduler.baseUrl}/connect`, reconnectDelayMs: 200 });
    push.connect();
    await push.waitUntilConnected(10000);
    const worker = await ProtocolWorker.start(stack.scheduler, 0);
    const deal = await chain.fixtures.createDeal({
      workerpool: stack.workerpool,
      trust: 1,
      workers: [worker.account],
    });
    const taskId = deal.taskIds[0];
    const received: TaskNotification[] = [];
    push.subscribe(taskId, (notification) => received.push(notification));
    await waitForTaskStatus(stack.scheduler, taskId);
    const given = await eventually(async () => {
      const r = await worker.available(await latestBlock(chain));
      return r.status === 200 ? JSON.parse(r.text) : undefined;
    });
    await worker.reportAll(taskId, [...UP_TO_COMPUTED, S.CONTRIBUTING]);
    // the consensus comes more than one range after the initialization block
    await chain.control.mine(CAP + 50);
    const tx = await chain.fixtures.contribute(
      worker.account,
      taskId as Hex,
      digestOf(taskId),
      given.workerpoolAuthorization.signature.value as Hex,
    );
    const consensusBlock = Number(tx.receipt.blockNumber);
    const contributed = await worker.report(taskId, S.CONTRIBUTED, {
      chainReceipt: { blockNumber: consensusBlock, txHash: tx.receipt.transactionHash },
    });
    expect([200, 208]).toContain(contributed.status);

    const reveal = await eventually(
      () => received.find((n) => n.taskNotificationType === 'PLEASE_REVEAL'),
      20000,
      'PLEASE_REVEAL',
    );
    expect(reveal.taskNotificationExtra?.blockNumber).toBe(consensusBlock);
    const task = await stack.scheduler.get(TaskRepository).findByChainTaskId(taskId);
    expect(task?.consensusReachedBlockNumber).toBe(consensusBlock);
    expect(task!.initializationBlockNumber).toBeLessThan(consensusBlock - CAP);
    // every eth_getLogs stayed within the provider's cap
    expect(proxy().stats().maxLogRangeAsked).toBeLessThanOrEqual(CAP);
    expect(proxy().stats().byMethod.eth_getLogs).toBeGreaterThan(0);
  });
});
