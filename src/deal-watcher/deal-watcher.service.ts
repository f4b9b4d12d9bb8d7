import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { decodeEventLog, type Hex } from 'viem';
import { AppConfig } from '../config/app-config.js';
import { JobScheduler } from '../common/jobs/job-scheduler.js';
import { ChainContext } from '../chain/chain-context.js';
import { blockFollowingPollMs } from '../chain/chain-config.js';
import { ChainHealthService } from '../chain/chain-health.service.js';
import { getLogsChunked, nextWindow, type LogsClient } from '../chain/chunked-logs.js';
import { hubAbi } from '../chain/poco-abi.js';
import { BlockCursorRepository } from './block-cursor.repository.js';
import { DealIngestionService } from './deal-ingestion.service.js';
import { DealWatcherMetrics } from './deal-watcher-metrics.js';

const POLL_JOB = 'deal-watcher';
const REPLAY_JOB = 'deal-replay';
/**
 * Scan progress is written at most this often (and at shutdown): a restart reads again at most
 * that much of the chain, and ingestion ignores deals it already has. Writing it at every block
 * was one database write per block for nothing.
 */
export const CURSOR_PERSIST_INTERVAL_MS = 30_000;
const schedulerNotice = hubAbi.find((x) => x.type === 'event' && x.name === 'SchedulerNotice')!;

interface Notice {
  dealId: Hex;
  blockNumber: bigint;
}

/**
 * Polls `SchedulerNotice(workerpool = POOL_ADDRESS)` with eth_getLogs in bounded windows
 * (chain.md §8, the cursor design of later Java versions), made reorg-safe by a confirmation
 * depth. The persisted cursor (`configuration.lastSeenBlockWithDeal`) is the first block not yet
 * fully processed, so a restart re-reads from there (duplicates are ignored) and a deal that
 * failed holds the cursor back until it succeeds.
 */
