import { ChainWriter } from '../../../src/chain/writer/chain-writer.js';
import { isolateChainPerFile, testChain } from '../../support/chain.js';
import { eventually } from '../../support/scheduler.js';
import { startStack, Stack } from '../../support/stack.js';

// The embedded writer against PoCo on the local chain: initializations requested together go out
// in initializeArray batches from the scheduler wallet. The deal is sold by another workerpool,
// so only this test asks the scheduler's writer to initialize its tasks.
const chain = testChain();
isolateChainPerFile(chain);

const ACTIVE = 1;

describe('embedded writer', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(chain);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const nonce = () =>
    chain.clients.publicClient.getTransactionCount({ address: chain.roles.scheduler.address });

  it('initializes a bag of tasks requested together in fewer transactions than tasks', async () => {
    const otherWorkerpool = await chain.fixtures.createWorkerpool();
    const deal = await chain.fixtures.createDeal({ workerpool: otherWorkerpool, volume: 12 });
    const writer = stack.scheduler.get(ChainWriter);
    const before = await nonce();

    const results = await Promise.all(
      deal.taskIds.map((taskId, i) =>
        writer.requestInitialize(deal.dealId, Number(deal.botFirst) + i, taskId),
      ),
    );

    expect(results).toEqual(deal.taskIds.map(() => ({ accepted: true })));
    await eventually(
      async () => {
        const statuses = await Promise.all(
          deal.taskIds.map(async (id) => (await chain.fixtures.viewTask(id)).status),
        );
        return statuses.every((s) => s === ACTIVE) || undefined;
      },
      15000,
      'every task ACTIVE on chain',
    );
    for (const taskId of deal.taskIds) {
      await eventually(
        async () => (await writer.status(taskId, 'initialize')) === 'SUCCESS' || undefined,
        15000,
        `initialize of ${taskId} settled`,
      );
    }
    const sent = (await nonce()) - before;
    expect(sent).toBeGreaterThanOrEqual(2); // at most 10 tasks per transaction
    expect(sent).toBeLessThan(deal.taskIds.length);
  });

  it('refuses an initialize that would revert without holding back the others', async () => {
    const otherWorkerpool = await chain.fixtures.createWorkerpool();
    const deal = await chain.fixtures.createDeal({ workerpool: otherWorkerpool, volume: 3 });
    const [done, ...rest] = deal.taskIds;
    await chain.fixtures.initialize(deal.dealId, deal.botFirst, chain.roles.requester);
    const writer = stack.scheduler.get(ChainWriter);

    const [refused, ...accepted] = await Promise.all(
      deal.taskIds.map((taskId, i) =>
        writer.requestInitialize(deal.dealId, Number(deal.botFirst) + i, taskId),
      ),
    );

    expect(refused).toMatchObject({ accepted: false, transient: false });
    expect(accepted).toEqual([{ accepted: true }, { accepted: true }]);
    await eventually(
      async () => {
        const statuses = await Promise.all(
          rest.map(async (id) => (await chain.fixtures.viewTask(id)).status),
        );
        return statuses.every((s) => s === ACTIVE) || undefined;
      },
      15000,
      'the other tasks ACTIVE on chain',
    );
    expect(await writer.status(done, 'initialize')).toBe('UNKNOWN');
  });
});
