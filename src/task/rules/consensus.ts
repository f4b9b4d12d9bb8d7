import type { ChainTask } from '../../chain/chain-task.js';
import { ChainTaskStatus } from '../../chain/chain-status.js';
import { Instant, toMillis } from '../../common/instant.js';
import { ReplicateStatus } from '../../replicate/replicate-status.js';
import type { Replicate } from '../../replicate/replicates-list.schema.js';
import {
  creationDate,
  lastRelevantStatus,
  ReplicateHistory,
} from '../../replicate/replicate-workflow.js';

// Consensus / trust math (task-lifecycle.md §9, worker-api.md §5.5).
//
// Weights are computed as bigint: agreeing weights are multiplied (as PoCo does with uint256),
// so a handful of high-score workers overflows both a Java int and a JS double.

/** The replicate fields the consensus math reads. A persisted `Replicate` fits. */
export type ConsensusReplicate = ReplicateHistory &
  Pick<Replicate, 'contributionHash' | 'workerWeight'>;

export interface Prediction {
  readonly hash: string;
  readonly weight: bigint;
}

/** `g = max(g, 1) × w` over the positive weights; 0 when there is none. */
function productWeight(weights: readonly number[]): bigint {
  let g = 0n;
  for (const w of weights) {
    if (w > 0) g = (g > 1n ? g : 1n) * BigInt(Math.trunc(w));
  }
  return g;
}

/** Last relevant status CONTRIBUTED: the replicate counts towards a consensus. */
export const isContributed = (r: ConsensusReplicate): boolean =>
  lastRelevantStatus(r) === ReplicateStatus.CONTRIBUTED;

/** Date of the CONTRIBUTED element (for the deterministic tie-break). */
function contributedAt(r: ConsensusReplicate): number {
  const entry = r.statusUpdateList.find((u) => u.status === ReplicateStatus.CONTRIBUTED);
  return entry ? new Date(entry.date).getTime() : Number.POSITIVE_INFINITY;
}

/**
 * Distinct contribution hashes of the replicates whose last relevant status is CONTRIBUTED,
 * ordered by their earliest CONTRIBUTED date, then lexicographically.
 */
export function distinctContributions(replicates: readonly ConsensusReplicate[]): string[] {
  const earliest = new Map<string, number>();
  for (const r of replicates.filter(isContributed)) {
    const at = contributedAt(r);
    const known = earliest.get(r.contributionHash);
    if (known === undefined || at < known) earliest.set(r.contributionHash, at);
  }
  return [...earliest.entries()]
    .sort(([ha, a], [hb, b]) => (a !== b ? a - b : ha < hb ? -1 : ha > hb ? 1 : 0))
    .map(([hash]) => hash);
}

/** Product of the weights of the CONTRIBUTED replicates agreeing on `hash`. */
export function contributedWeight(replicates: readonly ConsensusReplicate[], hash: string): bigint {
  return productWeight(
    replicates
      .filter((r) => isContributed(r) && r.contributionHash === hash)
      .map((r) => r.workerWeight),
  );
}

/**
 * Product of the weights of the replicates that may still contribute: created at most one
 * period (`maxExecutionTimeMs`) ago, last relevant status neither CONTRIBUTED nor FAILED.
 * WORKER_LOST / RECOVERING are transparent (a lost worker counts until its replicate ages out).
 */
export function pendingWeight(
  replicates: readonly ConsensusReplicate[],
  maxExecutionTimeMs: number,
  now: Instant,
): bigint {
  const nowMs = toMillis(now);
  return productWeight(
    replicates
      .filter((r) => {
        const created = creationDate(r);
        if (!created || nowMs > created.getTime() + maxExecutionTimeMs) return false;
        const last = lastRelevantStatus(r);
        return last !== ReplicateStatus.CONTRIBUTED && last !== ReplicateStatus.FAILED;
      })
      .map((r) => r.workerWeight),
  );
}

/**
 * Hash with the greatest contributed weight (start value: hash "" with weight 0).
 *
 * [quirk fixed] The reference iterates a hash set and lets later hashes win ties, so ties are
 * decided by hash-set order. Here ties go to the hash contributed earliest, then the
 * lexicographically smallest. The tie-break never changes a weight (tied groups weigh the same,
 * so best/worst/all are identical whichever wins); it only makes the returned hash stable.
 */
