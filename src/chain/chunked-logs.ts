// The one way the scheduler reads eth_getLogs: block ranges cut into chunks of at most
// IEXEC_MAX_LOG_RANGE blocks (RPC providers refuse longer ranges), each chunk retried a few
// times with a short back-off, and a chunk that still fails is a failure of the whole read,
// never "no log" (issue 16 §2: a failed consensus lookup was stored as block 0).
import { setTimeout as sleep } from 'node:timers/promises';
import type { AbiEvent, Address, Log } from 'viem';

export interface BlockWindow {
  from: bigint;
  to: bigint;
}

/** The next window of at most `maxRange` blocks from `from` up to `head` (inclusive), if any. */
export function nextWindow(from: bigint, head: bigint, maxRange: number): BlockWindow | undefined {
  if (from > head) return undefined;
  const last = from + BigInt(maxRange) - 1n;
  return { from, to: last < head ? last : head };
}

export interface RetryPolicy {
  /** Tries of one chunk, the first included. */
  attempts: number;
  /** Pause after the first failure, doubled after each further one. */
  backoffMs: number;
}

/** 4 tries over ~0.7 s: rides out a 429/5xx burst or a dropped socket, fails fast otherwise. */
export const LOG_READ_RETRY: RetryPolicy = { attempts: 4, backoffMs: 100 };

export class LogReadError extends Error {
  constructor(
    readonly from: bigint,
    readonly to: bigint,
    readonly attempts: number,
    override readonly cause: unknown,
  ) {
    super(
      `eth_getLogs [${from}, ${to}] failed ${attempts} times: ${(cause as Error)?.message ?? String(cause)}`,
    );
    this.name = 'LogReadError';
  }
}

export interface ChunkedReadOptions {
  maxRange: number;
  retry?: RetryPolicy;
  /** Stop after the first chunk that has logs (earliest first). */
  firstOnly?: boolean;
  /** For tests: the back-off pause. */
  pause?: (ms: number) => Promise<unknown>;
}

/**
 * A provider's refusal of the range itself (Alchemy, Infura, QuickNode, Ankr, geth-based
 * providers word it differently): the same range will never pass, a smaller one may.
 */
const RANGE_REFUSAL =
  /block range|exceeds limit|is limited to|more than \d+ results|range (is )?too (large|wide|big)|maximum block range|response size|too many blocks/i;

export function isRangeRefusal(error: unknown): boolean {
  const e = error as { message?: string; details?: string; shortMessage?: string } | undefined;
  return RANGE_REFUSAL.test(`${e?.message ?? ''} ${e?.details ?? ''} ${e?.shortMessage ?? ''}`);
}

/**
 * Logs of [from, to] read chunk by chunk with `read`; throws LogReadError on a failed chunk. A
 * range the provider refuses as too long is halved (down to one block) for the rest of this
 * read, without counting as a failed try: IEXEC_MAX_LOG_RANGE above the provider's cap costs a
 * few refused requests per read, not a stalled scheduler.
 */
export async function readChunked<T>(
  read: (window: BlockWindow) => Promise<T[]>,
  from: bigint,
  to: bigint,
  options: ChunkedReadOptions,
): Promise<T[]> {
  const retry = options.retry ?? LOG_READ_RETRY;
  const pause = options.pause ?? sleep;
  const logs: T[] = [];
  let range = options.maxRange;
  for (let window = nextWindow(from, to, range); window;) {
    for (let attempt = 1; ; attempt++) {
      try {
        logs.push(...(await read(window)));
        break;
      } catch (error) {
        const size = Number(window.to - window.from + 1n);
        if (size > 1 && isRangeRefusal(error)) {
          range = Math.max(1, Math.floor(size / 2));
          window = nextWindow(window.from, to, range)!;
          attempt = 0;
          continue;
        }
        if (attempt >= retry.attempts)
          throw new LogReadError(window.from, window.to, attempt, error);
        await pause(retry.backoffMs * 2 ** (attempt - 1));
      }
    }
    if (options.firstOnly && logs.length > 0) break;
    window = nextWindow(window.to + 1n, to, range);
  }
  return logs;
}

/** What the scheduler asks of its viem client for logs (a PublicClient satisfies it). */
export interface LogsClient {
  getLogs(parameters: {
    address: Address;
    event: AbiEvent;
    args?: Record<string, unknown>;
    fromBlock: bigint;
    toBlock: bigint;
  }): Promise<Log[]>;
}

export interface LogFilter {
  address: Address;
  event: AbiEvent;
  args?: Record<string, unknown>;
}

/** Every log of `filter` in [from, to] (explicit block numbers only: `latest` is read first). */
export function getLogsChunked(
  client: LogsClient,
  filter: LogFilter,
  from: bigint,
  to: bigint,
  options: ChunkedReadOptions,
): Promise<Log[]> {
  return readChunked(
    (window) => client.getLogs({ ...filter, fromBlock: window.from, toBlock: window.to }),
    from,
    to,
    options,
  );
}
