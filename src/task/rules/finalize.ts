import { ChainTaskStatus } from '../../chain/chain-status.js';
import type { ChainTask } from '../../chain/chain-task.js';
import { Instant, toMillis } from '../../common/instant.js';
import { ReplicateStatus } from '../../replicate/replicate-status.js';
import { containsStatus, ReplicateHistory } from '../../replicate/replicate-workflow.js';

// Finalize / reopen preconditions (task-lifecycle.md §7.8, §7.10). These mirror the `require`s
// of PoCo's `finalize` and `reopen`, so a transaction is only requested when it cannot revert
// for a status/counter reason.

export type FinalizeChainFacts = Pick<
  ChainTask,
  'status' | 'finalDeadline' | 'revealDeadline' | 'revealCounter' | 'winnerCounter'
>;

/**
 * REVEALING ∧ now < finalDeadline ∧ (revealCounter = winnerCounter ∨ (revealCounter > 0 ∧
 * revealDeadline ≤ now)).
 */
export function canFinalize(
  chainTask: FinalizeChainFacts | null | undefined,
  now: Instant,
): boolean {
  if (!chainTask || chainTask.status !== ChainTaskStatus.REVEALING) return false;
  const t = toMillis(now);
  if (!(t < chainTask.finalDeadline)) return false;
  return (
    chainTask.revealCounter === chainTask.winnerCounter ||
    (chainTask.revealCounter > 0 && chainTask.revealDeadline <= t)
  );
}

/** REVEALING ∧ now < finalDeadline ∧ revealDeadline ≤ now ∧ revealCounter = 0. */
export function canReopen(chainTask: FinalizeChainFacts | null | undefined, now: Instant): boolean {
  if (!chainTask || chainTask.status !== ChainTaskStatus.REVEALING) return false;
  const t = toMillis(now);
  return (
    t < chainTask.finalDeadline && chainTask.revealDeadline <= t && chainTask.revealCounter === 0
  );
}

/** Number of distinct replicates whose history contains REVEALED. */
export function countOffChainReveals(replicates: readonly ReplicateHistory[]): number {
  return replicates.filter((r) => containsStatus(r, ReplicateStatus.REVEALED)).length;
}

export type FinalizePrecondition =
  | { readonly kind: 'FINALIZE' }
  | {
      readonly kind: 'WAIT';
      readonly reason: 'CANNOT_FINALIZE_ON_CHAIN' | 'REVEAL_COUNT_MISMATCH';
    };

/**
 * §7.8 steps 1–3: finalize only when the chain accepts it and the off-chain reveal count equals
 * the on-chain `revealCounter`; otherwise stay RESULT_UPLOADED (retried by UnstartedTxDetector).
 * The gas check (step 4) is left to the caller.
 */
export function finalizePrecondition(
  chainTask: FinalizeChainFacts | null | undefined,
  replicates: readonly ReplicateHistory[],
  now: Instant,
): FinalizePrecondition {
  if (!chainTask || !canFinalize(chainTask, now)) {
    return { kind: 'WAIT', reason: 'CANNOT_FINALIZE_ON_CHAIN' };
  }
  if (countOffChainReveals(replicates) !== chainTask.revealCounter) {
    return { kind: 'WAIT', reason: 'REVEAL_COUNT_MISMATCH' };
  }
  return { kind: 'FINALIZE' };
}
