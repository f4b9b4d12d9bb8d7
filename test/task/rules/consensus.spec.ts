import { ChainTaskStatus } from '../../../src/chain/chain-status.js';
import { ReplicateStatus as S } from '../../../src/replicate/replicate-status.js';
import {
  allPredictionsWeight,
  bestContributedPrediction,
  bestPredictionWeight,
  contributedWeight,
  countWinners,
  distinctContributions,
  isConsensusReached,
  needsMoreContributions,
  pendingWeight,
  splitConsensusAudience,
  workerWeightFromScore,
  worstPredictionsWeight,
} from '../../../src/task/rules/consensus.js';
import { contributed, MINUTE, replicate, T0 } from '../../support/replicates.js';

const T = 30 * MINUTE; // maxExecutionTime
const NOW = T0 + MINUTE;
const A = '0xaaaa';
const B = '0xbbbb';
const C = '0xcccc';
const pending = (weight: number, createdAt = T0) =>
  replicate([S.CREATED, S.STARTING, S.STARTED, S.COMPUTING], { weight, createdAt });

describe('§9 worked values (one fresh CONTRIBUTED replicate unless noted)', () => {
  it('trust 0 or 1, no replicate → needs more', () => {
    expect(needsMoreContributions([], 0, T, NOW)).toBe(true);
    expect(needsMoreContributions([], 1, T, NOW)).toBe(true);
  });

  it('trust 0, weight 2 → no more needed', () => {
    expect(needsMoreContributions([contributed({ hash: A, weight: 2 })], 0, T, NOW)).toBe(false);
  });

  it('trust 5: weight 4 → needs more (20 > 20 false); weight 5 → enough (25 > 24)', () => {
    expect(needsMoreContributions([contributed({ hash: A, weight: 4 })], 5, T, NOW)).toBe(true);
    expect(needsMoreContributions([contributed({ hash: A, weight: 5 })], 5, T, NOW)).toBe(false);
  });

  it('trust 5, A(5) and B(1) → all 6 → 25 > 28 false → needs more', () => {
    const rs = [contributed({ hash: A, weight: 5 }), contributed({ hash: B, weight: 1 })];
    expect(allPredictionsWeight(rs, T, NOW)).toBe(6n);
    expect(needsMoreContributions(rs, 5, T, NOW)).toBe(true);
  });

  it('trust 5, A(25) and B(5) → all 30 → 125 > 124 → no more needed', () => {
    const single = [contributed({ hash: A, weight: 25 }), contributed({ hash: B, weight: 5 })];
    expect(allPredictionsWeight(single, T, NOW)).toBe(30n);
    expect(needsMoreContributions(single, 5, T, NOW)).toBe(false);
    // A weighing 25 as the product of two agreeing contributors of weight 5.
    const product = [
      contributed({ hash: A, weight: 5, wallet: '0x1' }),
      contributed({ hash: A, weight: 5, wallet: '0x2' }),
      contributed({ hash: B, weight: 5, wallet: '0x3' }),
    ];
    expect(contributedWeight(product, A)).toBe(25n);
    expect(needsMoreContributions(product, 5, T, NOW)).toBe(false);
  });

  it('best prediction: contributed 5 with a pending 5 → 25; pending only → 5; contributed only → 5', () => {
    expect(bestPredictionWeight([contributed({ hash: A, weight: 5 }), pending(5)], T, NOW)).toBe(
      25n,
    );
    expect(bestPredictionWeight([pending(5)], T, NOW)).toBe(5n);
    expect(bestPredictionWeight([contributed({ hash: A, weight: 5 })], T, NOW)).toBe(5n);
    expect(bestPredictionWeight([], T, NOW)).toBe(0n);
  });

  it('worst weight with A=5, B=10, C=15 (C best) → 15, unchanged by pending replicates', () => {
    const rs = [
      contributed({ hash: A, weight: 5 }),
      contributed({ hash: B, weight: 10 }),
      contributed({ hash: C, weight: 15 }),
    ];
    expect(bestContributedPrediction(rs)).toEqual({ hash: C, weight: 15n });
    expect(worstPredictionsWeight(rs)).toBe(15n);
    expect(worstPredictionsWeight([...rs, pending(7)])).toBe(15n);
  });
});

