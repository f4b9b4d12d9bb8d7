// The blockchain health gate of the worker API (worker-api.md §5.1, §6.1, §7.1, §10.4): a
// scheduler whose chain node went away answers R1 and R3 with 503 after authentication; R2 has no
// gate. The scheduler runs on a chain node of its own, stopped mid-test.
import { createChainClients } from '../../../devstack/chain/clients.js';
import { startLocalChain } from '../../../devstack/chain/local-chain.js';
import { PocoFixtures } from '../../../devstack/poco/fixtures.js';
import { ReplicateStatus as S } from '../../../src/replicate/replicate-status.js';
import { testChain } from '../../support/chain.js';
import { ProtocolWorker } from '../../support/protocol-worker.js';
import { eventually, startScheduler } from '../../support/scheduler.js';

it('answers 503 to R1 and R3 while out of service (401 first without a valid token); R2 still answers', async () => {
  const node = await startLocalChain();
  const own = {
    ...testChain(),
    deployment: node.deployment,
    rpcUrl: node.rpcUrl,
    chainId: node.chainId,
  };
  const fixtures = new PocoFixtures(node.deployment, createChainClients(node.deployment));
  const scheduler = await startScheduler(own, await fixtures.createWorkerpool());
  try {
    const worker = await ProtocolWorker.start(scheduler, 0);
    await node.stop();
    await eventually(
      async () => (await fetch(`${scheduler.baseUrl}/actuator/health`)).status === 503,
      10000,
      'OUT_OF_SERVICE',
    );

    for (const token of [null, 'bad']) {
      expect((await worker.available(1, token)).status).toBe(401);
      expect((await worker.updateStatus('0x01', { status: S.STARTING }, token)).status).toBe(401);
    }
    const available = await worker.available(1);
    expect([available.status, available.text]).toEqual([503, '']);
    const update = await worker.report(`0x${'ab'.repeat(32)}`, S.STARTING);
    expect([update.status, update.text]).toEqual([503, '']);
    // R2 has no chain-health gate.
    const interrupted = await worker.interrupted(1);
    expect([interrupted.status, interrupted.text]).toEqual([200, '[]']);
    // Nor has the rest of the worker API.
    expect((await worker.client.ping(worker.token)).status).toBe(200);
  } finally {
    await scheduler.close();
    await node.stop();
  }
}, 40000);
