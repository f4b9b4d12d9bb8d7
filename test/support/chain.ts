// The dev chain of this Jest worker (started by test/setup/e2e.global-setup.js), with clients,
// fixtures and snapshot isolation. Several test files share a worker's chain one after the
// other: isolate each file (or each test) so they always start from the freshly deployed state.
import { devRoles, type DevRoles } from '../../devstack/chain/accounts.js';
import { createChainClients, type ChainClients } from '../../devstack/chain/clients.js';
import { startRpcFaultProxy, type RpcFaultProxy } from '../../devstack/chain/rpc-fault-proxy.js';
import { chainControl, type ChainControl } from '../../devstack/chain/test-client.js';
import { parsePocoDeployment, type PocoDeployment } from '../../devstack/poco/deployment.js';
import { PocoFixtures } from '../../devstack/poco/fixtures.js';

export const TEST_CHAINS_ENV = 'IEXEC_TEST_CHAINS';

export interface TestChain {
  deployment: PocoDeployment;
  rpcUrl: string;
  chainId: number;
  clients: ChainClients;
  fixtures: PocoFixtures;
  control: ChainControl;
  roles: DevRoles;
}

let current: TestChain | undefined;

/** The deployment of this worker's chain (JEST_WORKER_ID 1 → first chain). */
export function testDeployment(): PocoDeployment {
  const raw = process.env[TEST_CHAINS_ENV];
  if (!raw) {
    throw new Error(`${TEST_CHAINS_ENV} is not set: run e2e tests through jest (e2e global setup)`);
  }
  const deployments = (JSON.parse(raw) as unknown[]).map((item) =>
    parsePocoDeployment(JSON.stringify(item)),
  );
  const worker = Number(process.env.JEST_WORKER_ID ?? '1');
  const deployment = deployments[worker - 1];
  if (!deployment) {
    throw new Error(`no dev chain for Jest worker ${worker} (${deployments.length} started)`);
  }
  return deployment;
}

export function testChain(): TestChain {
  if (!current) {
    const deployment = testDeployment();
    const clients = createChainClients(deployment);
    current = {
      deployment,
      rpcUrl: deployment.rpcUrl,
      chainId: deployment.chainId,
      clients,
      fixtures: new PocoFixtures(deployment, clients),
      control: chainControl(clients),
      roles: devRoles(),
    };
  }
  return current;
}

/** Snapshot before the file's tests, revert after them. Call at the top of a test file. */
export function isolateChainPerFile(chain: TestChain = testChain()): void {
  let snapshot: `0x${string}` | undefined;
  beforeAll(async () => {
    snapshot = await chain.control.snapshot();
  });
  afterAll(async () => {
    if (snapshot) await chain.control.revert(snapshot);
    snapshot = undefined;
  });
}

/**
 * Snapshot before each test, revert after it (Hardhat consumes a snapshot id on revert, hence
 * a new snapshot per test). Costs ~2 ms per test.
 */
export function isolateChainPerTest(chain: TestChain = testChain()): void {
  let snapshot: `0x${string}` | undefined;
  beforeEach(async () => {
    snapshot = await chain.control.snapshot();
  });
  afterEach(async () => {
    if (snapshot) await chain.control.revert(snapshot);
    snapshot = undefined;
  });
}

/**
 * A JSON-RPC fault proxy in front of this worker's chain, started before the file's tests and
 * stopped after them, faults reset after each test. Point the scheduler at it with
 * `{ IEXEC_PRIVATE_CHAIN_ADDRESS: proxy().url }`; workers keep the node itself.
 */
export function rpcFaultProxyPerFile(chain: TestChain = testChain()): () => RpcFaultProxy {
  let proxy: RpcFaultProxy | undefined;
  beforeAll(async () => {
    proxy = await startRpcFaultProxy({ target: chain.rpcUrl });
  });
  afterEach(() => proxy?.reset());
  afterAll(async () => {
    await proxy?.stop();
    proxy = undefined;
  });
  return () => {
    if (!proxy) throw new Error('rpc fault proxy not started yet (use it inside a test or hook)');
    return proxy;
  };
}
