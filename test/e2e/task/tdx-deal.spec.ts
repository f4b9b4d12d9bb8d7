import { ChainTaskStatus } from '../../../src/chain/chain-status.js';
import { ReplicateStatus } from '../../../src/replicate/replicate-status.js';
import { containsStatus } from '../../../src/replicate/replicate-workflow.js';
import { ReplicatesListRepository } from '../../../src/replicate/replicates-list.repository.js';
import { TaskStatus } from '../../../src/task/task-status.js';
import { WorkerRepository } from '../../../src/worker/worker.repository.js';
import { isolateChainPerFile, testChain } from '../../support/chain.js';
import { startStack, Stack } from '../../support/stack.js';

const chain = testChain();
isolateChainPerFile(chain);

// What each worker registers with: the first two cannot run TDX and start first, so a supply
// that ignored the TDX capability would hand them the tasks.
const CAPABILITIES = [
  { teeEnabled: false, tdxEnabled: false }, // standard
  { teeEnabled: true, tdxEnabled: false }, // SGX (Scone, Gramine)
  { teeEnabled: false, tdxEnabled: true }, // TDX, as iexec-worker 9.x registers
  { teeEnabled: false, tdxEnabled: true },
];
const TDX_TAG = 0x9;

describe('a TDX deal (tag 0x…09, the SDK 9 default), end to end (issue 19 §2)', () => {
  let stack: Stack;
  afterEach(async () => {
    await stack?.stop();
  });

  it('is initialized with the TDX SMS, run by TDX workers only, and COMPLETED on chain', async () => {
    stack = await startStack(chain);
    await stack.startWorkers(CAPABILITIES.length, {
      capabilities: (i) => CAPABILITIES[i],
      staggerMs: 300,
    });
    const wallets = stack.workers(CAPABILITIES.length).map((w) => w.address.toLowerCase());
    const registered = await stack.scheduler.get(WorkerRepository).findAll();
    for (const [i, capability] of CAPABILITIES.entries())
      expect(registered.find((w) => w.walletAddress === wallets[i])).toMatchObject(capability);

    // As the SDK's default orders: trust 0, results to IPFS through the Result Proxy.
    const deal = await chain.fixtures.createDeal({
      workerpool: stack.workerpool,
      volume: 2,
      trust: 0,
      tag: TDX_TAG,
      params: {
        iexec_result_storage_provider: 'ipfs',
        iexec_result_storage_proxy: stack.services.resultProxy.url,
      },
      workers: stack.workers(CAPABILITIES.length),
    });
    const tasks = await stack.waitForDeal(deal.dealId, 90000);
    const replicates = stack.scheduler.get(ReplicatesListRepository);
    for (const task of tasks) {
      expect(task.currentStatus).toBe(TaskStatus.COMPLETED);
      expect(task.smsUrl).toBe(stack.services.smsTdx.url);
      const enclave = stack.services.smsTdx.enclaveAccount(task.chainTaskId);
      expect(task.enclaveChallenge).toBe(enclave!.address.toLowerCase());
      const onChain = await chain.fixtures.viewTask(task.chainTaskId as `0x${string}`);
      expect(onChain.status).toBe(ChainTaskStatus.COMPLETED);
      expect(task.consensus).toBe(onChain.consensusValue);
      const list = await replicates.findByChainTaskId(task.chainTaskId);
      expect(list!.replicates).toHaveLength(1);
      const [replicate] = list!.replicates;
      expect([wallets[2], wallets[3]]).toContain(replicate.walletAddress);
      expect(containsStatus(replicate, ReplicateStatus.CONTRIBUTE_AND_FINALIZE_DONE)).toBe(true);
    }
    // Neither the standard nor the SGX worker was ever given a TDX task.
    for (const index of [0, 1]) {
      const worker = stack.fleet!.worker(index);
      expect([...worker.tasks(), ...worker.finishedTasks()]).toEqual([]);
    }
    expect(
      stack.services.smsScone.challengeCount() + stack.services.smsGramine.challengeCount(),
    ).toBe(0);
  });
});
