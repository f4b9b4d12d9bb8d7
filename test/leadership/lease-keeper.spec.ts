import { LeaseKeeper } from '../../src/leadership/lease-keeper.js';
import { MemoryLeaseStore } from './memory-lease-store.js';

const options = { durationMs: 5000, marginMs: 1000, renewEveryMs: 1000, pollEveryMs: 100 };

describe('LeaseKeeper', () => {
  let now = 0;
  let store: MemoryLeaseStore;
  const keeper = (holder: string) => new LeaseKeeper(store, { ...options, holder, now: () => now });

  beforeEach(() => {
    now = 0;
    store = new MemoryLeaseStore();
  });

  it('the first contender leads; a second waits as standby while the lease is renewed', async () => {
    const a = keeper('a');
    const b = keeper('b');
    expect(await a.step()).toBe('leader');
    expect(await b.step()).toBe('standby');
    for (let i = 0; i < 10; i++) {
      now += 1000;
      expect(await a.step()).toBe('leader');
      expect(await b.step()).toBe('standby');
    }
    expect(a.leaseVersion).toBe(11);
    expect(b.currentLease?.holder).toBe('a');
  });

  it('a leader that stops renewing loses certainty before the standby may claim', async () => {
    const a = keeper('a');
    const b = keeper('b');
    await a.step();
    await b.step(); // first sees version 1 at 0
    now = 3999;
    expect(a.isCertain()).toBe(true);
    now = 4000;
    expect(a.isCertain()).toBe(false);
    expect(a.role).toBe('lost');
    now = 5999;
    expect(await b.step()).toBe('standby');
    now = 6000;
    expect(await b.step()).toBe('leader');
    expect(b.leaseVersion).toBe(2);
    // The woken leader's renewal finds version 2 taken: lost for good.
    expect(await a.step()).toBe('lost');
    expect(store.docs.get(2)?.holder).toBe('b');
  });

  it('a renewal that finds its next version taken loses the lease at once', async () => {
    const a = keeper('a');
    await a.step();
    await store.insert({ ...store.docs.get(1)!, _id: 2, holder: 'intruder' });
    expect(await a.step()).toBe('lost');
    expect(a.isCertain()).toBe(false);
  });

  it('release hands over without waiting for expiry', async () => {
    const a = keeper('a');
    const b = keeper('b');
    await a.step();
    await b.step();
    await a.release();
    expect(a.role).toBe('released');
    expect(await b.step()).toBe('leader');
    expect(b.leaseVersion).toBe(3);
  });

  it('never runs two steps at once', async () => {
    const a = keeper('a');
    const [first, second] = [a.step(), a.step()];
    expect(first).toBe(second);
    await first;
    expect(store.docs.size).toBe(1);
  });
});
