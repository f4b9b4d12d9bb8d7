import {
  ClaimObservation,
  claimVerdict,
  visibleProofMs,
} from '../../src/replicate/claim-verdict.js';

const base: ClaimObservation = {
  claimedBlock: 100n,
  latestBlock: 100n,
  contribution: 'absent',
  confirmationBlocks: 2,
  visibleForMs: 0,
  visibleProofMs: 6000,
};

describe('claimVerdict', () => {
  it.each<[string, Partial<ClaimObservation>, ReturnType<typeof claimVerdict>]>([
    ['contribution seen in the claimed state', { contribution: 'reached' }, 'confirmed'],
    [
      'seen even before our node shows the receipt block',
      { latestBlock: 90n, contribution: 'reached' },
      'confirmed',
    ],
    // The field's case: a worker's node is ahead of ours. Never refused, however far.
    ['our node 1 block behind', { latestBlock: 99n, contribution: 'unread' }, 'pending'],
    ['our node 1,000 blocks behind', { claimedBlock: 1100n, contribution: 'unread' }, 'pending'],
    ['our node not answering', { latestBlock: undefined, contribution: 'unread' }, 'pending'],
    [
      'contribution read failed, long past the block',
      { latestBlock: 200n, contribution: 'unread', visibleForMs: 60_000 },
      'pending',
    ],
    ['block visible, not confirmed yet, contribution absent', { latestBlock: 101n }, 'pending'],
    ['absent with our node past the block by the confirmations', { latestBlock: 102n }, 'refuted'],
    ['absent, no new block but visible for 6 block times', { visibleForMs: 6000 }, 'refuted'],
    ['absent, 0 confirmations configured', { confirmationBlocks: 0 }, 'refuted'],
    [
      'no receipt (block 0), absent, a confirmed head',
      { claimedBlock: 0n, latestBlock: 5n },
      'refuted',
    ],
  ])('%s → %s', (_name, override, expected) => {
    expect(claimVerdict({ ...base, ...override })).toBe(expected);
  });

  it('waits 6 block times of a visible block, as the Java re-checks do', () => {
    expect(visibleProofMs(5000)).toBe(30_000);
    expect(visibleProofMs(250)).toBe(1500);
  });
});
