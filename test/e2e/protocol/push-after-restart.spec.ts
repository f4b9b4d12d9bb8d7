// A PLEASE_REVEAL pushed while the worker's STOMP session was down (issue 16's SIGKILL row: the
// scheduler restarted right after consensus) is lost; the worker subscribing again to the task's
// topic must get it at once, not after the periodic replay's grace (~10 s after its last update).
import { type Hex } from 'viem';
import { PushClient } from '../../../devstack/worker/push-client.js';
import type { TaskNotification } from '../../../src/notification/task-notification.js';
import { ReplicateStatus as S } from '../../../src/replicate/replicate-status.js';
import { TaskStatus } from '../../../src/task/task-status.js';
import { isolateChainPerFile, testChain } from '../../support/chain.js';
import {
  digestOf,
  latestBlock,
  ProtocolWorker,
  sleep,
  UP_TO_COMPUTED,
  waitForTaskStatus,
} from '../../support/protocol-worker.js';
import { eventually } from '../../support/scheduler.js';
import { startStack, Stack } from '../../support/stack.js';

const chain = testChain();
isolateChainPerFile(chain);

describe('a push notification lost across a scheduler restart', () => {
  let stack: Stack;
  const clients: PushClient[] = [];

  afterAll(async () => {
    for (const client of clients) await client.close();
    await stack?.stop();
  });

  /** A new STOMP session subscribed to the task's topic; resolves once SUBSCRIBE is sent. */
  async function subscriber(taskId: string): Promise<{ received: TaskNotification[]; at: number }> {
    const push = new PushClient({
      url: `${stack.scheduler.baseUrl}/connect`,
      reconnectDelayMs: 200,
    });
    clients.push(push);
    push.connect();
    await push.waitUntilConnected(10000);
    const received: TaskNotification[] = [];
    push.subscribe(taskId, (notification) => received.push(notification));
    return { received, at: Date.now() };
  }

  it('PLEASE_REVEAL reaches the winner within 3 s of its subscribing again, and only while it has not revealed', async () => {
    stack = await startStack(chain);
    const worker = await ProtocolWorker.start(stack.scheduler, 0);
    const deal = await chain.fixtures.createDeal({
      workerpool: stack.workerpool,
      trust: 1,
      workers: [worker.account],
    });
    const taskId = deal.taskIds[0];
    await waitForTaskStatus(stack.scheduler, taskId);
    const given = await eventually(async () => {
      const r = await worker.available(await latestBlock(chain));
      return r.status === 200 ? JSON.parse(r.text) : undefined;
    });
    await worker.reportAll(taskId, [...UP_TO_COMPUTED, S.CONTRIBUTING]);
    const tx = await chain.fixtures.contribute(
      worker.account,
      taskId as Hex,
      digestOf(taskId),
      given.workerpoolAuthorization.signature.value as Hex,
    );
    const contributed = await worker.report(taskId, S.CONTRIBUTED, {
      chainReceipt: {
        blockNumber: Number(tx.receipt.blockNumber),
        txHash: tx.receipt.transactionHash,
      },
    });
    expect([200, 208]).toContain(contributed.status);
    // Consensus: the PLEASE_REVEAL is pushed to nobody (the worker's session is down).
    const task = await waitForTaskStatus(stack.scheduler, taskId, [TaskStatus.CONSENSUS_REACHED]);
    const contributedAt = Date.now();

    await stack.restartScheduler();

    // The worker's session is back: it subscribes to the task's topic again.
    const back = await subscriber(taskId);
    const reveal = await eventually(
      () => back.received.find((n) => n.taskNotificationType === 'PLEASE_REVEAL'),
      3000,
      'PLEASE_REVEAL within 3 s of the subscription',
      50,
    );
    const elapsed = Date.now() - back.at;
    // Not the periodic replay (10 s after the last update) arriving by chance.
    expect(Date.now() - contributedAt).toBeLessThan(10_000);
    expect(elapsed).toBeLessThan(3000);
    expect(reveal).toEqual({
      chainTaskId: taskId,
      workersAddress: [worker.wallet],
      taskNotificationType: 'PLEASE_REVEAL',
      taskNotificationExtra: {
        workerpoolAuthorization: null,
        smsUrl: null,
        blockNumber: task.consensusReachedBlockNumber,
        taskAbortCause: null,
      },
    });
    expect(reveal.taskNotificationExtra!.blockNumber).toBeGreaterThan(0);

    // Once the worker acted on it (REVEALING), a new subscription is not told to reveal again.
    expect((await worker.report(taskId, S.REVEALING)).status).toBe(200);
    const later = await subscriber(taskId);
    await sleep(1500);
    expect(later.received.filter((n) => n.taskNotificationType === 'PLEASE_REVEAL')).toEqual([]);
  }, 90000);
});
