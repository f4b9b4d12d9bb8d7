import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { PocoReader } from '../chain/poco-reader.js';

const POSITIVE_TTL_MS = 60_000;
const NEGATIVE_TTL_MS = 10_000;

/**
 * "Can this worker pay for its contribution?" (worker-api.md §5.2 step 2). Workers ask every few
 * seconds; the balance is read at most once a minute per wallet (10 s after a refusal) instead of
 * on every demand.
 */
@Injectable()
export class GasCheckCache {
  private readonly answers = new Map<string, { ok: boolean; until: number }>();

  constructor(
    private readonly reader: PocoReader,
    private readonly config: AppConfig,
  ) {}

  async hasEnoughGas(walletAddress: string): Promise<boolean> {
    const now = Date.now();
    const cached = this.answers.get(walletAddress);
    if (cached && cached.until > now) return cached.ok;
    const ok = await this.reader.hasEnoughGas(walletAddress, this.config.chain.gasPriceCap);
    this.answers.set(walletAddress, { ok, until: now + (ok ? POSITIVE_TTL_MS : NEGATIVE_TTL_MS) });
    return ok;
  }
}
