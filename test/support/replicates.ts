import { ReplicateStatus, ReplicateStatusModifier } from '../../src/replicate/replicate-status.js';
import type { Replicate } from '../../src/replicate/replicates-list.schema.js';

export const T0 = Date.UTC(2024, 5, 19, 8, 0, 0);
export const MINUTE = 60_000;

export interface ReplicateOptions {
  wallet?: string;
  hash?: string;
  weight?: number;
  /** Date of the first (CREATED) element; the following elements are 1 s apart. */
  createdAt?: number;
  chainTaskId?: string;
}

/** A persisted-shape replicate whose history is `statuses` (CREATED is not added implicitly). */
export function replicate(statuses: ReplicateStatus[], options: ReplicateOptions = {}): Replicate {
  const start = options.createdAt ?? T0;
  return {
    chainTaskId: options.chainTaskId ?? '0xtask',
    walletAddress: options.wallet ?? '0xworker',
    contributionHash: options.hash ?? '',
    workerWeight: options.weight ?? 0,
    appComputeLogsPresent: false,
    statusUpdateList: statuses.map((status, i) => ({
      status,
      modifier: ReplicateStatusModifier.WORKER,
      date: new Date(start + i * 1000),
    })),
  };
}

/** A replicate that went the plain way from CREATED to CONTRIBUTED. */
export function contributed(options: ReplicateOptions = {}): Replicate {
  const S = ReplicateStatus;
  return replicate(
    [S.CREATED, S.STARTING, S.STARTED, S.COMPUTING, S.COMPUTED, S.CONTRIBUTING, S.CONTRIBUTED],
    options,
  );
}
