import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { PocoReader } from './poco-reader.js';

const POSITIVE_TTL_MS = 60_000;
const NEGATIVE_TTL_MS = 10_000;

/**
 * "Can this wallet pay for a transaction?" (chain.md §11): a worker's before it gets a replicate
 * (worker-api.md §5.2 step 2), the scheduler's own before each initialize and finalize. Workers
 * ask every few seconds and a bag of tasks makes the scheduler send in bursts; the balance is read
 * at most once a minute per wallet (10 s after a refusal) instead of on every demand. Only a
 * wallet's first demand waits for the chain: once an answer has expired, demands get it while one
 * read in the background replaces it (a demand waiting for an RPC was the slowest percent of
 * `/replicates/available` at 2,000 workers).
 */
@Injectable()
export class GasCheckCache {
  private readonly logger = new Logger(GasCheckCache.name);
  private readonly answers = new Map<string, { ok: boolean; until: number }>();
  private readonly reads = new Map<string, Promise<boolean>>();

  constructor(
    private readonly reader: PocoReader,
    private readonly config: AppConfig,
  ) {}

  async hasEnoughGas(walletAddress: string): Promise<boolean> {
    const cached = this.answers.get(walletAddress);
    if (!cached) return this.read(walletAddress);
    if (cached.until <= Date.now()) {
      this.read(walletAddress).catch((error: unknown) =>
        this.logger.warn(
          `Balance of ${walletAddress} not refreshed (previous answer kept): ${(error as Error).message}`,
          { walletAddress },
        ),
      );
    }
    return cached.ok;
  }

  /** One balance read per wallet at a time; its answer replaces the cached one. */
  private read(walletAddress: string): Promise<boolean> {
    let pending = this.reads.get(walletAddress);
    if (!pending) {
      pending = this.reader
        .hasEnoughGas(walletAddress, this.config.chain.gasPriceCap)
        .then((ok) => {
          const ttl = ok ? POSITIVE_TTL_MS : NEGATIVE_TTL_MS;
          this.answers.set(walletAddress, { ok, until: Date.now() + ttl });
          return ok;
        })
        .finally(() => this.reads.delete(walletAddress));
      this.reads.set(walletAddress, pending);
    }
    return pending;
  }
}
