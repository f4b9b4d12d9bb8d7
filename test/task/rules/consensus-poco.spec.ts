import { needsMoreContributions } from '../../../src/task/rules/consensus.js';
import { contributed, MINUTE, T0 } from '../../support/replicates.js';

// PoCo's on-chain test (IexecPoco2Facet.contribute/checkConsensus): for each contribution,
// group[h] = max(group[h], 1) × weight, total = Σ group; consensus on h when
// group[h] × trust > total × (trust − 1), with deal.trust = max(requested trust, 1).
function pocoReachesConsensus(contributions: [string, number][], trust: number): boolean {
  const group = new Map<string, bigint>();
  let total = 0n;
  const t = BigInt(Math.max(trust, 1));
  for (const [hash, weight] of contributions) {
    const g = group.get(hash) ?? 0n;
    const delta = (g > 1n ? g : 1n) * BigInt(weight) - g;
    group.set(hash, g + delta);
    total += delta;
    if ((g + delta) * t > total * (t - 1n)) return true;
  }
  return false;
}

// Small pseudo-random generator so the property check is reproducible.
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

describe('scheduler prediction vs PoCo consensus', () => {
  const T = 30 * MINUTE;
  const NOW = T0 + MINUTE;

  it('"no more contributions needed" (no pending) implies PoCo consensus on the same contributions', () => {
    const random = lcg(42);
    let checked = 0;
    for (let i = 0; i < 2000; i++) {
      const trust = 1 + Math.floor(random() * 20);
      const n = 1 + Math.floor(random() * 5);
      const contributions: [string, number][] = Array.from({ length: n }, () => [
        random() < 0.7 ? '0xaa' : random() < 0.5 ? '0xbb' : '0xcc',
        2 + Math.floor(random() * 30),
      ]);
      const replicates = contributions.map(([hash, weight], k) =>
        contributed({ hash, weight, wallet: `0x${k}` }),
      );
      if (!needsMoreContributions(replicates, trust, T, NOW)) {
        checked++;
        expect(pocoReachesConsensus(contributions, trust)).toBe(true);
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('the "1 +" makes the scheduler stricter: trust 5, one weight-4 contribution', () => {
    // PoCo: 4 × 5 = 20 > 4 × 4 = 16 → consensus; scheduler: 20 > (1 + 4) × 4 = 20 false.
    expect(pocoReachesConsensus([['0xaa', 4]], 5)).toBe(true);
    expect(needsMoreContributions([contributed({ hash: '0xaa', weight: 4 })], 5, T, NOW)).toBe(
      true,
    );
  });
});
