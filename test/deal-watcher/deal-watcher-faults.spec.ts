import { jest } from '@jest/globals';
import { encodeAbiParameters, encodeEventTopics, type Hex } from 'viem';
import { Logger } from '@nestjs/common';
import type { AppConfig } from '../../src/config/app-config.js';
import type { ChainContext } from '../../src/chain/chain-context.js';
import type { ChainHealthService } from '../../src/chain/chain-health.service.js';
import { hubAbi } from '../../src/chain/poco-abi.js';
import type { JobScheduler } from '../../src/common/jobs/job-scheduler.js';
import type { BlockCursorRepository } from '../../src/deal-watcher/block-cursor.repository.js';
import type {
  DealIngestionService,
  DealOutcome,
} from '../../src/deal-watcher/deal-ingestion.service.js';
import { DealWatcherMetrics } from '../../src/deal-watcher/deal-watcher-metrics.js';
import { DealWatcherService } from '../../src/deal-watcher/deal-watcher.service.js';
import type { SkippedDealRepository } from '../../src/deal-watcher/skipped-deal.repository.js';
import type { SkippedDeal } from '../../src/deal-watcher/skipped-deal.schema.js';

// Faults of the deal watcher with a controlled chain and ingestion: unreadable deals, operator
// replays landing in the middle of a poll, a start block the stored cursor overrides.
const POOL = '0x0000000000000000000000000000000000000001';
const BLOCK_TIME_MS = 1000;
const dealId = (n: number) => `0x${n.toString(16).padStart(64, '0')}` as Hex;

function noticeLog(id: Hex, blockNumber: bigint) {
  return {
    data: encodeAbiParameters([{ type: 'bytes32' }], [id]),
    topics: encodeEventTopics({
      abi: hubAbi,
      eventName: 'SchedulerNotice',
      args: { workerpool: POOL },
    }),
    blockNumber,
  };
}

interface Harness {
  service: DealWatcherService;
  metrics: DealWatcherMetrics;
  /** fromBlock of every eth_getLogs, in order. */
  reads: bigint[];
  written: bigint[];
  skipped: Map<string, SkippedDeal>;
  ingested: Hex[];
}

function harness(options: {
  head: bigint;
  maxBlockRange?: number;
  storedCursor?: bigint;
  startBlock?: bigint;
  /** Deal notices by block. */
  deals?: Map<bigint, Hex[]>;
  /** Answers of eth_getLogs (default: from `deals`, at once). */
  getLogs?: (from: bigint, to: bigint) => Promise<unknown[]>;
  ingest?: (id: Hex) => Promise<DealOutcome>;
}): Harness {
  const h = { reads: [], written: [], skipped: new Map(), ingested: [] } as unknown as Harness;
  const logsOf = async (from: bigint, to: bigint) => {
    const logs = [];
    for (const [block, ids] of options.deals ?? new Map<bigint, Hex[]>())
      if (block >= from && block <= to) logs.push(...ids.map((id) => noticeLog(id, block)));
    return logs;
  };
  const config = {
    chain: { startBlockNumber: options.startBlock ?? 10n },
    dealWatcher: { confirmationBlocks: 0, maxBlockRange: options.maxBlockRange ?? 1000 },
    cron: { dealReplayMs: 60000 },
  } as unknown as AppConfig;
  const chain = {
    poolAddress: POOL,
    chainConfig: { blockTimeMs: BLOCK_TIME_MS, hubAddress: POOL },
    publicClient: {
      getBlockNumber: async () => options.head,
      getLogs: async ({ fromBlock, toBlock }: { fromBlock: bigint; toBlock: bigint }) => {
        h.reads.push(fromBlock);
        return (options.getLogs ?? logsOf)(fromBlock, toBlock);
      },
    },
  } as unknown as ChainContext;
  const cursors = {
    getLastSeenBlockWithDeal: async (start: bigint) => options.storedCursor ?? start,
    getReplayFromBlock: async (start: bigint) => start,
    setLastSeenBlockWithDeal: async (block: bigint) => void h.written.push(block),
  } as unknown as BlockCursorRepository;
  const skipped = {
    record: async (deal: SkippedDeal) => void h.skipped.set(deal.chainDealId, deal),
    skippedAmong: async (ids: string[]) => new Set(ids.filter((id) => h.skipped.has(id))),
    find: async (id: string) => h.skipped.get(id),
    remove: async (id: string) => void h.skipped.delete(id),
  } as unknown as SkippedDealRepository;
  const ingestion = {
    ingest: async (id: Hex) => {
      h.ingested.push(id);
      return options.ingest ? options.ingest(id) : 'created';
    },
  } as unknown as DealIngestionService;
  h.metrics = new DealWatcherMetrics();
  h.service = new DealWatcherService(
    config,
    chain,
    {
      isOutOfService: () => false,
      onConnectionChange: () => undefined,
    } as unknown as ChainHealthService,
    cursors,
    skipped,
    ingestion,
    { register: () => undefined, trigger: () => undefined } as unknown as JobScheduler,
    h.metrics,
  );
  return h;
}

