import { jest } from '@jest/globals';
import type { AppConfig } from '../../src/config/app-config.js';
import type { ChainContext } from '../../src/chain/chain-context.js';
import type { ChainHealthService } from '../../src/chain/chain-health.service.js';
import type { JobScheduler } from '../../src/common/jobs/job-scheduler.js';
import type { BlockCursorRepository } from '../../src/deal-watcher/block-cursor.repository.js';
import type { DealIngestionService } from '../../src/deal-watcher/deal-ingestion.service.js';
import type { SkippedDealRepository } from '../../src/deal-watcher/skipped-deal.repository.js';
import { DealWatcherMetrics } from '../../src/deal-watcher/deal-watcher-metrics.js';
import {
  CURSOR_PERSIST_INTERVAL_MS,
  DealWatcherService,
} from '../../src/deal-watcher/deal-watcher.service.js';

// How often the deal cursor reaches the database: at most every CURSOR_PERSIST_INTERVAL_MS while
// blocks go by, and always at shutdown.
describe('DealWatcherService cursor persistence', () => {
  let head: bigint;
  let now: number;
  let written: bigint[];

  let logReads: number;
  let periods: number[];

  /** `pollingIntervalMs` null: IEXEC_DEAL_POLLING_INTERVAL not set. */
  function watcher(pollingIntervalMs: number | null = 1000, blockTimeMs = 1000) {
    const config = {
      chain: { startBlockNumber: 10n },
      dealWatcher: {
        pollingIntervalMs: pollingIntervalMs ?? undefined,
        confirmationBlocks: 0,
        maxBlockRange: 1000,
      },
      cron: { dealReplayMs: 60000 },
    } as unknown as AppConfig;
    const chain = {
      poolAddress: '0x0000000000000000000000000000000000000001',
      chainConfig: { blockTimeMs, hubAddress: '0x0000000000000000000000000000000000000002' },
      publicClient: {
        getBlockNumber: async () => head,
        getLogs: async () => (logReads++, []),
      },
    } as unknown as ChainContext;
    const health = {
      isOutOfService: () => false,
      onConnectionChange: () => undefined,
    } as unknown as ChainHealthService;
    const cursors = {
      getLastSeenBlockWithDeal: async (start: bigint) => start,
      getReplayFromBlock: async (start: bigint) => start,
      setLastSeenBlockWithDeal: async (block: bigint) => void written.push(block),
    } as unknown as BlockCursorRepository;
    const jobs = {
      register: (_name: string, ms: number) => void periods.push(ms),
      trigger: () => undefined,
    } as unknown as JobScheduler;
    return new DealWatcherService(
      config,
      chain,
      health,
      cursors,
      {} as SkippedDealRepository,
      {} as DealIngestionService,
      jobs,
      new DealWatcherMetrics(),
    );
  }

  beforeEach(() => {
    head = 20n;
    now = 1_000_000;
    written = [];
    logReads = 0;
    periods = [];
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });

  afterEach(() => jest.restoreAllMocks());

  it('writes the first progress at once, then at most once per interval', async () => {
    const service = watcher();
    await service.onApplicationBootstrap();
    await service.poll();
    expect(written).toEqual([21n]);
    head = 25n;
    now += CURSOR_PERSIST_INTERVAL_MS - 1;
    await service.poll();
    expect(written).toEqual([21n]);
    head = 30n;
    now += 1;
    await service.poll();
    expect(written).toEqual([21n, 31n]);
  });

  it('does not write a cursor that did not move', async () => {
    const service = watcher();
    await service.onApplicationBootstrap();
    await service.poll();
    now += CURSOR_PERSIST_INTERVAL_MS;
    await service.poll();
    expect(written).toEqual([21n]);
  });

  it('polls a quarter of a block time unless told otherwise, reading logs only when a block came', async () => {
    const service = watcher(null, 5000);
    await service.onApplicationBootstrap();
    expect(periods[0]).toBe(500); // the poll job is registered first
    await service.poll();
    expect(logReads).toBe(1);
    await service.poll(); // same head: one eth_blockNumber, no eth_getLogs
    expect(logReads).toBe(1);
    head++;
    await service.poll();
    expect(logReads).toBe(2);
    const told = watcher(2000, 5000);
    await told.onApplicationBootstrap();
    expect(periods.at(-2)).toBe(2000);
  });

  it('writes where it got to at shutdown, whatever the interval', async () => {
    const service = watcher();
    await service.onApplicationBootstrap();
    await service.poll();
    head = 27n;
    await service.poll();
    await service.beforeApplicationShutdown();
    expect(written).toEqual([21n, 28n]);
  });
});
