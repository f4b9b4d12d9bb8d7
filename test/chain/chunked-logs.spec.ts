import { logRangeError } from '../../devstack/chain/rpc-lag-view.js';
import {
  isRangeRefusal,
  LogReadError,
  nextWindow,
  readChunked,
  type BlockWindow,
} from '../../src/chain/chunked-logs.js';

const noPause = () => Promise.resolve();

describe('nextWindow', () => {
  it('cuts a range into windows of at most maxRange blocks', () => {
    expect(nextWindow(10n, 2000n, 1000)).toEqual({ from: 10n, to: 1009n });
    expect(nextWindow(1010n, 2000n, 1000)).toEqual({ from: 1010n, to: 2000n });
    expect(nextWindow(5n, 5n, 1000)).toEqual({ from: 5n, to: 5n });
    expect(nextWindow(6n, 5n, 1000)).toBeUndefined();
  });
});

describe('readChunked', () => {
  it('reads every chunk of at most maxRange blocks, in order, and joins the logs', async () => {
    const asked: BlockWindow[] = [];
    const logs = await readChunked(
      async (window) => (asked.push(window), [Number(window.from)]),
      0n,
      250n,
      { maxRange: 100, pause: noPause },
    );
    expect(asked).toEqual([
      { from: 0n, to: 99n },
      { from: 100n, to: 199n },
      { from: 200n, to: 250n },
    ]);
    expect(logs).toEqual([0, 100, 200]);
  });

  it('stops at the first chunk with logs when asked for the first one', async () => {
    const asked: bigint[] = [];
    const logs = await readChunked(
      async (window) => (asked.push(window.from), window.from >= 200n ? ['consensus'] : []),
      0n,
      1000n,
      { maxRange: 100, firstOnly: true, pause: noPause },
    );
    expect(logs).toEqual(['consensus']);
    expect(asked).toEqual([0n, 100n, 200n]);
  });

  it('retries a failed chunk with a doubling back-off, then goes on', async () => {
    const pauses: number[] = [];
    let failures = 2;
    const logs = await readChunked(
      async (window) => {
        if (window.from === 100n && failures-- > 0) throw new Error('429 Too Many Requests');
        return [window.from];
      },
      0n,
      150n,
      {
        maxRange: 100,
        retry: { attempts: 4, backoffMs: 100 },
        pause: async (ms) => pauses.push(ms),
      },
    );
    expect(logs).toEqual([0n, 100n]);
    expect(pauses).toEqual([100, 200]);
  });

  it('reports a chunk that keeps failing as a failure naming it, never as no log', async () => {
    let reads = 0;
    const read = readChunked(
      async (window) => {
        reads++;
        if (window.from >= 100n) throw new Error('You can make eth_getLogs requests with up to…');
        return [];
      },
      0n,
      300n,
      { maxRange: 100, retry: { attempts: 3, backoffMs: 1 }, pause: noPause },
    );
    await expect(read).rejects.toBeInstanceOf(LogReadError);
    await expect(read).rejects.toMatchObject({ from: 100n, to: 199n, attempts: 3 });
    await expect(read).rejects.toThrow(/eth_getLogs \[100, 199\] failed 3 times/);
    expect(reads).toBe(1 + 3); // the first chunk, then three tries of the second; none after
  });

  it('halves a range the provider refuses as too long, for the rest of the read, without a pause', async () => {
    const asked: BlockWindow[] = [];
    const pauses: number[] = [];
    const capped = async (window: BlockWindow) => {
      asked.push(window);
      if (window.to - window.from + 1n > 100n) {
        const refusal = logRangeError('alchemy', 100, window.from, window.to);
        throw Object.assign(new Error(refusal.message), { code: refusal.code });
      }
      return [Number(window.from)];
    };
    const logs = await readChunked(capped, 0n, 999n, {
      maxRange: 1000,
      pause: async (ms) => void pauses.push(ms),
    });
    // 1000 → 500 → 250 → 125 → 62 blocks, then every chunk of 62 passes.
    expect(asked.slice(0, 5).map((w) => Number(w.to - w.from + 1n))).toEqual([
      1000, 500, 250, 125, 62,
    ]);
    expect(asked.slice(4).every((w) => w.to - w.from + 1n <= 62n)).toBe(true);
    expect(logs[0]).toBe(0);
    expect(logs).toHaveLength(Math.ceil(1000 / 62));
    expect(pauses).toEqual([]);
  });

  it('knows the range refusals of real providers, and nothing else', () => {
    const infura = logRangeError('infura', 10_000, 0n, 20_000n);
    expect(isRangeRefusal(new Error(infura.message))).toBe(true);
    expect(isRangeRefusal(new Error(logRangeError('alchemy', 2000, 0n, 5000n).message))).toBe(true);
    expect(isRangeRefusal(new Error('query returned more than 10000 results'))).toBe(true);
    expect(isRangeRefusal(new Error('eth_getLogs is limited to a 10,000 range'))).toBe(true);
    expect(isRangeRefusal(new Error('HTTP request failed. Status: 429'))).toBe(false);
    expect(isRangeRefusal(new Error('fetch failed'))).toBe(false);
  });
});
