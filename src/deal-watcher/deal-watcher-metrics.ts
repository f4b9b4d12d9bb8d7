/** Process-lifetime deal counters (persistence-and-ops.md §4.1; reset at restart, as in Java). */
export class DealWatcherMetrics {
  dealEventsCount = 0;
  dealsCount = 0;
  replayDealsCount = 0;
  /** Deals given up after their attempts (recorded in `skippedDeal`). */
  skippedDealsCount = 0;
  latestBlockNumberWithDeal = 0n;
  /** Latest block the watcher has fully read (for the ingestion lag gauge). */
  scannedUpTo = 0n;
  latestChainBlock = 0n;

  noticeSeen(blockNumber: bigint): void {
    this.dealEventsCount++;
    if (blockNumber > this.latestBlockNumberWithDeal) this.latestBlockNumberWithDeal = blockNumber;
  }

  /** Blocks between the chain head and what has been ingested. */
  get ingestionLagBlocks(): number {
    return this.latestChainBlock > this.scannedUpTo
      ? Number(this.latestChainBlock - this.scannedUpTo)
      : 0;
  }
}
