// The simulated worker's chain work against the real local PoCo: its contribution, reveal and
// contributeAndFinalize transactions, driven by an in-memory scheduler that signs with the
// scheduler role (the workerpool owner), are accepted by the contracts.
import { hexToString, keccak256, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { workerAccount } from '../../../devstack/chain/accounts.js';
import { resultHashOf, resultSealOf } from '../../../devstack/poco/signatures.js';
import { wrongResult, type Behaviour } from '../../../devstack/worker/behaviours.js';
import { LocalEnclaveSigner } from '../../../devstack/worker/enclave-signer.js';
import { WorkerFleet } from '../../../devstack/worker/fleet.js';
import {
  HONEST_RESULT_SALT,
  simulatedResult,
  wrongResultSalt,
} from '../../../devstack/worker/result.js';
import { InMemoryResultUploader } from '../../../devstack/worker/result-uploader.js';
import { SimulatedWorker } from '../../../devstack/worker/simulated-worker.js';
import { WorkerChain } from '../../../devstack/worker/worker-chain.js';
import { ChainContributionStatus, ChainTaskStatus } from '../../../src/chain/chain-status.js';
import { TaskNotificationType as N } from '../../../src/notification/task-notification-type.js';
import { ReplicateStatus as S } from '../../../src/replicate/replicate-status.js';
import { isolateChainPerFile, isolateChainPerTest, testChain } from '../../support/chain.js';
import { FakePushHub, FakeScheduler } from '../../support/fake-scheduler.js';

const chain = testChain();
const { fixtures, roles } = chain;
isolateChainPerFile(chain);
isolateChainPerTest(chain);

let scheduler: FakeScheduler;
let hub: FakePushHub;
let uploader: InMemoryResultUploader;
let workers: SimulatedWorker[];
const workerChain = new WorkerChain(chain.deployment, chain.clients);

beforeEach(() => {
  scheduler = new FakeScheduler(roles.scheduler);
  hub = new FakePushHub();
  uploader = new InMemoryResultUploader();
  workers = [];
});
afterEach(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  workers.forEach((w) => w.dispose());
});

function simulatedWorker(
  index: number,
  options: { behaviour?: Behaviour; enclave?: boolean } = {},
) {
  const enclave = options.enclave ? privateKeyToAccount(generatePrivateKey()) : undefined;
  const worker = new SimulatedWorker({
    schedulerUrl: 'http://scheduler.invalid',
    account: workerAccount(index),
    api: scheduler,
    push: hub.factory,
    chain: workerChain,
    resultUploader: uploader,
    enclaveSigner: enclave ? new LocalEnclaveSigner(enclave) : undefined,
    behaviour: options.behaviour,
    askPeriodMs: 10,
    pingIntervalMs: 1000,
  });
  workers.push(worker);
  return { worker, enclave };
}

function publish(chainTaskId: string, type: N, workersAddress: string[], blockNumber = 0) {
  hub.publish({
    chainTaskId,
    workersAddress,
    taskNotificationType: type,
    taskNotificationExtra: {
      workerpoolAuthorization: null,
      smsUrl: null,
      blockNumber,
      taskAbortCause: null,
    },
  });
}

async function onChain(taskId: Hex, worker: `0x${string}`) {
  const [task, contribution] = await Promise.all([
    fixtures.viewTask(taskId),
    fixtures.viewContribution(taskId, worker),
  ]);
  return { task, contribution, status: ChainContributionStatus[contribution.status] };
}

