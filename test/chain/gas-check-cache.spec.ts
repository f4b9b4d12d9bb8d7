import { jest } from '@jest/globals';
import type { AppConfig } from '../../src/config/app-config.js';
import type { PocoReader } from '../../src/chain/poco-reader.js';
import { GasCheckCache } from '../../src/chain/gas-check-cache.js';

/** A balance read the test settles by hand. */
function pendingRead() {
  let settle!: (ok: boolean) => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<boolean>((res, rej) => ((settle = res), (fail = rej)));
  return { promise, settle, fail };
}

describe('GasCheckCache', () => {
  let now: number;
  let reads: ReturnType<typeof pendingRead>[];
  let cache: GasCheckCache;

  beforeEach(() => {
    now = 1_000_000;
    reads = [];
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const reader = {
      hasEnoughGas: () => {
        const read = pendingRead();
        reads.push(read);
        return read.promise;
      },
    } as unknown as PocoReader;
    cache = new GasCheckCache(reader, { chain: { gasPriceCap: 1n } } as unknown as AppConfig);
  });

  afterEach(() => jest.restoreAllMocks());

  it('waits for the chain on a wallet’s first demand only, sharing one read', async () => {
    const first = cache.hasEnoughGas('0xa');
    const second = cache.hasEnoughGas('0xa');
    expect(reads).toHaveLength(1);
    reads[0].settle(true);
    expect(await Promise.all([first, second])).toEqual([true, true]);
    now += 59_999;
    expect(await cache.hasEnoughGas('0xa')).toBe(true);
    expect(reads).toHaveLength(1);
  });

  it('answers from the expired answer while one background read replaces it', async () => {
    const first = cache.hasEnoughGas('0xa');
    reads[0].settle(true);
    await first;
    now += 60_000;
    expect(await cache.hasEnoughGas('0xa')).toBe(true); // not waiting for reads[1]
    expect(await cache.hasEnoughGas('0xa')).toBe(true);
    expect(reads).toHaveLength(2);
    reads[1].settle(false); // the wallet ran dry meanwhile
    await reads[1].promise;
    expect(await cache.hasEnoughGas('0xa')).toBe(false);
    now += 9_999;
    expect(await cache.hasEnoughGas('0xa')).toBe(false);
    expect(reads).toHaveLength(2); // a refusal is kept 10 s
  });

  it('keeps the previous answer when a background read fails, and tries again', async () => {
    const first = cache.hasEnoughGas('0xa');
    reads[0].settle(true);
    await first;
    now += 60_000;
    expect(await cache.hasEnoughGas('0xa')).toBe(true);
    reads[1].fail(new Error('node down'));
    await reads[1].promise.catch(() => undefined);
    await new Promise((r) => setImmediate(r));
    expect(await cache.hasEnoughGas('0xa')).toBe(true);
    expect(reads).toHaveLength(3);
  });

  it('lets a failed first read fail the demand', async () => {
    const first = cache.hasEnoughGas('0xa');
    reads[0].fail(new Error('node down'));
    await expect(first).rejects.toThrow('node down');
  });
});
