import { ChainTaskStatus } from '../../../src/chain/chain-status.js';
import { ReplicateStatus as S } from '../../../src/replicate/replicate-status.js';
import {
  canFinalize,
  canReopen,
  countOffChainReveals,
  finalizePrecondition,
} from '../../../src/task/rules/finalize.js';
import { MINUTE, replicate, T0 } from '../../support/replicates.js';

const chain = (overrides: Partial<Parameters<typeof canFinalize>[0] & object> = {}) => ({
  status: ChainTaskStatus.REVEALING,
  finalDeadline: T0 + 10 * MINUTE,
  revealDeadline: T0 + 5 * MINUTE,
  revealCounter: 1,
  winnerCounter: 1,
  ...overrides,
});
const NOW = T0 + MINUTE;
const revealed = () => replicate([S.CREATED, S.CONTRIBUTED, S.REVEALING, S.REVEALED]);

describe('canFinalize (§7.8)', () => {
  it('REVEALING, before the final deadline, every winner revealed', () => {
    expect(canFinalize(chain(), NOW)).toBe(true);
    expect(canFinalize(chain({ revealCounter: 2, winnerCounter: 2 }), new Date(NOW))).toBe(true);
  });

  it('some winners revealed once the reveal deadline is reached', () => {
    const c = chain({ revealCounter: 1, winnerCounter: 2 });
    expect(canFinalize(c, T0 + 5 * MINUTE - 1)).toBe(false);
    expect(canFinalize(c, T0 + 5 * MINUTE)).toBe(true);
    expect(canFinalize(chain({ revealCounter: 0, winnerCounter: 2 }), T0 + 6 * MINUTE)).toBe(false);
  });

  it('not at or after the final deadline, nor when not REVEALING or unreadable', () => {
    expect(canFinalize(chain(), T0 + 10 * MINUTE)).toBe(false);
    expect(canFinalize(chain({ status: ChainTaskStatus.ACTIVE }), NOW)).toBe(false);
    expect(canFinalize(chain({ status: ChainTaskStatus.COMPLETED }), NOW)).toBe(false);
    expect(canFinalize(undefined, NOW)).toBe(false);
  });
});

describe('canReopen (§7.10)', () => {
  it('REVEALING, reveal deadline reached, nobody revealed, before the final deadline', () => {
    const c = chain({ revealCounter: 0 });
    expect(canReopen(c, T0 + 5 * MINUTE)).toBe(true);
    expect(canReopen(c, T0 + 5 * MINUTE - 1)).toBe(false);
    expect(canReopen(c, T0 + 10 * MINUTE)).toBe(false);
    expect(canReopen(chain({ revealCounter: 1 }), T0 + 6 * MINUTE)).toBe(false);
    expect(canReopen({ ...c, status: ChainTaskStatus.ACTIVE }, T0 + 6 * MINUTE)).toBe(false);
    expect(canReopen(null, T0 + 6 * MINUTE)).toBe(false);
  });
});

describe('finalize precondition (§7.8 steps 1–3, edge 17)', () => {
  it('off-chain reveals = distinct replicates whose history contains REVEALED', () => {
    const lostAfterReveal = replicate([S.CREATED, S.REVEALED, S.WORKER_LOST]);
    const uploaded = replicate([
      S.CREATED,
      S.REVEALED,
      S.RESULT_UPLOAD_REQUESTED,
      S.RESULT_UPLOADED,
    ]);
    const notRevealed = replicate([S.CREATED, S.CONTRIBUTED]);
    expect(countOffChainReveals([lostAfterReveal, uploaded, notRevealed])).toBe(2);
  });

  it('finalize when the chain accepts it and the reveal counts match', () => {
    expect(finalizePrecondition(chain(), [revealed()], NOW)).toEqual({ kind: 'FINALIZE' });
  });

  it('stay when the chain cannot finalize', () => {
    expect(finalizePrecondition(chain({ winnerCounter: 2 }), [revealed()], NOW)).toEqual({
      kind: 'WAIT',
      reason: 'CANNOT_FINALIZE_ON_CHAIN',
    });
    expect(finalizePrecondition(undefined, [revealed()], NOW)).toEqual({
      kind: 'WAIT',
      reason: 'CANNOT_FINALIZE_ON_CHAIN',
    });
  });

  it('stay when off-chain reveals ≠ on-chain reveals', () => {
    expect(finalizePrecondition(chain(), [revealed(), revealed()], NOW)).toEqual({
      kind: 'WAIT',
      reason: 'REVEAL_COUNT_MISMATCH',
    });
    expect(finalizePrecondition(chain(), [], NOW)).toEqual({
      kind: 'WAIT',
      reason: 'REVEAL_COUNT_MISMATCH',
    });
  });
});
