/** Pure state machine of the chain health check (chain.md §12). */
export interface ChainHealthState {
  consecutiveFailures: number;
  firstFailure?: Date;
  outOfService: boolean;
  /** Set once a check succeeded; until then the scheduler is out of service. */
  everSucceeded: boolean;
  latestBlock?: bigint;
  latestBlockTimestamp?: Date;
  lastError?: string;
}

export const INITIAL_CHAIN_HEALTH: ChainHealthState = {
  consecutiveFailures: 0,
  outOfService: true,
  everSucceeded: false,
};

export type ChainCheck =
  { ok: true; blockNumber: bigint; blockTimestamp: Date } | { ok: false; error: string };

export interface ChainHealthTransition {
  state: ChainHealthState;
  /** Set when the out-of-service flag flipped with this check. */
  changed?: 'connected' | 'disconnected';
}

/**
 * Applies one check. A block number of 0 or a latest block older than `maxBlockAgeMs` (when > 0)
 * is a failure. Failures reaching `threshold` turn the scheduler out of service; one success
 * brings it back.
 */
export function applyChainCheck(
  state: ChainHealthState,
  check: ChainCheck,
  options: { threshold: number; maxBlockAgeMs: number; now: Date },
): ChainHealthTransition {
  let failure: string | undefined;
  if (!check.ok) failure = check.error;
  else if (check.blockNumber === 0n) failure = 'the node answers block 0';
  else if (
    options.maxBlockAgeMs > 0 &&
    options.now.getTime() - check.blockTimestamp.getTime() > options.maxBlockAgeMs
  ) {
    failure = `latest block ${check.blockNumber} is stale (mined ${check.blockTimestamp.toISOString()})`;
  }
  const observed = check.ok
    ? { latestBlock: check.blockNumber, latestBlockTimestamp: check.blockTimestamp }
    : {};

  if (failure === undefined) {
    const next: ChainHealthState = {
      ...observed,
      consecutiveFailures: 0,
      outOfService: false,
      everSucceeded: true,
    };
    return { state: next, changed: state.outOfService ? 'connected' : undefined };
  }
  const consecutiveFailures = state.consecutiveFailures + 1;
  const reachedThreshold = consecutiveFailures >= options.threshold;
  const next: ChainHealthState = {
    ...state,
    ...observed,
    consecutiveFailures,
    firstFailure: state.firstFailure ?? options.now,
    lastError: failure,
    outOfService: state.outOfService || reachedThreshold,
  };
  const changed = !state.outOfService && next.outOfService ? 'disconnected' : undefined;
  return { state: next, changed };
}

/** ISO-8601 duration as Java's `Duration.toString()` prints it (PT15S, PT0.5S, PT1M30S). */
export function isoDuration(ms: number): string {
  const totalSeconds = ms / 1000;
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = Math.round((totalSeconds % 60) * 1000) / 1000;
  let out = 'PT';
  if (hours) out += `${hours}H`;
  if (minutes) out += `${minutes}M`;
  if (seconds || out === 'PT') out += `${seconds}S`;
  return out;
}
