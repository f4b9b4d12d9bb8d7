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
import { afterFailure, type FailedDeal, MAX_DEAL_ATTEMPTS } from './deal-retries.js';
import { SkippedDealRepository } from './skipped-deal.repository.js';
import { forEachLimit } from '../common/for-each-limit.js';

const POLL_JOB = 'deal-watcher';
const REPLAY_JOB = 'deal-replay';
/**
 * Scan progress is written at most this often (and at shutdown): a restart reads again at most
 * that much of the chain, and ingestion ignores deals it already has. Writing it at every block
 * was one database write per block for nothing.
 */
export const CURSOR_PERSIST_INTERVAL_MS = 30_000;
/** Deals of one window ingested at a time, so a slow or unreadable deal never holds up the others. */
const DEALS_IN_FLIGHT = 8;
const UNREADABLE = 'the deal, its category or its app could not be read or decoded';
/** An operator replay from a block the chain has not reached. */
export class ReplayAboveHeadError extends Error {
  constructor(fromBlock: bigint, head: bigint) {
    super(`fromBlock ${fromBlock} is above the chain head (block ${head})`);
  }
}

const schedulerNotice = hubAbi.find((x) => x.type === 'event' && x.name === 'SchedulerNotice')!;

interface Notice {
  dealId: Hex;
  blockNumber: bigint;
}

/**
 * Polls `SchedulerNotice(workerpool = POOL_ADDRESS)` with eth_getLogs in bounded windows
 * (chain.md §8, the cursor design of later Java versions), made reorg-safe by a confirmation
 * depth. The persisted cursor (`configuration.lastSeenBlockWithDeal`) is the first block not yet
 * fully processed, so a restart re-reads from there (duplicates are ignored). A deal that fails
 * is tried again with a back-off and holds the cursor back until it succeeds or, after
 * MAX_DEAL_ATTEMPTS attempts, is recorded in `skippedDeal` (an operator can retry it).
 */
