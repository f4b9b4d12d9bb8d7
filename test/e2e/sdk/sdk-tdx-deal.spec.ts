// The deal today's iExec SDK makes by default: every order tagged TDX (0x…09) by the SDK, matched
// by its own `order.matchOrders`. The simulated TDX workers run each task with the enclave
// challenge the TDX SMS stand-in gives the scheduler (issue 19 §2–§4).
import { getAddress } from 'viem';
import { devPrivateKey, ROLE_INDEX } from '../../../devstack/chain/accounts.js';
import { fetchSdkChain, sdkFor } from '../../../devstack/sdk/sdk-client.js';
import { followSdkTask, makeSdkDeal } from '../../../devstack/sdk/sdk-deal.js';
import { isolateChainPerFile, testChain } from '../../support/chain.js';
import { startStack, type Stack } from '../../support/stack.js';

const chain = testChain();
isolateChainPerFile(chain);

let stack: Stack;
beforeAll(async () => {
  stack = await startStack(chain);
  // TDX-capable workers (iexec-worker 9.2's tdxEnabled), as the deal needs
  await stack.startWorkers(3, { capabilities: () => ({ tdxEnabled: true }) });
}, 60000);
afterAll(() => stack?.stop());

const TDX_TAG = `0x${'00'.repeat(31)}09`;

describe("a deal with the iExec SDK's default (TDX) orders", () => {
  it('completes every task on chain; fetchOffchainInfo and fetchLogs read the scheduler', async () => {
    const sdkChain = await fetchSdkChain(stack.services.urls.sdkChain);
    const requester = sdkFor(sdkChain, devPrivateKey(ROLE_INDEX.requester));
    const deal = await makeSdkDeal({
      requester,
      workerpoolOwner: sdkFor(sdkChain, devPrivateKey(ROLE_INDEX.scheduler)),
      workerpool: stack.workerpool,
      volume: 2,
    });
    expect(deal.tag).toBe(TDX_TAG);
    const outcomes = await Promise.all(
      deal.taskIds.map((taskId) => followSdkTask(requester, stack.workerpool, taskId, 75000)),
    );
    const workers = stack.workers(3).map((w) => w.address);
    for (const { taskId, statusName, schedulerStatus, offchain, logs } of outcomes) {
      expect([statusName, schedulerStatus]).toEqual(['COMPLETED', 'COMPLETED']);
      expect(offchain?.task.status).toBe('COMPLETED');
      expect(offchain!.replicates.length).toBeGreaterThanOrEqual(1);
      for (const replicate of offchain!.replicates) {
        expect(workers).toContain(getAddress(replicate.worker));
        // contribute then reveal, or (TEE, trust 1) contributeAndFinalize
        const statuses = replicate.statusHistory.map((s) => s.status);
        expect(
          ['CONTRIBUTED', 'CONTRIBUTE_AND_FINALIZE_DONE'].filter((s) => statuses.includes(s)),
        ).toHaveLength(1);
      }
      expect(logs.length).toBeGreaterThanOrEqual(1);
      for (const entry of logs) expect(entry.stdout).toContain(`simulated app: task ${taskId}`);
    }
  }, 110000);
});
