import {
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
});
