import { Injectable } from '@nestjs/common';

/**
 * "Now" for comparisons with on-chain deadlines. Deadlines are chain timestamps; when the chain's
 * latest block is ahead of this machine's clock (skew, or time travel on a dev chain), the chain
 * wins, so the scheduler never waits for a deadline the chain already considers passed. On a
 * healthy network blocks trail the wall clock and this is simply the wall clock.
 */
@Injectable()
export class ChainClock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  date(): Date {
    return new Date(this.now());
  }

  /** Called with each latest block seen (chain health check). */
  observeBlock(timestampMs: number): void {
    this.offsetMs = Math.max(0, timestampMs - Date.now());
  }
}