@Injectable()
export class DealWatcherService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DealWatcherService.name);
  /** Next block to read (in memory; runs ahead of the persisted cursor while deals fail). */
  private nextBlock?: bigint;
  /** Deals whose processing failed, tried again when their back-off has elapsed. */
  private readonly failed = new Map<Hex, FailedDeal>();
  private persistedCursor?: bigint;
  private persistedAt = Number.NEGATIVE_INFINITY;
  /** Bumped by each operator replay, so a poll in flight does not overwrite the replayed block. */
  private replays = 0;
  /** Set at shutdown: the poll and the replay stop between windows. */
  private stopping = false;
  /** Cursor writes, one at a time (a replay's backward write must not race a poll's forward one). */
  private cursorWrites: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly config: AppConfig,
    private readonly chain: ChainContext,
    private readonly health: ChainHealthService,
    private readonly cursors: BlockCursorRepository,
    private readonly skipped: SkippedDealRepository,
    private readonly ingestion: DealIngestionService,
    private readonly jobs: JobScheduler,
    readonly metrics: DealWatcherMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const start = this.config.chain.startBlockNumber;
    this.nextBlock = await this.cursors.getLastSeenBlockWithDeal(start);
    this.persistedCursor = this.nextBlock;
    if (start > this.nextBlock) {
      this.logger.warn(
        `IEXEC_START_BLOCK_NUMBER=${start} is ignored: the stored cursor (configuration.lastSeenBlockWithDeal=${this.nextBlock}) wins, as in iexec-core, so no deal is missed since it was written; delete the configuration document, or POST /admin/deals/replay?fromBlock=${start}, to start from ${start}`,
      );
    }
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
    this.stopping = true;
    try {
      await this.persistCursor(true);
    } catch (error) {
      this.logger.warn(`Deal cursor not saved at shutdown: ${(error as Error).message}`);
    }
  }

  /** Operator command: read deals again from `fromBlock` (the cursor may move backwards). */
  async replayFrom(fromBlock: bigint): Promise<{ previous: bigint | undefined; next: bigint }> {
    // Beyond the head the poll would wait for blocks that may never come: no deal read meanwhile.
    const head = await this.chain.publicClient.getBlockNumber({ cacheTime: 0 });
    if (fromBlock > head + 1n) throw new ReplayAboveHeadError(fromBlock, head);
    const previous = this.nextBlock;
    this.nextBlock = fromBlock;
    this.replays++;
    await this.writeCursor(async () => {
      await this.cursors.setLastSeenBlockWithDeal(fromBlock, true);
      this.persistedCursor = fromBlock;
      this.persistedAt = Date.now();
    });
    this.logger.warn(`Deal replay requested from block ${fromBlock} (cursor was ${previous})`);
    this.jobs.trigger(POLL_JOB);
    return { previous, next: fromBlock };
  }

  /**
   * Operator command: tries a skipped deal again at once, with fresh attempts. The record stays
   * until the deal succeeds (a restart meanwhile loses the retry, not the record).
   */
  async retrySkipped(chainDealId: Hex): Promise<boolean> {
    const record = await this.skipped.find(chainDealId);
    if (!record) return false;
    const blockNumber = BigInt(record.dealBlockNumber);
    this.failed.set(record.chainDealId as Hex, {
      blockNumber,
      attempts: 0,
      retryAt: 0,
      reason: record.reason,
      skipped: true,
    });
    this.logger.warn(
      `Skipped deal ${record.chainDealId} (block ${blockNumber}) retried by an operator`,
      { chainDealId: record.chainDealId },
    );
    this.jobs.trigger(POLL_JOB);
    return true;
  }

  /**
   * One run: reads every confirmed block up to the head, window by window, then tries again the
   * failed deals whose back-off has elapsed. An operator replay during the run moves the next
   * window to the replayed block.
   */
  async poll(): Promise<void> {
    if (this.health.isOutOfService() || this.nextBlock === undefined) return;
    const latest = await this.chain.publicClient.getBlockNumber({ cacheTime: 0 });
    this.metrics.latestChainBlock = latest;
    const safeHead = latest - BigInt(this.config.dealWatcher.confirmationBlocks);
    let window = nextWindow(this.nextBlock, safeHead, this.config.dealWatcher.maxBlockRange);
    while (window && !this.stopping) {
      const replays = this.replays;
      await this.handleAll(await this.notices(window.from, window.to), 'live');
      if (replays === this.replays) {
        this.nextBlock = window.to + 1n;
        this.metrics.scannedUpTo = window.to;
      }
      window = nextWindow(this.nextBlock, safeHead, this.config.dealWatcher.maxBlockRange);
    }
    await this.retryFailed();
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
      // A shutdown ends a long re-read between windows; the next process starts it again.
      if (this.stopping) return;
      await this.handleAll(await this.notices(window.from, window.to), 'replay');
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

  /** The notices of one window, a few at a time; deals recorded as skipped are left alone. */
  private async handleAll(notices: Notice[], label: 'live' | 'replay'): Promise<void> {
    for (const notice of notices) {
      this.metrics.noticeSeen(notice.blockNumber);
      if (label === 'live') this.metrics.dealsCount++;
      else this.metrics.replayDealsCount++;
    }
    if (notices.length === 0) return;
    const skipped = await this.skipped.skippedAmong(notices.map((n) => n.dealId));
    const todo = notices.filter((n) => !skipped.has(n.dealId.toLowerCase()));
    await forEachLimit(todo, DEALS_IN_FLIGHT, (notice) => this.handle(notice));
  }

  private async handle(notice: Notice): Promise<void> {
    let reason: string | undefined;
    try {
      const outcome = await this.ingestion.ingest(notice.dealId, notice.blockNumber);
      if (outcome === 'failed') reason = UNREADABLE;
    } catch (error) {
      reason = (error as Error).message;
    }
    const previous = this.failed.get(notice.dealId);
    if (reason === undefined) {
      if (previous?.skipped) await this.skipped.remove(notice.dealId);
      this.failed.delete(notice.dealId);
      return;
    }
    const next = afterFailure(
      previous,
      notice.blockNumber,
      reason,
      Date.now(),
      this.chain.chainConfig.blockTimeMs,
    );
    if ('retry' in next) {
      this.failed.set(notice.dealId, next.retry);
      this.logger.warn(
        `Deal ${notice.dealId} (block ${notice.blockNumber}) failed, attempt ${next.retry.attempts} of ${MAX_DEAL_ATTEMPTS}: ${reason}; next attempt in ${next.retry.retryAt - Date.now()} ms`,
        { chainDealId: notice.dealId },
      );
      return;
    }
    // Recorded before the cursor may pass it: a failed write leaves the deal to be tried again.
    await this.skipped.record({
      chainDealId: notice.dealId,
      dealBlockNumber: Number(notice.blockNumber),
      reason,
      attempts: next.skip.attempts,
      skippedAt: new Date(),
    });
    this.failed.delete(notice.dealId);
    this.metrics.skippedDealsCount++;
    this.logger.warn(
      `Deal ${notice.dealId} (block ${notice.blockNumber}) skipped after ${next.skip.attempts} attempts: ${reason} (retry: POST /admin/deals/skipped/${notice.dealId}/retry)`,
      { chainDealId: notice.dealId },
    );
  }

  private async retryFailed(): Promise<void> {
    const now = Date.now();
    const due = [...this.failed].filter(([, deal]) => deal.retryAt <= now);
    await forEachLimit(due, DEALS_IN_FLIGHT, ([dealId, deal]) =>
      this.handle({ dealId, blockNumber: deal.blockNumber }),
    );
  }

  private writeCursor(write: () => Promise<void>): Promise<void> {
    const done = this.cursorWrites.then(write);
    this.cursorWrites = done.catch(() => undefined);
    return done;
  }

  /** Writes the cursor if it moved, at most every CURSOR_PERSIST_INTERVAL_MS unless `now`. */
  private persistCursor(now = false): Promise<void> {
    // The cursor is computed when the write's turn comes, after any replay queued before it.
    return this.writeCursor(async () => {
      if (this.nextBlock === undefined) return;
      if (!now && Date.now() - this.persistedAt < CURSOR_PERSIST_INTERVAL_MS) return;
      const oldestFailed = [...this.failed.values()].reduce<bigint | undefined>(
        (min, d) => (min === undefined || d.blockNumber < min ? d.blockNumber : min),
        undefined,
      );
      const cursor =
        oldestFailed !== undefined && oldestFailed < this.nextBlock ? oldestFailed : this.nextBlock;
      if (cursor === this.persistedCursor) return;
      await this.cursors.setLastSeenBlockWithDeal(cursor);
      this.persistedCursor = cursor;
      this.persistedAt = Date.now();
    });
  }
}
