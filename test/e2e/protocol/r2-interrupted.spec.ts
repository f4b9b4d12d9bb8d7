// R2 `GET /replicates/interrupted` (worker-api.md §6, §14 items 18–25) after real worker crashes,
// against a real scheduler on the dev chain.
import { parseAbiItem, type Hex } from 'viem';
import { crashAfter } from '../../../devstack/worker/behaviours.js';
import { isWorkerpoolAuthorizationSignedBy } from '../../../src/chain/workerpool-authorization.js';
import { ReplicateStatus as S } from '../../../src/replicate/replicate-status.js';
import { ReplicatesListRepository } from '../../../src/replicate/replicates-list.repository.js';
import { TaskStatus } from '../../../src/task/task-status.js';
import { isolateChainPerFile, testChain } from '../../support/chain.js';
import {
  digestOf,
  latestBlock,
  ProtocolWorker,
  shapeOf,
  UP_TO_COMPUTED,
  waitForTaskStatus,
} from '../../support/protocol-worker.js';
import { eventually } from '../../support/scheduler.js';
import { startStack, Stack } from '../../support/stack.js';

const chain = testChain();
isolateChainPerFile(chain);

/** The TaskNotification shape the worker's strict HTTP decoder accepts (§6.3, §8.6). */
const NOTIFICATION_SHAPE = {
  chainTaskId: 'string',
  workersAddress: ['string'],
  taskNotificationType: 'string',
  taskNotificationExtra: {
    workerpoolAuthorization: {
      chainTaskId: 'string',
      workerWallet: 'string',
      enclaveChallenge: 'string',
      signature: { value: 'string' },
    },
    smsUrl: 'null',
    blockNumber: 'number',
    taskAbortCause: 'null',
  },
};

/** Block of the TaskConsensus event of a task, read from the chain. */
async function consensusBlock(taskId: string): Promise<number> {
  const logs = await chain.clients.publicClient.getLogs({
    address: chain.deployment.hub,
    event: parseAbiItem('event TaskConsensus(bytes32 indexed taskid, bytes32 consensus)'),
    args: { taskid: taskId as Hex },
    fromBlock: 0n,
  });
  expect(logs).toHaveLength(1);
  return Number(logs[0].blockNumber);
}