describe('simulated worker on the local PoCo', () => {
  it('contributes with the scheduler-signed authorization, reveals, uploads and completes', async () => {
    const { worker } = simulatedWorker(0);
    const deal = await fixtures.createDeal({ workers: [worker.account] });
    const { taskId } = await fixtures.initialize(deal.dealId, 0);
    scheduler.offers.push({ chainTaskId: taskId });
    await worker.start();
    await worker.waitForStatus(taskId, S.CONTRIBUTED, 15_000);

    const digest = simulatedResult(taskId, HONEST_RESULT_SALT).digest;
    const contributed = await onChain(taskId, worker.account.address);
    expect(contributed.status).toBe('CONTRIBUTED');
    expect(contributed.contribution.resultHash).toBe(resultHashOf(taskId, digest));
    expect(contributed.contribution.resultSeal).toBe(
      resultSealOf(worker.account.address, taskId, digest),
    );
    expect(ChainTaskStatus[contributed.task.status]).toBe('REVEALING'); // trust 1: consensus
    const receipt = worker.task(taskId)!.receipts.contribute!;
    const post = scheduler.postsOf(worker.wallet, taskId).at(-1)!;
    expect(post.body.details.chainReceipt).toEqual(receipt);
    const mined = await chain.clients.publicClient.getTransactionReceipt({
      hash: receipt.txHash as Hex,
    });
    expect(Number(mined.blockNumber)).toBe(receipt.blockNumber);

    publish(taskId, N.PLEASE_REVEAL, [worker.wallet], receipt.blockNumber);
    await worker.waitForStatus(taskId, S.REVEALED, 15_000);
    expect((await onChain(taskId, worker.account.address)).status).toBe('REVEALED');

    publish(taskId, N.PLEASE_UPLOAD, [worker.wallet]);
    await worker.waitForStatus(taskId, S.RESULT_UPLOADED);
    const link = scheduler.postsOf(worker.wallet, taskId).at(-1)!.body.details.resultLink!;
    // what the scheduler then does with the link: finalize
    await fixtures.finalize(roles.scheduler, taskId, `0x${Buffer.from(link).toString('hex')}`);
    const finalized = await fixtures.viewTask(taskId);
    expect(ChainTaskStatus[finalized.status]).toBe('COMPLETED');
    expect(finalized.resultDigest).toBe(digest);
    expect(hexToString(finalized.results)).toBe(link);

    publish(taskId, N.PLEASE_COMPLETE, []);
    await worker.waitForStatus(taskId, S.COMPLETED);
  });

  it('puts a wrongResult worker on chain with another resultHash than the honest one', async () => {
    const honest = simulatedWorker(1).worker;
    const liar = simulatedWorker(2, { behaviour: wrongResult() }).worker;
    const deal = await fixtures.createDeal({ trust: 3, workers: [honest.account, liar.account] });
    const { taskId } = await fixtures.initialize(deal.dealId, 0);
    scheduler.offers.push({ chainTaskId: taskId, wallet: honest.wallet });
    scheduler.offers.push({ chainTaskId: taskId, wallet: liar.wallet });
    await Promise.all([honest.start(), liar.start()]);
    await Promise.all([
      honest.waitForStatus(taskId, S.CONTRIBUTED, 15_000),
      liar.waitForStatus(taskId, S.CONTRIBUTED, 15_000),
    ]);
    const [h, l] = await Promise.all([
      onChain(taskId, honest.account.address),
      onChain(taskId, liar.account.address),
    ]);
    expect([h.status, l.status]).toEqual(['CONTRIBUTED', 'CONTRIBUTED']);
    const honestDigest = simulatedResult(taskId, HONEST_RESULT_SALT).digest;
    const liarDigest = simulatedResult(taskId, wrongResultSalt(liar.wallet)).digest;
    expect(h.contribution.resultHash).toBe(resultHashOf(taskId, honestDigest));
    expect(l.contribution.resultHash).toBe(resultHashOf(taskId, liarDigest));
    expect(l.contribution.resultHash).not.toBe(h.contribution.resultHash);
    expect(ChainTaskStatus[l.task.status]).toBe('ACTIVE'); // no consensus between them
  });

  it('gives callback deals callback data that PoCo accepts at finalize', async () => {
    const { worker } = simulatedWorker(3);
    const callback = '0x3333333333333333333333333333333333333333';
    const deal = await fixtures.createDeal({ callback, workers: [worker.account] });
    const { taskId } = await fixtures.initialize(deal.dealId, 0);
    scheduler.offers.push({ chainTaskId: taskId });
    await worker.start();
    await worker.waitForStatus(taskId, S.CONTRIBUTED, 15_000);
    const block = worker.task(taskId)!.receipts.contribute!.blockNumber;
    publish(taskId, N.PLEASE_REVEAL, [worker.wallet], block);
    publish(taskId, N.PLEASE_UPLOAD, [worker.wallet]);
    await worker.waitForStatus(taskId, S.RESULT_UPLOADED, 15_000);
    const details = scheduler.postsOf(worker.wallet, taskId).at(-1)!.body.details;
    const callbackData = details.chainCallbackData as Hex;
    expect((await fixtures.viewTask(taskId)).resultDigest).toBe(keccak256(callbackData));

    await fixtures.finalize(roles.scheduler, taskId, '0x', callbackData);
    const task = await fixtures.viewTask(taskId);
    expect(ChainTaskStatus[task.status]).toBe('COMPLETED');
    expect(task.resultsCallback).toBe(callbackData);
  });

  it('lets a fleet top up the escrow stake of its workers before they start', async () => {
    const fleet = new WorkerFleet({
      schedulerUrl: 'http://scheduler.invalid',
      deployment: chain.deployment,
      stake: 5_000_000_000n,
      worker: { api: scheduler, push: hub.factory, pingIntervalMs: 1000 },
    });
    try {
      const started = await fleet.start(2);
      for (const worker of started) {
        expect((await fixtures.viewAccount(worker.account.address)).stake).toBeGreaterThanOrEqual(
          5_000_000_000n,
        );
      }
      expect(fleet.snapshot().running).toBe(2);
    } finally {
      await fleet.stop();
    }
  });

  it('completes a TEE trust-1 task in one contributeAndFinalize with its enclave signature', async () => {
    const { worker, enclave } = simulatedWorker(4, { enclave: true });
    const deal = await fixtures.createDeal({ tag: 0x3, trust: 1 });
    const { taskId } = await fixtures.initialize(deal.dealId, 0);
    scheduler.offers.push({
      chainTaskId: taskId,
      enclaveChallenge: enclave!.address,
      contributeAndFinalize: true,
    });
    await worker.start();
    await worker.waitForStatus(taskId, S.CONTRIBUTE_AND_FINALIZE_DONE, 15_000);
    const { task, contribution, status } = await onChain(taskId, worker.account.address);
    expect(ChainTaskStatus[task.status]).toBe('COMPLETED');
    expect(status).toBe('REVEALED');
    expect(contribution.enclaveChallenge).toBe(enclave!.address);
    expect(hexToString(task.results)).toBe(uploader.results.get(taskId)!.link);
  });
});
