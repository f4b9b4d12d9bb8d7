import {
  identityOf,
  instanceIdentity,
  LeaseDocument,
  leaderCertainUntil,
  mayClaim,
  nextVersion,
  observe,
  timingProblem,
} from '../../src/leadership/lease-rules.js';

const timing = { durationMs: 5000, marginMs: 1000 };
const lease = (version: number, extra: Partial<LeaseDocument> = {}): LeaseDocument => ({
  _id: version,
  holder: 'a',
  acquiredAt: new Date(0),
  expiresAt: new Date(5000),
  durationMs: 5000,
  ...extra,
});

describe('lease rules', () => {
  it('a leader is certain until its send time plus the duration less the margin', () => {
    expect(leaderCertainUntil(100, timing)).toBe(4100);
  });

  it('an empty collection or a released lease may be claimed at once', () => {
    expect(mayClaim(undefined, undefined, 0, timing)).toBe(true);
    const released = lease(3, { released: true });
    expect(mayClaim(released, observe(undefined, released, 0), 0, timing)).toBe(true);
    expect(nextVersion(undefined)).toBe(1);
    expect(nextVersion(released)).toBe(4);
  });

  it('a live lease may be claimed only a duration plus the margin after it was first seen', () => {
    const seen = observe(undefined, lease(7), 1000);
    expect(seen).toEqual({ version: 7, firstSeenAt: 1000 });
    expect(mayClaim(lease(7), seen, 6999, timing)).toBe(false);
    expect(mayClaim(lease(7), seen, 7000, timing)).toBe(true);
    // The claim comes 2 × margin after the latest moment the holder was still certain.
    expect(1000 + 5000 + 1000 - leaderCertainUntil(1000, timing)).toBe(2 * timing.marginMs);
  });

  it('a renewal (new version) restarts the wait; the same version keeps its first sighting', () => {
    const first = observe(undefined, lease(7), 1000);
    expect(observe(first, lease(7), 4000)).toBe(first);
    const renewed = observe(first, lease(8), 4000);
    expect(renewed).toEqual({ version: 8, firstSeenAt: 4000 });
    expect(mayClaim(lease(8), renewed, 7000, timing)).toBe(false);
    expect(mayClaim(lease(8), first, 7000, timing)).toBe(false);
  });

  it('the holder’s longer duration wins over the standby’s own', () => {
    const long = lease(2, { durationMs: 20000 });
    const seen = observe(undefined, long, 0);
    expect(mayClaim(long, seen, 7000, timing)).toBe(false);
    expect(mayClaim(long, seen, 21000, timing)).toBe(true);
  });

  it('a process that bound its port may retake at once a lease held by its own identity', () => {
    const mine = lease(9, { holder: 'host-a:13000:4242:1a2b3c4d' });
    const seen = observe(undefined, mine, 0);
    const identity = instanceIdentity('host-a', 13000);
    expect(identityOf(mine.holder)).toBe('host-a:13000');
    expect(mayClaim(mine, seen, 0, timing, identity)).toBe(true);
    // Not before the bind (no identity given), nor for another port or host.
    expect(mayClaim(mine, seen, 0, timing)).toBe(false);
    expect(mayClaim(mine, seen, 0, timing, instanceIdentity('host-a', 13001))).toBe(false);
    expect(mayClaim(mine, seen, 0, timing, instanceIdentity('host-b', 13000))).toBe(false);
    // A holder string without an identity prefix is never taken early.
    expect(mayClaim(lease(9, { holder: 'host-a:13000' }), seen, 0, timing, 'host-a')).toBe(false);
    expect(identityOf('a')).toBe('a');
  });

  it('refuses timings that leave no room to renew', () => {
    expect(timingProblem(timing, 1000)).toBeUndefined();
    expect(timingProblem({ durationMs: 2000, marginMs: 1000 }, 100)).toMatch(/under half/);
    expect(timingProblem(timing, 2500)).toMatch(/two tries/);
  });
});
