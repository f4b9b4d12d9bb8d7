import { LeaseKeeper } from '../../src/leadership/lease-keeper.js';
import {
  assertLeading,
  installFence,
  isWriteCommand,
  uninstallFence,
} from '../../src/leadership/write-fence.js';
import { MemoryLeaseStore } from './memory-lease-store.js';

describe('write fence', () => {
  afterEach(() => uninstallFence());

  it('lets a certain leader write and stops one past its lease before the write', async () => {
    let now = 0;
    const keeper = new LeaseKeeper(new MemoryLeaseStore(), {
      durationMs: 5000,
      marginMs: 1000,
      renewEveryMs: 1000,
      pollEveryMs: 100,
      holder: 'a',
      now: () => now,
    });
    await keeper.step();
    const stops: string[] = [];
    installFence(keeper, (reason) => {
      stops.push(reason);
      throw new Error('stopped');
    });
    assertLeading('MongoDB update');
    expect(stops).toEqual([]);
    now = 4000; // frozen past its certainty, just woke up
    expect(() => assertLeading('MongoDB update')).toThrow('stopped');
    expect(stops[0]).toMatch(/lease lost \(version 1\) before MongoDB update/);
  });

  it('is a no-op when no fence is installed (in-process tests)', () => {
    expect(() => assertLeading('MongoDB insert')).not.toThrow();
  });

  it('treats writes, not reads, as fenced commands', () => {
    expect(isWriteCommand('update')).toBe(true);
    expect(isWriteCommand('findAndModify')).toBe(true);
    expect(isWriteCommand('find')).toBe(false);
    expect(isWriteCommand('hello')).toBe(false);
  });
});
