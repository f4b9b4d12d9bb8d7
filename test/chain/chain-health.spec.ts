import {
  applyChainCheck,
  ChainHealthState,
  INITIAL_CHAIN_HEALTH,
  isoDuration,
} from '../../src/chain/chain-health.js';

const now = new Date('2026-01-01T00:00:00Z');
const options = { threshold: 4, maxBlockAgeMs: 60_000, now };
const good = {
  ok: true as const,
  blockNumber: 10n,
  blockTimestamp: new Date(now.getTime() - 5000),
};
const bad = { ok: false as const, error: 'ECONNREFUSED' };

function run(state: ChainHealthState, checks: Parameters<typeof applyChainCheck>[1][]) {
  const changes: (string | undefined)[] = [];
  for (const check of checks) {
    const t = applyChainCheck(state, check, options);
    state = t.state;
    changes.push(t.changed);
  }
  return { state, changes };
}

describe('chain health state machine', () => {
  it('starts out of service and connects on the first good check', () => {
    expect(INITIAL_CHAIN_HEALTH.outOfService).toBe(true);
    const { state, changes } = run(INITIAL_CHAIN_HEALTH, [good]);
    expect(state).toMatchObject({ outOfService: false, consecutiveFailures: 0, latestBlock: 10n });
    expect(changes).toEqual(['connected']);
  });

  it('keeps UP for failures 1-3 with the first failure time set, goes out of service at the 4th', () => {
    const up = run(INITIAL_CHAIN_HEALTH, [good]).state;
    const { state, changes } = run(up, [bad, bad, bad]);
    expect(state.outOfService).toBe(false);
    expect(state.consecutiveFailures).toBe(3);
    expect(state.firstFailure).toEqual(now);
    expect(changes).toEqual([undefined, undefined, undefined]);
    const fourth = applyChainCheck(state, bad, options);
    expect(fourth.state.outOfService).toBe(true);
    expect(fourth.changed).toBe('disconnected');
    const fifth = applyChainCheck(fourth.state, bad, options);
    expect(fifth.state.consecutiveFailures).toBe(5);
    expect(fifth.changed).toBeUndefined();
  });

  it('one success resets the counter and the first failure and leaves out of service', () => {
    const down = run(INITIAL_CHAIN_HEALTH, [good, bad, bad, bad, bad]).state;
    const t = applyChainCheck(down, good, options);
    expect(t.state).toMatchObject({ outOfService: false, consecutiveFailures: 0 });
    expect(t.state.firstFailure).toBeUndefined();
    expect(t.changed).toBe('connected');
  });

  it('treats block 0 and a stale latest block as failures', () => {
    const zero = applyChainCheck(INITIAL_CHAIN_HEALTH, { ...good, blockNumber: 0n }, options);
    expect(zero.state.consecutiveFailures).toBe(1);
    const stale = applyChainCheck(
      INITIAL_CHAIN_HEALTH,
      { ...good, blockTimestamp: new Date(now.getTime() - 61_000) },
      options,
    );
    expect(stale.state.lastError).toMatch(/stale/);
    const unchecked = applyChainCheck(
      INITIAL_CHAIN_HEALTH,
      { ...good, blockTimestamp: new Date(0) },
      { ...options, maxBlockAgeMs: 0 },
    );
    expect(unchecked.state.outOfService).toBe(false);
  });

  it('prints durations as Java does', () => {
    expect(isoDuration(15000)).toBe('PT15S');
    expect(isoDuration(500)).toBe('PT0.5S');
    expect(isoDuration(90000)).toBe('PT1M30S');
    expect(isoDuration(0)).toBe('PT0S');
  });
});
