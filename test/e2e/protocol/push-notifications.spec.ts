// The push channel in real runs (worker-api.md §8.4–§8.6): what a subscriber of a task topic
// receives at consensus, completion and contribution timeout, from a real scheduler following a
// real chain.
import { type Hex } from 'viem';
import { workerAccount } from '../../../devstack/chain/accounts.js';
import { PushClient } from '../../../devstack/worker/push-client.js';
import type { TaskNotification } from '../../../src/notification/task-notification.js';
import { ReplicateStatus as S } from '../../../src/replicate/replicate-status.js';
import { TaskStatus } from '../../../src/task/task-status.js';
import { isolateChainPerFile, testChain } from '../../support/chain.js';
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

describe('push notifications in a real run', () => {
  let stack: Stack;
  let push: PushClient;

  beforeAll(async () => {
    stack = await startStack(chain);
    push = new PushClient({ url: `${stack.scheduler.baseUrl}/connect`, reconnectDelayMs: 200 });
    push.connect();
    await push.waitUntilConnected(10000);
  });
  afterEach(async () => {
    await stack.fleet?.stop();
    stack.fleet = undefined;
  });
  afterAll(async () => {
    await push?.close();
    await stack?.stop();
  });

  /** Everything published on the task's topic from now on. */
  function listen(taskId: string): TaskNotification[] {
    const received: TaskNotification[] = [];
    push.subscribe(taskId, (notification) => received.push(notification));
    return received;
  }

  /** A raw worker holding the first replicate of a new task, `statuses` reported. */
  async function holder(index: number, options: { trust?: number }, statuses: S[]) {
    const worker = await ProtocolWorker.start(stack.scheduler, index);
    const deal = await chain.fixtures.createDeal({
      workerpool: stack.workerpool,
      trust: options.trust ?? 1,
      workers: [worker.account, ...[1, 2, 3].map(workerAccount)],
    });
    const taskId = deal.taskIds[0];
    const received = listen(taskId);
    await waitForTaskStatus(stack.scheduler, taskId);
    const given = await eventually(async () => {
      const r = await worker.available(await latestBlock(chain));
      return r.status === 200 ? JSON.parse(r.text) : undefined;
    });
    expect(given.workerpoolAuthorization.chainTaskId).toBe(taskId);
    await worker.reportAll(taskId, statuses);
    return {
      worker,
      deal,
      taskId,
      received,
      signature: given.workerpoolAuthorization.signature.value as Hex,
    };
  }

  it('consensus: PLEASE_REVEAL with the block to the winners, PLEASE_ABORT CONSENSUS_REACHED to the loser; PLEASE_COMPLETE to everybody', async () => {
    // The loser takes the first replicate of a trust-3 task and contributes another result.
    const loser = await holder(0, { trust: 3 }, [...UP_TO_COMPUTED, S.CONTRIBUTING]);
    const { taskId, received } = loser;
    const tx = await chain.fixtures.contribute(
      loser.worker.account,
      taskId as Hex,
      digestOf(taskId, 'a wrong result'),
      loser.signature,
    );
    const contributed = await loser.worker.report(taskId, S.CONTRIBUTED, {
      chainReceipt: {
        blockNumber: Number(tx.receipt.blockNumber),
        txHash: tx.receipt.transactionHash,
      },
    });
    // 208 when the contribution detector (every second here) saw it on chain before the report.
    expect([200, 208]).toContain(contributed.status);
    // Three honest workers (wallets 1–3) outweigh it.
    const fleet = await stack.startWorkers(3, { account: (i) => workerAccount(i + 1) });
    const honest = fleet.workers.map((w) => w.wallet);
    const [task] = await stack.waitForDeal(loser.deal.dealId, 45000);
    expect(task.currentStatus).toBe(TaskStatus.COMPLETED);
    await eventually(() => received.some((n) => n.taskNotificationType === 'PLEASE_COMPLETE'));

    const byType = (type: string) => received.filter((n) => n.taskNotificationType === type);
    const [reveal] = byType('PLEASE_REVEAL');
    expect(byType('PLEASE_REVEAL')).toHaveLength(1);
    expect([...reveal.workersAddress].sort()).toEqual([...honest].sort());
    expect(reveal.taskNotificationExtra).toEqual({
      workerpoolAuthorization: null,
      smsUrl: null,
      blockNumber: task.consensusReachedBlockNumber,
      taskAbortCause: null,
    });
    expect(reveal.taskNotificationExtra!.blockNumber).toBeGreaterThan(0);

    expect(byType('PLEASE_ABORT')).toEqual([
      {
        chainTaskId: taskId,
        workersAddress: [loser.worker.wallet],
        taskNotificationType: 'PLEASE_ABORT',
        taskNotificationExtra: {
          workerpoolAuthorization: null,
          smsUrl: null,
          blockNumber: 0,
          taskAbortCause: 'CONSENSUS_REACHED',
        },
      },
    ]);
    const [upload] = byType('PLEASE_UPLOAD');
    expect(upload.workersAddress).toHaveLength(1);
    expect(honest).toContain(upload.workersAddress[0]);
    expect(upload.taskNotificationExtra).toBeNull();
    expect(byType('PLEASE_COMPLETE')).toEqual([
      {
        chainTaskId: taskId,
        workersAddress: [],
        taskNotificationType: 'PLEASE_COMPLETE',
        taskNotificationExtra: null,
      },
    ]);
    // Order of publication follows the task's life.
    expect(received.map((n) => n.taskNotificationType)).toEqual([
      'PLEASE_REVEAL',
      'PLEASE_ABORT',
      'PLEASE_UPLOAD',
      'PLEASE_COMPLETE',
    ]);
    // The loser aborts as told; the honest workers acted on theirs: every one COMPLETED.
    const aborted = await loser.worker.report(taskId, S.ABORTED, { cause: 'CONSENSUS_REACHED' });
    expect([aborted.status, aborted.text]).toEqual([200, '']);
    for (const w of fleet.workers) await w.waitForStatus(taskId, S.COMPLETED, 15000);
  }, 90000);

  it('contribution timeout: PLEASE_ABORT CONTRIBUTION_TIMEOUT to the replicate holders (chain time travel)', async () => {
    const { worker, taskId, received, deal } = await holder(4, {}, [S.STARTING, S.STARTED]);
    const view = await chain.fixtures.viewTask(taskId as Hex);
    const now = (await chain.control.latestBlock()).timestamp;
    await chain.control.increaseTime(view.contributionDeadline - now + 5n);
    await waitForTaskStatus(stack.scheduler, taskId, [TaskStatus.FAILED], 15000);
    await eventually(() => received.length > 0);
    expect(received).toEqual([
      {
        chainTaskId: taskId,
        workersAddress: [worker.wallet],
        taskNotificationType: 'PLEASE_ABORT',
        taskNotificationExtra: {
          workerpoolAuthorization: null,
          smsUrl: null,
          blockNumber: 0,
          taskAbortCause: 'CONTRIBUTION_TIMEOUT',
        },
      },
    ]);
    const [task] = await stack.waitForDeal(deal.dealId);
    expect(task.dateStatusList.map((s) => s.status).slice(-2)).toEqual([
      TaskStatus.CONTRIBUTION_TIMEOUT,
      TaskStatus.FAILED,
    ]);
    // The worker aborts as told.
    const aborted = await worker.report(taskId, S.ABORTED, { cause: 'CONTRIBUTION_TIMEOUT' });
    expect([aborted.status, aborted.text]).toEqual([200, '']);
  }, 60000);
});