describe('weights (edge 23)', () => {
  it('agreeing weights are multiplied, weight 0 is skipped', () => {
    const rs = [
      contributed({ hash: A, weight: 3 }),
      contributed({ hash: A, weight: 0 }),
      contributed({ hash: A, weight: 4 }),
    ];
    expect(contributedWeight(rs, A)).toBe(12n);
    expect(contributedWeight([contributed({ hash: A, weight: 0 })], A)).toBe(0n);
    expect(contributedWeight(rs, B)).toBe(0n);
  });

  it('zero-weight replicates count in neither weight', () => {
    const rs = [contributed({ hash: A, weight: 0 }), pending(0)];
    expect(bestPredictionWeight(rs, T, NOW)).toBe(0n);
    expect(needsMoreContributions(rs, 1, T, NOW)).toBe(true);
  });

  it('a very old pending replicate is ignored (created more than one period ago)', () => {
    expect(pendingWeight([pending(5, NOW - T)], T, NOW)).toBe(5n);
    expect(pendingWeight([pending(5, NOW - T - 1)], T, NOW)).toBe(0n);
  });

  it('FAILED and CONTRIBUTED replicates are not pending; WORKER_LOST / RECOVERING are transparent', () => {
    expect(pendingWeight([replicate([S.CREATED, S.FAILED], { weight: 5 })], T, NOW)).toBe(0n);
    expect(pendingWeight([contributed({ hash: A, weight: 5 })], T, NOW)).toBe(0n);
    expect(pendingWeight([replicate([S.CREATED, S.WORKER_LOST], { weight: 5 })], T, NOW)).toBe(5n);
    const lostAfterContributing = replicate([S.CREATED, S.CONTRIBUTED, S.WORKER_LOST], {
      weight: 5,
      hash: A,
    });
    expect(pendingWeight([lostAfterContributing], T, NOW)).toBe(0n);
    expect(contributedWeight([lostAfterContributing], A)).toBe(5n);
    // FAILED after WORKER_LOST → last relevant FAILED.
    expect(
      pendingWeight([replicate([S.CREATED, S.WORKER_LOST, S.FAILED], { weight: 5 })], T, NOW),
    ).toBe(0n);
  });

  it('products are exact beyond 2^53 (bigint)', () => {
    const rs = Array.from({ length: 8 }, (_, i) =>
      contributed({ hash: A, weight: 1000, wallet: `0x${i}` }),
    );
    expect(contributedWeight(rs, A)).toBe(10n ** 24n);
  });
});

describe('best prediction tie-break (quirk fix: deterministic)', () => {
  it('equal weights: the hash contributed earliest wins, whatever the list order', () => {
    const early = contributed({ hash: B, weight: 5, createdAt: T0 });
    const late = contributed({ hash: A, weight: 5, createdAt: T0 + 10_000 });
    expect(bestContributedPrediction([late, early]).hash).toBe(B);
    expect(bestContributedPrediction([early, late]).hash).toBe(B);
    expect(distinctContributions([late, early])).toEqual([B, A]);
  });

  it('equal weights and dates: the lexicographically smallest hash wins', () => {
    const rs = [contributed({ hash: B, weight: 5 }), contributed({ hash: A, weight: 5 })];
    expect(bestContributedPrediction(rs).hash).toBe(A);
  });

  it('the tie-break never changes the weights', () => {
    const rs = [
      contributed({ hash: B, weight: 5 }),
      contributed({ hash: A, weight: 5 }),
      pending(3),
    ];
    expect(bestPredictionWeight(rs, T, NOW)).toBe(15n);
    expect(worstPredictionsWeight(rs)).toBe(5n);
  });

  it('no contribution → hash "" and weight 0', () => {
    expect(bestContributedPrediction([pending(5)])).toEqual({ hash: '', weight: 0n });
  });
});

