import { zeroHash } from 'viem';
import { ChainTaskStatus } from '../../../src/chain/chain-status.js';
import { isolateChainPerFile, testChain } from '../../support/chain.js';

const chain = testChain();
const { fixtures, control } = chain;
isolateChainPerFile(chain);

describe('snapshot / revert isolation', () => {
  it('reverts deals, blocks, balances and chain time, and consumes the snapshot id', async () => {
    const blockBefore = await control.latestBlock();
    const snapshot = await control.snapshot();

    const deal = await fixtures.createDeal();
    await fixtures.initialize(deal.dealId, 0);
    await control.increaseTime(86_400);
    expect((await fixtures.viewDeal(deal.dealId)).botSize).toBe(1n);

    await control.revert(snapshot);
    expect((await control.latestBlock()).number).toBe(blockBefore.number);
    expect((await fixtures.viewDeal(deal.dealId)).botSize).toBe(0n);
    expect((await fixtures.viewTask(deal.taskIds[0])).status).toBe(ChainTaskStatus.UNSET);
    expect((await fixtures.viewTask(deal.taskIds[0])).dealid).toBe(zeroHash);
    // the next block does not inherit the day of time travel
    await control.mine();
    expect((await control.now()) - blockBefore.timestamp).toBeLessThan(3600n);

    // Hardhat consumes the id: a second revert to it is refused
    await expect(control.revert(snapshot)).rejects.toThrow(/evm_revert .* refused/);
  });

  it('lets the same actions run again after a revert (nonces and CREATE2 names rewind too)', async () => {
    const snapshot = await control.snapshot();
    const first = await fixtures.createApp({ name: 'same-name-app' });
    await control.revert(snapshot);
    const again = await fixtures.createApp({ name: 'same-name-app' });
    expect(again).toBe(first);
    // without the revert the same CREATE2 entry cannot be created twice
    await expect(fixtures.createApp({ name: 'same-name-app' })).rejects.toThrow(
      /createApp reverted/,
    );
  });
});