let now: number;
let warnings: string[];
/** The field object each warning passed (JSON logs put it at the root), or undefined. */
let warningFields: unknown[];
beforeEach(() => {
  now = 1_000_000;
  warnings = [];
  warningFields = [];
  jest.spyOn(Date, 'now').mockImplementation(() => now);
  jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown, fields?: unknown) => {
    warnings.push(String(message));
    warningFields.push(fields);
  });
});
afterEach(() => jest.restoreAllMocks());

describe('DealWatcherService and unreadable deals', () => {
  const poison = dealId(0xbad);
  const good = dealId(0x600d);

  it('retries an unreadable deal with back-off, then records it as skipped and moves the cursor on', async () => {
    const h = harness({
      head: 20n,
      deals: new Map([[15n, [poison]]]),
      ingest: async (id) => (id === poison ? 'failed' : 'created'),
    });
    await h.service.onApplicationBootstrap();
    await h.service.poll();
    expect(h.ingested).toEqual([poison]);
    // attempts 2..5 come 1, 2, 4, 8 block times after the previous one, not at every poll
    for (const delay of [1, 2, 4, 8]) {
      now += delay * BLOCK_TIME_MS - 1;
      await h.service.poll();
      const before = h.ingested.length;
      now += 1;
      await h.service.poll();
      expect(h.ingested.length).toBe(before + 1);
    }
    expect(h.ingested).toHaveLength(5);
    expect(h.skipped.get(poison)).toMatchObject({
      dealBlockNumber: 15,
      attempts: 5,
      reason: expect.stringContaining('could not be read'),
    });
    expect(h.metrics.skippedDealsCount).toBe(1);
    expect(warnings.some((w) => w.includes(poison) && w.includes('skipped after 5 attempts'))).toBe(
      true,
    );
    // Every line about the deal names it as a field: 4 failed attempts, then the skip.
    const aboutPoison = warnings.flatMap((w, i) => (w.includes(poison) ? [warningFields[i]] : []));
    expect(aboutPoison).toHaveLength(5);
    expect(aboutPoison).toEqual(Array(5).fill({ chainDealId: poison }));
    now += 60_000;
    await h.service.poll();
    expect(h.ingested).toHaveLength(5); // never again
    // held back at the poison block while it was retried, past it once skipped
    expect(h.written).toEqual([15n, 21n]);

    // a replay reading the block again leaves the skipped deal alone
    await h.service.replayFrom(0n);
    await h.service.poll();
    expect(h.ingested).toHaveLength(5);
  });

  it('does not let an unreadable deal delay a good one of the same block', async () => {
    let release!: () => void;
    const stuck = new Promise<DealOutcome>((r) => (release = () => r('failed')));
    const h = harness({
      head: 20n,
      deals: new Map([[15n, [poison, good]]]),
      ingest: (id) => (id === poison ? stuck : Promise.resolve('created')),
    });
    await h.service.onApplicationBootstrap();
    const poll = h.service.poll();
    await new Promise((r) => setImmediate(r));
    expect(h.ingested).toEqual([poison, good]); // the good one started while the poison one hangs
    release();
    await poll;
  });

  it('lets an operator retry a skipped deal, keeping the record until it succeeds', async () => {
    let readable = false;
    const h = harness({
      head: 20n,
      deals: new Map([[15n, [poison]]]),
      ingest: async () => (readable ? 'created' : 'failed'),
    });
    await h.service.onApplicationBootstrap();
    await h.service.poll();
    for (let i = 0; i < 4; i++) {
      now += 60_000;
      await h.service.poll();
    }
    expect(h.skipped.has(poison)).toBe(true);
    expect(await h.service.retrySkipped(dealId(1))).toBe(false);
    expect(await h.service.retrySkipped(poison)).toBe(true);
    await h.service.poll(); // fails again: fresh attempts, still recorded
    expect(h.ingested).toHaveLength(6);
    expect(h.skipped.has(poison)).toBe(true);
    readable = true;
    now += BLOCK_TIME_MS;
    await h.service.poll();
    expect(h.ingested).toHaveLength(7);
    expect(h.skipped.has(poison)).toBe(false);
  });
});

