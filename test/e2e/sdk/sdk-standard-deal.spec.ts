// The official iExec SDK (npm `iexec`, JS API) as a requester's client of the whole stack:
// scheduler, simulated workers, stand-ins (Compass among them) and the local chain.
import { getAddress, type Hex } from 'viem';
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
  await stack.startWorkers(3);
}, 60000);
afterAll(() => stack?.stop());

const requesterKey = devPrivateKey(ROLE_INDEX.requester);
const ownerKey = devPrivateKey(ROLE_INDEX.scheduler);

describe('a standard deal made with the iExec SDK (its orders re-tagged to 0)', () => {
  it('is configured from the Config Server stand-in and finds the scheduler through Compass', async () => {
    const sdkChain = await fetchSdkChain(stack.services.urls.sdkChain);
    expect(sdkChain).toEqual({
      id: String(chain.chainId),
      host: chain.rpcUrl,
      hub: getAddress(chain.deployment.hub),
      sms: stack.services.smsTdx.url,
      compass: stack.services.compass.url,
    });
    const requester = sdkFor(sdkChain, requesterKey);
    expect(await requester.workerpool.getWorkerpoolApiUrl(stack.workerpool)).toBe(
      stack.scheduler.baseUrl,
    );
  });

  it('SDK 9 refuses to match standard orders itself', async () => {
    const sdkChain = await fetchSdkChain(stack.services.urls.sdkChain);
    const requester = sdkFor(sdkChain, requesterKey);
    const owner = sdkFor(sdkChain, ownerKey);
    const { address: app } = await requester.app.deployApp({
      owner: await requester.wallet.getAddress(),
      name: `sdk-refusal-${Date.now()}`,
      type: 'DOCKER',
      multiaddr: 'docker.io/iexechub/python-hello-world:8.0.0',
      checksum: `0x${'11'.repeat(32)}`,
    });
    const untagged = { tag: `0x${'00'.repeat(32)}` };
    await expect(
      requester.order.matchOrders({
        apporder: {
          ...(await requester.order.signApporder(await requester.order.createApporder({ app }))),
          ...untagged,
        },
        workerpoolorder: await owner.order.signWorkerpoolorder(
          await owner.order.createWorkerpoolorder({ workerpool: stack.workerpool, category: 0 }),
        ),
        requestorder: {
          ...(await requester.order.signRequestorder(
            await requester.order.createRequestorder({
              app,
              workerpool: stack.workerpool,
              category: 0,
            }),
          )),
          ...untagged,
        },
      }),
    ).rejects.toThrow('Resulting deal tag must have both [tee] and [tdx] tags active');
  });

  it('completes every task on chain; fetchOffchainInfo and fetchLogs read the scheduler', async () => {
    const sdkChain = await fetchSdkChain(stack.services.urls.sdkChain);
    const requester = sdkFor(sdkChain, requesterKey);
    const deal = await makeSdkDeal({
      requester,
      workerpoolOwner: sdkFor(sdkChain, ownerKey),
      workerpool: stack.workerpool,
      volume: 2,
      standard: true,
    });
    expect(BigInt(deal.tag)).toBe(0n);
    const outcomes = await Promise.all(
      deal.taskIds.map((taskId) => followSdkTask(requester, stack.workerpool, taskId, 90000)),
    );
    const workers = stack.workers(3).map((w) => w.address);
    for (const { taskId, statusName, schedulerStatus, offchain, logs } of outcomes) {
      expect([statusName, schedulerStatus]).toEqual(['COMPLETED', 'COMPLETED']);
      expect(offchain?.task.status).toBe('COMPLETED');
      expect(offchain!.task.statusHistory.map((s) => s.status)).toContain('FINALIZED');
      expect(offchain!.replicates.length).toBeGreaterThanOrEqual(1);
      for (const replicate of offchain!.replicates) {
        expect(workers).toContain(getAddress(replicate.worker));
        expect(replicate.statusHistory.map((s) => s.status)).toContain('CONTRIBUTED');
      }
      expect(logs.length).toBeGreaterThanOrEqual(1);
      for (const entry of logs) {
        expect(workers).toContain(getAddress(entry.worker));
        expect(entry.stdout).toContain(`simulated app: task ${taskId as Hex}`);
      }
    }
  }, 120000);
});

describe('what the SDK says when the scheduler refuses a read', () => {
  it('names the reason for a task on chain that this scheduler does not know', async () => {
    // a workerpool nobody serves, which Compass maps to this scheduler all the same
    const unserved = await chain.fixtures.createWorkerpool();
    stack.services.compass.register(unserved, stack.scheduler.baseUrl);
    const sdkChain = await fetchSdkChain(stack.services.urls.sdkChain);
    const requester = sdkFor(sdkChain, requesterKey);
    const deal = await makeSdkDeal({
      requester,
      workerpoolOwner: sdkFor(sdkChain, ownerKey),
      workerpool: unserved,
      standard: true,
    });
    const [taskId] = deal.taskIds;
    // the SDK reads the scheduler only for a task initialized on chain
    await chain.fixtures.initialize(deal.dealId, 0, chain.roles.scheduler);
    await expect(requester.task.fetchOffchainInfo(taskId)).rejects.toThrow(
      `API error: Not Found: task ${taskId} is unknown to this scheduler`,
    );
    await expect(requester.task.fetchLogs(taskId)).rejects.toThrow(
      `API error: Forbidden: the requester of task ${taskId} is unknown (a task unknown to this scheduler`,
    );
  });
});
