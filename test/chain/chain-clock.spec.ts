import { ChainClock } from '../../src/chain/chain-clock.js';

describe('ChainClock', () => {
  it('is the wall clock while blocks trail it', () => {
    const clock = new ChainClock();
    clock.observeBlock(Date.now() - 12_000);
    expect(Math.abs(clock.now() - Date.now())).toBeLessThan(50);
  });

  it('follows the chain when its latest block is ahead (skew, time travel)', () => {
    const clock = new ChainClock();
    clock.observeBlock(Date.now() + 3_600_000);
    expect(clock.now() - Date.now()).toBeGreaterThan(3_599_000);
    expect(clock.date().getTime()).toBeGreaterThan(Date.now() + 3_599_000);
    clock.observeBlock(Date.now());
    expect(Math.abs(clock.now() - Date.now())).toBeLessThan(50);
  });
});
