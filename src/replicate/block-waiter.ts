import { Injectable } from '@nestjs/common';
import { ChainContext } from '../chain/chain-context.js';
import { PocoReader } from '../chain/poco-reader.js';

const POLL_MS = 500;

/**
 * "Is the block of this receipt on our node yet?" (worker-api.md §7.3 a), bounded: the reference
 * waits forever while the node is down; here the wait stops after ten block times (≥ 10 s) and
 * the claim is refused (the worker will report again).
 */
@Injectable()
export class BlockWaiter {
  constructor(
    private readonly reader: PocoReader,
    private readonly chain: ChainContext,
  ) {}

  private get blockTimeMs(): number {
    return this.chain.chainConfig.blockTimeMs;
  }

  async isBlockAvailable(blockNumber: bigint): Promise<boolean> {
    const deadline = Date.now() + Math.max(10_000, 10 * this.blockTimeMs);
    for (;;) {
      const latest = await this.reader.latestBlockNumber();
      if (latest !== undefined && blockNumber <= latest) return true;
      // A node far behind the claimed block will not catch up soon: refuse now.
      if (latest !== undefined && blockNumber > latest + 10n) return false;
      if (Date.now() >= deadline) return false;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  /** The pause between two repeated on-chain checks: one block time, at most 2 s. */
  pause(): Promise<void> {
    return new Promise((r) => setTimeout(r, Math.min(this.blockTimeMs, 2000)));
  }
}
