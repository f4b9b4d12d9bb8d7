/** Attempts a deal gets (the first read included) before it is recorded as skipped. */
export const MAX_DEAL_ATTEMPTS = 5;

/** A deal whose ingestion failed and that will be tried again. */
export interface FailedDeal {
  blockNumber: bigint;
  attempts: number;
  /** Epoch ms of the next attempt. */
  retryAt: number;
  reason: string;
  /** Recorded as skipped before (an operator retry): the record goes when the deal succeeds. */
  skipped?: boolean;
}

export type AfterFailure = { retry: FailedDeal } | { skip: { attempts: number; reason: string } };

/**
 * What follows a failed attempt: another one after an exponential back-off starting at one block
 * time (1, 2, 4, 8 block times), or, once MAX_DEAL_ATTEMPTS attempts failed, skipping the deal so
 * it stops holding the cursor back.
 */
export function afterFailure(
  previous: FailedDeal | undefined,
  blockNumber: bigint,
  reason: string,
  now: number,
  blockTimeMs: number,
): AfterFailure {
  const attempts = (previous?.attempts ?? 0) + 1;
  if (attempts >= MAX_DEAL_ATTEMPTS) return { skip: { attempts, reason } };
  return {
    retry: {
      blockNumber,
      attempts,
      retryAt: now + blockTimeMs * 2 ** (attempts - 1),
      reason,
      skipped: previous?.skipped,
    },
  };
}
