import { Instant, toMillis } from '../common/instant.js';
import { ConsensusReplicate, needsMoreContributions } from '../task/rules/consensus.js';
import { isTeeTag, unservedTeeTagReason } from '../chain/tee-tag.js';
import { SUPPLY_STATUSES, TaskStatus } from '../task/task-status.js';
import type { Replicate } from './replicates-list.schema.js';

// Chain-free part of accepting a candidate task for a worker (worker-api.md §5.3, §5.4 step 3).

/**
 * Whether a worker may be offered a task with this tag: TEE tags (bit 0, PoCo's rule) only to
 * TEE-enabled workers, and a TEE tag of a framework not served here to nobody (no worker could
 * contribute to it). [quirk fixed, §5.3] The reference excludes only the two exact TEE tag
 * strings from non-TEE workers, so a TDX task went to standard workers and PoCo refused them.
 */
export function isTagOfferableToWorker(
  tag: string | null | undefined,
  teeEnabled: boolean,
): boolean {
  if (!isTeeTag(tag)) return true;
  return teeEnabled && unservedTeeTagReason(tag) === undefined;
}

export type SupplyPrecheck =
  | 'NO_REPLICATES_LIST'
  | 'ALREADY_PARTICIPATING'
  | 'ENOUGH_CONTRIBUTIONS'
  /** Go on with the on-chain consensus check (`isConsensusReached`), then reserve and create. */
  | 'OK';

/** §5.4 steps 3.1–3.3, in order. Wallets are compared as exact strings. */
export function supplyPrecheck(input: {
  readonly replicates:
    readonly (ConsensusReplicate & Pick<Replicate, 'walletAddress'>)[] | null | undefined;
  readonly walletAddress: string;
  readonly trust: number | bigint;
  readonly maxExecutionTimeMs: number;
  readonly now: Instant;
}): SupplyPrecheck {
  const { replicates } = input;
  if (!replicates) return 'NO_REPLICATES_LIST';
  if (replicates.some((r) => r.walletAddress === input.walletAddress))
    return 'ALREADY_PARTICIPATING';
  if (!needsMoreContributions(replicates, input.trust, input.maxExecutionTimeMs, input.now)) {
    return 'ENOUGH_CONTRIBUTIONS';
  }
  return 'OK';
}

/** §5.4 step 1: a task without an enclave challenge is never offered (nothing is locked). */
export function hasEnclaveChallenge(task: { readonly enclaveChallenge?: string | null }): boolean {
  return !!task.enclaveChallenge;
}

/**
 * Whether a task read afresh under the supply lock can still be offered: the candidates list is
 * cached for a moment, and a task may have reached consensus, timed out or failed since.
 */
export function isStillOfferable(
  task: { readonly currentStatus: TaskStatus; readonly contributionDeadline: Date } | null,
  now: Instant,
): boolean {
  return (
    !!task &&
    SUPPLY_STATUSES.includes(task.currentStatus) &&
    task.contributionDeadline.getTime() > toMillis(now)
  );
}
