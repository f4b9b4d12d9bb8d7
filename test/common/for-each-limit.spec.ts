import { forEachLimit } from '../../src/common/for-each-limit.js';

describe('forEachLimit', () => {
  const tick = () => new Promise((r) => setTimeout(r, 1));

  it('runs every item, never more than `limit` at once', async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    await forEachLimit([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running++;
      most = Math.max(most, running);
      await tick();
      done.push(n);
      running--;
    });
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(3);
  });

  it('goes on after a failure and rethrows the first one at the end', async () => {
    const done: number[] = [];
    await expect(
      forEachLimit([1, 2, 3, 4], 2, async (n) => {
        await tick();
        if (n === 2) throw new Error('two');
        if (n === 3) throw new Error('three');
        done.push(n);
      }),
    ).rejects.toThrow('two');
    expect(done.sort()).toEqual([1, 4]);
  });

  it('resolves at once with no items, and refuses a limit below 1', async () => {
    await expect(forEachLimit([], 4, async () => undefined)).resolves.toBeUndefined();
    await expect(forEachLimit([1], 0, async () => undefined)).rejects.toThrow(RangeError);
  });
});
