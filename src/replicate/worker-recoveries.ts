import { Injectable } from '@nestjs/common';

/**
 * When each worker last came back through R2 `/replicates/interrupted`, which a worker calls once
 * per (re)start: a replicate it was handed before that time is unknown to the process now
 * asking, as one handed by an earlier scheduler process is (see `isUnstartedHandout`). Per
 * process and leader-only, like the rest of the supply state; one entry per authenticated wallet.
 */
@Injectable()
export class WorkerRecoveries {
  private readonly recoveredAt = new Map<string, number>();

  record(walletAddress: string, at: number): void {
    this.recoveredAt.set(walletAddress, at);
  }

  /** The last recovery of this worker, 0 when it has not recovered since this process began. */
  lastOf(walletAddress: string): number {
    return this.recoveredAt.get(walletAddress) ?? 0;
  }
}
