import { LeaseKeeper } from '../../src/leadership/lease-keeper.js';
import { leadershipHealth } from '../../src/leadership/leadership-health.js';
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

  it('a restart with the same identity retakes the lease at once once it has bound its port', async () => {
    const dead = new LeaseKeeper(store, { ...options, holder: 'h:13000:1:aaaa', now: () => now });
    await dead.step();
    const other = new LeaseKeeper(store, {
      ...options,
      holder: 'h:13001:2:bbbb',
      boundIdentity: 'h:13001',
      now: () => now,
    });
    expect(await other.step()).toBe('standby');
    const restarted = new LeaseKeeper(store, {
      ...options,
      holder: 'h:13000:3:cccc',
      boundIdentity: 'h:13000',
      now: () => now,
    });
    expect(await restarted.step()).toBe('leader');
    expect(restarted.leaseVersion).toBe(2);
    expect(await dead.step()).toBe('lost');
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

  it('takes a lease of its own identity early only after bindIdentity (the port bound)', async () => {
    await keeper('h:13000:1:aaaa').step();
    const restarted = keeper('h:13000:2:bbbb');
    expect(await restarted.step()).toBe('standby');
    restarted.bindIdentity('h:13000');
    expect(await restarted.step()).toBe('leader');
  });

  it('a standby that stops waiting claims nothing more', async () => {
    const b = keeper('b');
    b.stopWaiting();
    expect(await b.step()).toBe('released');
    expect(store.docs.size).toBe(0);
  });

  it('shows the role and is ready only while certain (leadership health)', async () => {
    const a = keeper('h:1:2:a');
    expect(leadershipHealth(a).status).toBe('OUT_OF_SERVICE');
    await a.step();
    expect(leadershipHealth(a)).toEqual({
      status: 'UP',
      details: { role: 'leader', holder: 'h:1:2:a', leaseVersion: 1 },
    });
    now = 4000;
    expect(leadershipHealth(a)).toMatchObject({
      status: 'OUT_OF_SERVICE',
      details: { role: 'lost' },
    });
  });

  it('never runs two steps at once', async () => {
    const a = keeper('a');
    const [first, second] = [a.step(), a.step()];
    expect(first).toBe(second);
    await first;
    expect(store.docs.size).toBe(1);
  });
});