@Injectable()
export class DealWatcherService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DealWatcherService.name);
  /** Next block to read (in memory; runs ahead of the persisted cursor while deals fail). */
  private nextBlock?: bigint;
  /** Deals whose processing failed, retried on every poll. */
  private readonly failed = new Map<Hex, bigint>();
  private persistedCursor?: bigint;
  private persistedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly config: AppConfig,
    private readonly chain: ChainContext,
    private readonly health: ChainHealthService,
    private readonly cursors: BlockCursorRepository,
    private readonly ingestion: DealIngestionService,
    private readonly jobs: JobScheduler,
    readonly metrics: DealWatcherMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const start = this.config.chain.startBlockNumber;
    this.nextBlock = await this.cursors.getLastSeenBlockWithDeal(start);
    this.persistedCursor = this.nextBlock;
    await this.cursors.getReplayFromBlock(start);
    this.logger.log(
      `Watching deals of workerpool ${this.chain.poolAddress} from block ${this.nextBlock}`,
    );
    // By default a few times per block time: logs are read only when a block came (see poll).
    const period =
      this.config.dealWatcher.pollingIntervalMs ??
      blockFollowingPollMs(this.chain.chainConfig.blockTimeMs);
    this.jobs.register(POLL_JOB, Math.max(50, period), () => this.poll(), { runAtStart: true });
    this.jobs.register(REPLAY_JOB, this.config.cron.dealReplayMs, () => this.replay());
    this.health.onConnectionChange((connected) => connected && this.jobs.trigger(POLL_JOB));
  }

  async beforeApplicationShutdown(): Promise<void> {
    try {
      await this.persistCursor(true);
    } catch (error) {
      this.logger.warn(`Deal cursor not saved at shutdown: ${(error as Error).message}`);
    }
  }

  /** Operator command: read deals again from `fromBlock` (the cursor may move backwards). */
  async replayFrom(fromBlock: bigint): Promise<{ previous: bigint | undefined; next: bigint }> {
    const previous = this.nextBlock;
    this.nextBlock = fromBlock;
    await this.cursors.setLastSeenBlockWithDeal(fromBlock, true);
    this.persistedCursor = fromBlock;
    this.persistedAt = Date.now();
    this.logger.warn(`Deal replay requested from block ${fromBlock} (cursor was ${previous})`);
    this.jobs.trigger(POLL_JOB);
    return { previous, next: fromBlock };
  }

  /** One run: retries failed deals, then reads every confirmed block up to the head, window by window. */
  async poll(): Promise<void> {
    if (this.health.isOutOfService() || this.nextBlock === undefined) return;
    const latest = await this.chain.publicClient.getBlockNumber({ cacheTime: 0 });
    this.metrics.latestChainBlock = latest;
    await this.retryFailed();
    const safeHead = latest - BigInt(this.config.dealWatcher.confirmationBlocks);
    let window = nextWindow(this.nextBlock, safeHead, this.config.dealWatcher.maxBlockRange);
    while (window) {
      const notices = await this.notices(window.from, window.to);
      for (const notice of notices) await this.handle(notice, 'live');
      this.nextBlock = window.to + 1n;
      this.metrics.scannedUpTo = window.to;
      window = nextWindow(this.nextBlock, safeHead, this.config.dealWatcher.maxBlockRange);
    }
    await this.persistCursor();
  }

  /** Safety net: re-reads what was already read since the last replay (deduplicated by the indexes). */
  async replay(): Promise<void> {
    if (this.health.isOutOfService() || this.nextBlock === undefined) return;
    const from = await this.cursors.getReplayFromBlock(this.config.chain.startBlockNumber);
    const to = this.nextBlock - 1n;
    if (from >= to) return;
    let window = nextWindow(from, to, this.config.dealWatcher.maxBlockRange);
    while (window) {
      for (const notice of await this.notices(window.from, window.to))
        await this.handle(notice, 'replay');
      window = nextWindow(window.to + 1n, to, this.config.dealWatcher.maxBlockRange);
    }
    await this.cursors.setReplayFromBlock(to);
  }

  private async notices(fromBlock: bigint, toBlock: bigint): Promise<Notice[]> {
    const logs = await getLogsChunked(
      this.chain.publicClient as unknown as LogsClient,
      {
        address: this.chain.chainConfig.hubAddress,
        event: schedulerNotice,
        args: { workerpool: this.chain.poolAddress },
      },
      fromBlock,
      toBlock,
      { maxRange: this.config.dealWatcher.maxBlockRange },
    );
    const notices: Notice[] = [];
    for (const log of logs) {
      const decoded = decodeEventLog({
        abi: hubAbi,
        eventName: 'SchedulerNotice',
        data: log.data,
        topics: log.topics,
      });
      if (decoded.args.workerpool.toLowerCase() !== this.chain.poolAddress.toLowerCase()) continue;
      notices.push({ dealId: decoded.args.dealid, blockNumber: log.blockNumber ?? 0n });
    }
    return notices;
  }

  private async handle(notice: Notice, label: 'live' | 'replay' | 'retry'): Promise<void> {
    if (label !== 'retry') this.metrics.noticeSeen(notice.blockNumber);
    if (label === 'live') this.metrics.dealsCount++;
    if (label === 'replay') this.metrics.replayDealsCount++;
    let outcome;
    try {
      outcome = await this.ingestion.ingest(notice.dealId, notice.blockNumber);
    } catch (error) {
      this.logger.error(`Deal ${notice.dealId} failed: ${(error as Error).message}`);
      outcome = 'failed';
    }
    if (outcome === 'failed') this.failed.set(notice.dealId, notice.blockNumber);
    else this.failed.delete(notice.dealId);
  }

  private async retryFailed(): Promise<void> {
    for (const [dealId, blockNumber] of [...this.failed]) {
      await this.handle({ dealId, blockNumber }, 'retry');
    }
  }

  /** Writes the cursor if it moved, at most every CURSOR_PERSIST_INTERVAL_MS unless `now`. */
  private async persistCursor(now = false): Promise<void> {
    if (this.nextBlock === undefined) return;
    if (!now && Date.now() - this.persistedAt < CURSOR_PERSIST_INTERVAL_MS) return;
    const oldestFailed = [...this.failed.values()].reduce<bigint | undefined>(
      (min, b) => (min === undefined || b < min ? b : min),
      undefined,
    );
    const cursor =
      oldestFailed !== undefined && oldestFailed < this.nextBlock ? oldestFailed : this.nextBlock;
    if (cursor === this.persistedCursor) return;
    await this.cursors.setLastSeenBlockWithDeal(cursor);
    this.persistedCursor = cursor;
    this.persistedAt = Date.now();
  }
}