describe('R2 /replicates/interrupted after a worker crash (real scheduler and chain)', () => {
  let stack: Stack;
  let replicates: ReplicatesListRepository;

  const history = async (taskId: string, wallet: string) =>
    (await replicates.findByChainTaskId(taskId))!.replicates.find(
      (r) => r.walletAddress === wallet,
    )!.statusUpdateList;

  beforeAll(async () => {
    // Contributions nobody reported are left to R2 (the unnotified detector would find them).
    stack = await startStack(chain, { env: { CRON_DETECTOR_CHAIN_CONTRIBUTE: '60000' } });
    replicates = stack.scheduler.get(ReplicatesListRepository);
  });
  afterEach(async () => {
    await stack.fleet?.stop();
    stack.fleet = undefined;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('a worker that crashed after CONTRIBUTED gets PLEASE_REVEAL with the consensus block and completes the task', async () => {
    const fleet = await stack.startWorkers(1, { behaviour: () => crashAfter(S.CONTRIBUTED) });
    const worker = fleet.worker(0);
    const crashed = new Promise((resolve) => worker.once('crashed', resolve));
    const deal = await chain.fixtures.createDeal({
      workerpool: stack.workerpool,
      workers: stack.workers(1),
    });
    const taskId = deal.taskIds[0];
    await crashed;
    // The PLEASE_REVEAL pushed at consensus went nowhere.
    const task = await waitForTaskStatus(stack.scheduler, taskId, [TaskStatus.CONSENSUS_REACHED]);
    const block = await consensusBlock(taskId);
    expect(task.consensusReachedBlockNumber).toBe(block);

    // What the restarting worker will be told, read raw (the worker's strict decoder needs
    // exactly these properties; no top-level taskAbortCause).
    const raw = await ProtocolWorker.start(stack.scheduler, 0, { register: false });
    const res = await raw.interrupted(await latestBlock(chain));
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/^application\/json/);
    const notifications = JSON.parse(res.text);
    expect(shapeOf(notifications)).toEqual([NOTIFICATION_SHAPE]);
    expect(notifications).toHaveLength(1);
    const [notification] = notifications;
    expect(notification).toMatchObject({
      chainTaskId: taskId,
      workersAddress: [worker.wallet],
      taskNotificationType: 'PLEASE_REVEAL',
      taskNotificationExtra: { smsUrl: null, blockNumber: block, taskAbortCause: null },
    });
    const auth = notification.taskNotificationExtra.workerpoolAuthorization;
    expect(auth).toMatchObject({ chainTaskId: taskId, workerWallet: worker.wallet });
    expect(isWorkerpoolAuthorizationSignedBy(auth, chain.roles.scheduler.address)).toBe(true);

    await worker.restart();
    const [done] = await stack.waitForDeal(deal.dealId, 30000);
    expect(done.currentStatus).toBe(TaskStatus.COMPLETED);
    await worker.waitForStatus(taskId, S.COMPLETED, 15000);
    const statuses = (await history(taskId, worker.wallet)).map((u) => u.status);
    // Two R2 calls (the raw one, the worker's): RECOVERING once, then the worker carried on.
    expect(statuses.filter((s) => s === S.RECOVERING)).toHaveLength(1);
    expect(statuses.slice(statuses.indexOf(S.CONTRIBUTED))).toEqual([
      S.CONTRIBUTED,
      S.RECOVERING,
      S.REVEALING,
      S.REVEALED,
      S.RESULT_UPLOAD_REQUESTED,
      S.RESULT_UPLOADING,
      S.RESULT_UPLOADED,
      S.COMPLETING,
      S.COMPLETED,
    ]);
  }, 90000);

  it.each([
    [1, 'PLEASE_REVEAL'],
    [3, 'PLEASE_WAIT'],
  ])(
    'contributed on chain but never reported (trust %i): CONTRIBUTED recorded with the request block, %s',
    async (trust, expected) => {
      const worker = await ProtocolWorker.start(stack.scheduler, 1 + trust);
      const deal = await chain.fixtures.createDeal({
        workerpool: stack.workerpool,
        trust,
        workers: [worker.account],
      });
      const taskId = deal.taskIds[0];
      await waitForTaskStatus(stack.scheduler, taskId);
      const given = await eventually(async () => {
        const r = await worker.available(await latestBlock(chain));
        return r.status === 200 ? JSON.parse(r.text) : undefined;
      });
      await worker.reportAll(taskId, [...UP_TO_COMPUTED, S.CONTRIBUTING]);
      const signature = given.workerpoolAuthorization.signature.value as Hex;
      await chain.fixtures.contribute(worker.account, taskId as Hex, digestOf(taskId), signature);
      // The worker restarts before reporting CONTRIBUTED.
      const requestBlock = await latestBlock(chain);
      const res = await worker.interrupted(requestBlock);
      expect(res.status).toBe(200);
      const notifications = JSON.parse(res.text);
      expect(shapeOf(notifications)).toEqual([NOTIFICATION_SHAPE]);
      expect(notifications[0]).toMatchObject({
        chainTaskId: taskId,
        workersAddress: [worker.wallet],
        taskNotificationType: expected,
      });
      const blockNumber = notifications[0].taskNotificationExtra.blockNumber;
      expect(blockNumber).toBe(expected === 'PLEASE_REVEAL' ? await consensusBlock(taskId) : 0);

      const updates = await history(taskId, worker.wallet);
      expect(updates.slice(-3).map((u) => [u.status, u.modifier])).toEqual([
        [S.CONTRIBUTING, 'WORKER'],
        [S.CONTRIBUTED, 'POOL_MANAGER'],
        [S.RECOVERING, 'POOL_MANAGER'],
      ]);
      expect(updates.at(-2)!.details?.chainReceipt?.blockNumber).toBe(requestBlock);
      // Reporting it now is "already reported".
      const late = await worker.report(taskId, S.CONTRIBUTED, {
        chainReceipt: { blockNumber: requestBlock, txHash: '0x' },
      });
      expect([late.status, late.text]).toEqual([208, '"PLEASE_WAIT"']);
    },
  );
});