describe('DealWatcherService and operator replays', () => {
  it('keeps a replay requested while a poll is reading a window', async () => {
    let answer!: (logs: unknown[]) => void;
    let held = true;
    const h = harness({
      head: 20n,
      getLogs: () => (held ? new Promise((r) => (answer = r)) : Promise.resolve([])),
    });
    await h.service.onApplicationBootstrap();
    const poll = h.service.poll();
    await new Promise((r) => setImmediate(r));
    await h.service.replayFrom(5n);
    held = false;
    answer([]);
    await poll;
    await h.service.poll();
    expect(h.reads).toEqual([10n, 5n]);
  });

  it('keeps a replay requested during a catch-up of many windows', async () => {
    let calls = 0;
    const h: Harness = harness({
      head: 30n,
      maxBlockRange: 5,
      getLogs: async () => {
        // the replay lands while the poll is reading its second window
        if (++calls === 2) await h.service.replayFrom(3n);
        return [];
      },
    });
    await h.service.onApplicationBootstrap();
    await h.service.poll();
    expect(h.reads).toEqual([10n, 15n, 3n, 8n, 13n, 18n, 23n, 28n]);
  });
});

describe('DealWatcherService bounds on operator replays and shutdown', () => {
  it('refuses a replay from above the chain head and keeps the cursor', async () => {
    const h = harness({ head: 20n });
    await h.service.onApplicationBootstrap();
    await expect(h.service.replayFrom(22n)).rejects.toThrow(
      'fromBlock 22 is above the chain head (block 20)',
    );
    expect(h.written).toEqual([]);
    await h.service.replayFrom(21n); // the next block to come is fine
    expect(h.written).toEqual([21n]);
  });

  it('ends a long re-read between windows when the application shuts down', async () => {
    let calls = 0;
    const h: Harness = harness({
      head: 100_000n,
      storedCursor: 100_000n,
      maxBlockRange: 5,
      getLogs: async () => {
        if (++calls === 2) await h.service.beforeApplicationShutdown();
        return [];
      },
    });
    await h.service.onApplicationBootstrap();
    await h.service.replay();
    expect(h.reads).toEqual([10n, 15n]);
  });
});

describe('DealWatcherService start block', () => {
  it('says at boot that the stored cursor wins over a higher IEXEC_START_BLOCK_NUMBER', async () => {
    const h = harness({ head: 20n, storedCursor: 12n, startBlock: 500n });
    await h.service.onApplicationBootstrap();
    const lines = warnings.filter((w) => w.includes('IEXEC_START_BLOCK_NUMBER'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/500.*stored cursor.*12.*wins/);
  });

  it('stays quiet when the start block is not above the stored cursor', async () => {
    const h = harness({ head: 20n, storedCursor: 12n, startBlock: 0n });
    await h.service.onApplicationBootstrap();
    expect(warnings.filter((w) => w.includes('IEXEC_START_BLOCK_NUMBER'))).toHaveLength(0);
  });
});
