import { keccak256, stringToHex, zeroAddress } from 'viem';
import { ChainTaskStatus } from '../../../src/chain/chain-status.js';
import { workerAccount } from '../../../devstack/chain/accounts.js';
import { startLocalChain, type LocalChain } from '../../../devstack/chain/local-chain.js';
import { freePort } from '../../../devstack/chain/rpc.js';
import { hubAbi } from '../../../devstack/poco/abi.js';
import { WEI_PER_NRLC, type PocoAsset } from '../../../devstack/poco/deployment.js';
import { PocoFixtures } from '../../../devstack/poco/fixtures.js';

// A chain of its own (not the worker's shared one): native mode, started and stopped here.
describe('a native-asset dev chain started by a test', () => {
  let chain: LocalChain;
  let fixtures: PocoFixtures;

  beforeAll(async () => {
    const started = performance.now();
    chain = await startLocalChain({ asset: 'native', workerCount: 5 });
    process.stderr.write(
      `native dev chain (node + PoCo deploy) ready in ${Math.round(performance.now() - started)} ms\n`,
    );
    fixtures = new PocoFixtures(chain.deployment);
  });
  afterAll(() => chain?.stop());

  it('deploys the native escrow without a token', async () => {
    expect(chain.deployment.asset).toBe('native');
    expect(chain.deployment.rlc).toBe(zeroAddress);
    const token = await fixtures.clients.publicClient.readContract({
      address: chain.deployment.hub,
      abi: hubAbi,
      functionName: 'token',
    });
    expect(token).toBe(zeroAddress);
  });

  it('stakes native coins (1 nRLC = 1e9 wei) and runs a task to completion', async () => {
    const worker = workerAccount(0);
    const hubBalance = await fixtures.clients.publicClient.getBalance({
      address: chain.deployment.hub,
    });
    await fixtures.deposit(worker, 7n);
    expect((await fixtures.viewAccount(worker.address)).stake).toBe(7n);
    expect(await fixtures.clients.publicClient.getBalance({ address: chain.deployment.hub })).toBe(
      hubBalance + 7n * WEI_PER_NRLC,
    );

    const deal = await fixtures.createDeal({ workers: [worker] });
    const { taskId } = await fixtures.initialize(deal.dealId, 0);
    const digest = keccak256(stringToHex('native'));
    await fixtures.contribute(
      worker,
      taskId,
      digest,
      await fixtures.authorize(worker.address, taskId),
    );
    await fixtures.reveal(worker, taskId, digest);
    await fixtures.finalize(fixtures.roles.scheduler, taskId, stringToHex('/ipfs/QmNative'));
    expect((await fixtures.viewTask(taskId)).status).toBe(ChainTaskStatus.COMPLETED);
  });

  it('funds only the requested number of worker accounts', async () => {
    const [funded, unfunded] = await Promise.all([
      fixtures.clients.publicClient.getBalance({ address: workerAccount(4).address }),
      fixtures.clients.publicClient.getBalance({ address: workerAccount(5).address }),
    ]);
    expect(funded).toBeGreaterThan(10n ** 24n);
    expect(unfunded).toBe(0n);
  });
});

describe('startLocalChain failures', () => {
  it('reports the child process error output', async () => {
    const error = await startLocalChain({ asset: 'gold' as PocoAsset }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('LocalChainStartError');
    expect((error as Error).message).toMatch(
      /exited \(code 1\) before READY[\s\S]*--asset must be token or native/,
    );
  });

  it('refuses a port that is already taken', async () => {
    const port = await freePort();
    const { createServer } = await import('node:net');
    const server = createServer().listen(port, '127.0.0.1');
    try {
      const error = await startLocalChain({ port }).catch((e: unknown) => e);
      expect((error as Error).message).toMatch(new RegExp(`127.0.0.1:${port} is not free`));
    } finally {
      server.close();
    }
  });
});