describe('replication policy vectors (worker-api §13, §5.5)', () => {
  it('trust 5, one CONTRIBUTED replicate of weight 5 → no new replicate', () => {
    expect(needsMoreContributions([contributed({ hash: A, weight: 5 })], 5, T, NOW)).toBe(false);
  });

  it('trust 1, one CREATED replicate of weight 2 created just now → no new replicate', () => {
    const r = replicate([S.CREATED], { weight: 2, createdAt: NOW });
    expect(needsMoreContributions([r], 1, T, NOW)).toBe(false);
  });

  it('the same replicate created more than maxExecutionTime ago → a new replicate is allowed', () => {
    const r = replicate([S.CREATED], { weight: 2, createdAt: NOW - T - 1 });
    expect(needsMoreContributions([r], 1, T, NOW)).toBe(true);
  });

  it('trust 0 behaves as trust 1 (T = max(trust, 1))', () => {
    const r = replicate([S.CREATED], { weight: 2, createdAt: NOW });
    expect(needsMoreContributions([r], 0, T, NOW)).toBe(false);
    expect(needsMoreContributions([r], 0n, T, NOW)).toBe(false);
  });
});

describe('workerWeightFromScore', () => {
  it.each([
    [0, 2],
    [8, 2],
    [9, 2],
    [11, 2],
    [12, 3],
    [15, 4],
    [300, 99],
  ])('score %d → weight %d', (score, weight) => {
    expect(workerWeightFromScore(score)).toBe(weight);
    expect(workerWeightFromScore(BigInt(score))).toBe(weight);
  });

  it('unreadable score → 0', () => {
    expect(workerWeightFromScore(undefined)).toBe(0);
    expect(workerWeightFromScore(null)).toBe(0);
    expect(workerWeightFromScore(1.5)).toBe(0);
    expect(workerWeightFromScore(-3)).toBe(0);
  });
});

describe('winners and consensus (edge 44, lifecycle edge 12)', () => {
  const chain = (status: ChainTaskStatus, winnerCounter: number) => ({
    status,
    consensusValue: A,
    winnerCounter,
  });

  it('counts CONTRIBUTED replicates whose hash equals the consensus (exact string)', () => {
    const rs = [
      contributed({ hash: A }),
      contributed({ hash: B }),
      contributed({ hash: A.toUpperCase() }),
      replicate([S.CREATED, S.CONTRIBUTED, S.REVEALING], { hash: A }),
      replicate([S.CREATED, S.CONTRIBUTED, S.WORKER_LOST], { hash: A }),
    ];
    expect(countWinners(rs, A)).toBe(2);
  });

  it('reached when REVEALING and off-chain winners ≥ on-chain winners', () => {
    const rs = [contributed({ hash: A }), contributed({ hash: A })];
    expect(isConsensusReached(chain(ChainTaskStatus.REVEALING, 2), rs)).toBe(true);
    expect(isConsensusReached(chain(ChainTaskStatus.REVEALING, 1), rs)).toBe(true);
  });

  it('not reached with fewer off-chain winners, another chain status, or no chain task', () => {
    const rs = [contributed({ hash: A })];
    expect(isConsensusReached(chain(ChainTaskStatus.REVEALING, 2), rs)).toBe(false);
    expect(isConsensusReached(chain(ChainTaskStatus.ACTIVE, 1), rs)).toBe(false);
    expect(isConsensusReached(chain(ChainTaskStatus.COMPLETED, 1), rs)).toBe(false);
    expect(isConsensusReached(undefined, rs)).toBe(false);
    expect(isConsensusReached(null, rs)).toBe(false);
  });

  it('consensus audience: winners by hash whatever their status, everybody else loses', () => {
    const rs = [
      { walletAddress: '0x1', contributionHash: A },
      { walletAddress: '0x2', contributionHash: B },
      { walletAddress: '0x3', contributionHash: '' },
    ];
    expect(splitConsensusAudience(rs, A)).toEqual({ winners: ['0x1'], losers: ['0x2', '0x3'] });
  });
});