export function bestContributedPrediction(replicates: readonly ConsensusReplicate[]): Prediction {
  let best: Prediction = { hash: '', weight: 0n };
  for (const hash of distinctContributions(replicates)) {
    const weight = contributedWeight(replicates, hash);
    if (weight > best.weight) best = { hash, weight };
  }
  return best;
}

/** contributed-best × pending if both > 0; otherwise whichever is > 0; 0 if both are 0. */
export function bestPredictionWeight(
  replicates: readonly ConsensusReplicate[],
  maxExecutionTimeMs: number,
  now: Instant,
): bigint {
  const contributed = bestContributedPrediction(replicates).weight;
  const pending = pendingWeight(replicates, maxExecutionTimeMs, now);
  if (contributed > 0n && pending > 0n) return contributed * pending;
  return contributed > 0n ? contributed : pending;
}

/** Sum of the contributed weights of every distinct hash other than the best one. */
export function worstPredictionsWeight(replicates: readonly ConsensusReplicate[]): bigint {
  const best = bestContributedPrediction(replicates).hash;
  let sum = 0n;
  for (const hash of distinctContributions(replicates)) {
    if (hash !== best) sum += contributedWeight(replicates, hash);
  }
  return sum;
}

export function allPredictionsWeight(
  replicates: readonly ConsensusReplicate[],
  maxExecutionTimeMs: number,
  now: Instant,
): bigint {
  return (
    bestPredictionWeight(replicates, maxExecutionTimeMs, now) + worstPredictionsWeight(replicates)
  );
}

/**
 * Replication policy: true unless `best × T > (1 + all) × (T − 1)` with `T = max(trust, 1)`.
 * (PoCo's on-chain test is `group × trust > total × (trust − 1)`; see the module report.)
 */
export function needsMoreContributions(
  replicates: readonly ConsensusReplicate[],
  trust: number | bigint,
  maxExecutionTimeMs: number,
  now: Instant,
): boolean {
  const t = BigInt(trust) > 1n ? BigInt(trust) : 1n;
  const best = bestPredictionWeight(replicates, maxExecutionTimeMs, now);
  const all = best + worstPredictionsWeight(replicates);
  return !(best * t > (1n + all) * (t - 1n));
}

/**
 * Worker weight from its on-chain score: `max(floor(s / 3), 3) − 1` (the formula of PoCo's
 * `contribute`); 0 when the score could not be read.
 */
export function workerWeightFromScore(score: number | bigint | null | undefined): number {
  if (score == null) return 0;
  let s: bigint;
  try {
    s = BigInt(score);
  } catch {
    return 0; // non-integer number
  }
  if (s < 0n) return 0;
  const third = s / 3n;
  return Number((third > 3n ? third : 3n) - 1n);
}

/** Replicates whose last relevant status is CONTRIBUTED with `contributionHash` = consensus. */
export function countWinners(
  replicates: readonly ConsensusReplicate[],
  consensusValue: string,
): number {
  return replicates.filter((r) => isContributed(r) && r.contributionHash === consensusValue).length;
}

export type ConsensusChainFacts = Pick<ChainTask, 'status' | 'consensusValue' | 'winnerCounter'>;

/**
 * On-chain consensus "reached" from the scheduler's point of view: the chain task is REVEALING
 * and at least `winnerCounter` off-chain replicates are CONTRIBUTED with the consensus hash.
 * False when the chain task could not be read.
 */
export function isConsensusReached(
  chainTask: ConsensusChainFacts | null | undefined,
  replicates: readonly ConsensusReplicate[],
): boolean {
  if (!chainTask || chainTask.status !== ChainTaskStatus.REVEALING) return false;
  return countWinners(replicates, chainTask.consensusValue) >= chainTask.winnerCounter;
}

/**
 * ConsensusReachedEvent audience: winners (contributionHash = consensus, whatever the status)
 * get PLEASE_REVEAL, every other replicate (including never-contributed ones) PLEASE_ABORT.
 */
export function splitConsensusAudience(
  replicates: readonly Pick<Replicate, 'walletAddress' | 'contributionHash'>[],
  consensus: string,
): { winners: string[]; losers: string[] } {
  const winners: string[] = [];
  const losers: string[] = [];
  for (const r of replicates)
    (r.contributionHash === consensus ? winners : losers).push(r.walletAddress);
  return { winners, losers };
}
