import {
  ReplicateStatus as S,
  ReplicateStatusModifier,
} from '../../src/replicate/replicate-status.js';
import {
  hasEnclaveChallenge,
  isStillOfferable,
  isTagOfferableToWorker,
  isUnstartedHandout,
  supplyPrecheck,
} from '../../src/replicate/replicate-supply-rules.js';
import { TaskStatus } from '../../src/task/task-status.js';
import { contributed, MINUTE, replicate, T0 } from '../support/replicates.js';

const tag = (lastByte: string) => `0x${'0'.repeat(62)}${lastByte}`;
const T = 30 * MINUTE;
const NOW = T0 + MINUTE;

describe('candidate filters (§5.3, §5.4 step 1)', () => {
  const STANDARD = { teeEnabled: false, tdxEnabled: false };
  const SGX = { teeEnabled: true, tdxEnabled: false };
  const TDX = { teeEnabled: false, tdxEnabled: true };
  const BOTH = { teeEnabled: true, tdxEnabled: true };

  it('SGX workers (teeEnabled) get standard, Scone and Gramine tags, not TDX', () => {
    for (const last of ['00', '03', '05', '13'])
      expect(isTagOfferableToWorker(tag(last), SGX)).toBe(true);
    for (const last of ['09', 'f9']) expect(isTagOfferableToWorker(tag(last), SGX)).toBe(false);
  });

  it('TDX workers (tdxEnabled, iexec-core 9.2) get standard and TDX tags, not Scone or Gramine', () => {
    for (const last of ['00', '09', '19', 'f9'])
      expect(isTagOfferableToWorker(tag(last), TDX)).toBe(true);
    for (const last of ['03', '05']) expect(isTagOfferableToWorker(tag(last), TDX)).toBe(false);
  });

  it('a worker with both gets the three frameworks (9.2 excludes nothing then)', () => {
    for (const last of ['00', '03', '05', '09'])
      expect(isTagOfferableToWorker(tag(last), BOTH)).toBe(true);
  });

  it('a Java 8.5 worker (no tdxEnabled field) is never offered a TDX task', () => {
    expect(isTagOfferableToWorker(tag('09'), { teeEnabled: true })).toBe(false);
    expect(isTagOfferableToWorker(tag('09'), { teeEnabled: false, tdxEnabled: null })).toBe(false);
    expect(isTagOfferableToWorker(tag('03'), { teeEnabled: true })).toBe(true);
  });

  it('[quirk fix] non-TEE workers are excluded from every TEE tag (bit 0), not only the exact tags', () => {
    expect(isTagOfferableToWorker(tag('00'), STANDARD)).toBe(true);
    expect(isTagOfferableToWorker(tag('02'), STANDARD)).toBe(true);
    for (const teeTag of ['01', '03', '05', '09', '13', '19']) {
      expect(isTagOfferableToWorker(tag(teeTag), STANDARD)).toBe(false);
    }
  });

  it('a TEE tag of an unknown framework is offered to nobody', () => {
    for (const unserved of ['01', '07', '0b', 'ff']) {
      expect(isTagOfferableToWorker(tag(unserved), BOTH)).toBe(false);
    }
  });

  it('a task without enclave challenge is skipped (edge 14)', () => {
    expect(hasEnclaveChallenge({ enclaveChallenge: '' })).toBe(false);
    expect(hasEnclaveChallenge({ enclaveChallenge: null })).toBe(false);
    expect(hasEnclaveChallenge({})).toBe(false);
    expect(
      hasEnclaveChallenge({ enclaveChallenge: '0x0000000000000000000000000000000000000000' }),
    ).toBe(true);
  });
});

describe('supply precheck (§5.4 steps 3.1–3.3, edge 13)', () => {
  const base = { walletAddress: '0xme', trust: 5, maxExecutionTimeMs: T, now: NOW };

  it('no replicates document → skipped before any consensus check', () => {
    expect(supplyPrecheck({ ...base, replicates: undefined })).toBe('NO_REPLICATES_LIST');
    expect(supplyPrecheck({ ...base, replicates: null })).toBe('NO_REPLICATES_LIST');
  });

  it('the worker already has a replicate (any status, even FAILED) → skipped', () => {
    const mine = replicate([S.CREATED, S.FAILED], { wallet: '0xme' });
    expect(supplyPrecheck({ ...base, replicates: [mine] })).toBe('ALREADY_PARTICIPATING');
    const other = replicate([S.CREATED], { wallet: '0xME' });
    expect(supplyPrecheck({ ...base, replicates: [other] })).toBe('OK'); // exact wallet strings
  });

  it('enough contributions (trust 5, one contribution of weight 5) → skipped', () => {
    const rs = [contributed({ wallet: '0xother', hash: '0xaa', weight: 5 })];
    expect(supplyPrecheck({ ...base, replicates: rs })).toBe('ENOUGH_CONTRIBUTIONS');
  });

  it('otherwise the on-chain consensus check comes next', () => {
    const rs = [contributed({ wallet: '0xother', hash: '0xaa', weight: 4 })];
    expect(supplyPrecheck({ ...base, replicates: rs })).toBe('OK');
    expect(supplyPrecheck({ ...base, replicates: [] })).toBe('OK');
  });
});

describe('recheck under the supply lock (cached candidates may be stale)', () => {
  const deadline = new Date(NOW + MINUTE);

  it('an INITIALIZED or RUNNING task before its contribution deadline is still offered', () => {
    for (const currentStatus of [TaskStatus.INITIALIZED, TaskStatus.RUNNING])
      expect(isStillOfferable({ currentStatus, contributionDeadline: deadline }, NOW)).toBe(true);
  });

  it('a task that moved on, timed out, or is gone is not', () => {
    for (const currentStatus of [
      TaskStatus.CONSENSUS_REACHED,
      TaskStatus.CONTRIBUTION_TIMEOUT,
      TaskStatus.FAILED,
      TaskStatus.COMPLETED,
    ])
      expect(isStillOfferable({ currentStatus, contributionDeadline: deadline }, NOW)).toBe(false);
    expect(
      isStillOfferable(
        { currentStatus: TaskStatus.RUNNING, contributionDeadline: deadline },
        deadline,
      ),
    ).toBe(false);
    expect(isStillOfferable(null, NOW)).toBe(false);
  });
});

describe('isUnstartedHandout (an R1 answer the worker never got)', () => {
  const at = (status: S, ms: number) => ({
    status,
    modifier: ReplicateStatusModifier.WORKER,
    date: new Date(ms),
  });
  const BOOT = 1000; // this process answers since then
  it('holds for a lone CREATED of an earlier process older than the grace period', () => {
    expect(isUnstartedHandout({ statusUpdateList: [at(S.CREATED, 0)] }, 2001, 2000, BOOT)).toBe(
      true,
    );
  });
  it('waits for the grace period (the worker may be about to report STARTING)', () => {
    expect(isUnstartedHandout({ statusUpdateList: [at(S.CREATED, 0)] }, 2000, 2000, BOOT)).toBe(
      false,
    );
  });
  it('never for a replicate this process answered (the worker got it)', () => {
    expect(
      isUnstartedHandout({ statusUpdateList: [at(S.CREATED, BOOT)] }, 60_000, 2000, BOOT),
    ).toBe(false);
  });
  it('never holds once the worker reported anything', () => {
    const list = [at(S.CREATED, 0), at(S.STARTING, 10)];
    expect(isUnstartedHandout({ statusUpdateList: list }, 60_000, 2000, BOOT)).toBe(false);
  });
});
