/**
 * What our node says of a worker's CONTRIBUTED / REVEALED claim (worker-api.md §7.3 a-b).
 * Workers run their own nodes, often blocks ahead of ours: a claim our node cannot see yet is
 * `pending` (held, then asked again), never refused. Only what the chain proves false is
 * `refuted`: our node is past the claimed block by the confirmations (or, on a chain that makes
 * no block without a transaction, has shown that block long enough) and the contribution is
 * still not there.
 */
export type ClaimVerdict = 'confirmed' | 'pending' | 'refuted';

export interface ClaimObservation {
  /** `details.chainReceipt.blockNumber` of the claim (0 when absent). */
  readonly claimedBlock: bigint;
  /** Our node's latest block; undefined while it does not answer. */
  readonly latestBlock: bigint | undefined;
  /** The contribution as last read: in the claimed state (or further), not, or not readable. */
  readonly contribution: 'reached' | 'absent' | 'unread';
  /** Blocks past the claimed one before an absent contribution is proof. */
  readonly confirmationBlocks: number;
  /** How long (ms) the claimed block has been visible on our node in this check. */
  readonly visibleForMs: number;
  /** Visible this long without the contribution is proof too (Java re-checks 6 block times). */
  readonly visibleProofMs: number;
}

export function claimVerdict(o: ClaimObservation): ClaimVerdict {
  if (o.contribution === 'reached') return 'confirmed';
  // A failed read proves nothing.
  if (o.contribution === 'unread') return 'pending';
  if (o.latestBlock === undefined || o.latestBlock < o.claimedBlock) return 'pending';
  if (o.latestBlock >= o.claimedBlock + BigInt(o.confirmationBlocks)) return 'refuted';
  return o.visibleForMs >= o.visibleProofMs ? 'refuted' : 'pending';
}

/** Java's pause between two contribution re-checks: 6 average block times. */
export function visibleProofMs(blockTimeMs: number): number {
  return 6 * blockTimeMs;
}
