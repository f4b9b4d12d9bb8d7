import {
  ReplicateStatus as S,
  ReplicateStatusModifier,
} from '../../src/replicate/replicate-status.js';
import {
  backfillStatuses,
  containsStatus,
  creationDate,
  currentStatus,
  isCreatedMoreThanPeriodsAgo,
  lastRelevantStatus,
  lastStatuses,
  missingStatuses,
} from '../../src/replicate/replicate-workflow.js';
import { MINUTE, replicate, T0 } from '../support/replicates.js';

describe('missingStatuses (lifecycle §12)', () => {
  it('statuses strictly after `from` up to and including `to`', () => {
    expect(missingStatuses(S.COMPUTING, S.CONTRIBUTED)).toEqual([
      S.COMPUTED,
      S.CONTRIBUTING,
      S.CONTRIBUTED,
    ]);
    expect(missingStatuses(S.CONTRIBUTING, S.CONTRIBUTED)).toEqual([S.CONTRIBUTED]);
    expect(missingStatuses(S.CREATED, S.STARTED)).toEqual([S.STARTING, S.STARTED]);
  });

  it('empty when `from` is not before `to`', () => {
    expect(missingStatuses(S.CONTRIBUTED, S.CONTRIBUTED)).toEqual([]);
    expect(missingStatuses(S.REVEALED, S.CONTRIBUTED)).toEqual([]);
  });

  it('empty when either status is not a success status', () => {
    expect(missingStatuses(S.CONTRIBUTE_FAILED, S.REVEALED)).toEqual([]);
    expect(missingStatuses(S.APP_DOWNLOAD_FAILED, S.CONTRIBUTED)).toEqual([]);
    expect(missingStatuses(S.CONTRIBUTING, S.RESULT_UPLOADED)).toEqual([]);
  });

  it('walks the flat order through the reveal statuses for contribute-and-finalize', () => {
    expect(missingStatuses(S.COMPUTED, S.CONTRIBUTE_AND_FINALIZE_DONE)).toEqual([
      S.CONTRIBUTING,
      S.CONTRIBUTED,
      S.REVEALING,
      S.REVEALED,
      S.CONTRIBUTE_AND_FINALIZE_ONGOING,
      S.CONTRIBUTE_AND_FINALIZE_DONE,
    ]);
  });
});

describe('backfillStatuses (path-aware, quirk fix)', () => {
  it('equals missingStatuses on the plain contribute / reveal path', () => {
    for (const [from, to] of [
      [S.CREATED, S.CONTRIBUTED],
      [S.COMPUTING, S.CONTRIBUTED],
      [S.CONTRIBUTING, S.CONTRIBUTED],
      [S.COMPUTED, S.REVEALED],
      [S.CONTRIBUTED, S.REVEALED],
      [S.REVEALING, S.REVEALED],
      [S.CONTRIBUTE_AND_FINALIZE_ONGOING, S.CONTRIBUTE_AND_FINALIZE_DONE],
    ] as const) {
      expect(backfillStatuses(from, to)).toEqual(missingStatuses(from, to));
    }
  });

  it('takes the contribute-and-finalize branch at COMPUTED', () => {
    expect(backfillStatuses(S.COMPUTED, S.CONTRIBUTE_AND_FINALIZE_DONE)).toEqual([
      S.CONTRIBUTE_AND_FINALIZE_ONGOING,
      S.CONTRIBUTE_AND_FINALIZE_DONE,
    ]);
    expect(backfillStatuses(S.STARTED, S.CONTRIBUTE_AND_FINALIZE_DONE)).toEqual([
      S.APP_DOWNLOADING,
      S.APP_DOWNLOADED,
      S.DATA_DOWNLOADING,
      S.DATA_DOWNLOADED,
      S.COMPUTING,
      S.COMPUTED,
      S.CONTRIBUTE_AND_FINALIZE_ONGOING,
      S.CONTRIBUTE_AND_FINALIZE_DONE,
    ]);
  });

  it('resumes after a download failure that may still contribute', () => {
    expect(backfillStatuses(S.APP_DOWNLOAD_FAILED, S.CONTRIBUTED)).toEqual([
      S.CONTRIBUTING,
      S.CONTRIBUTED,
    ]);
    expect(backfillStatuses(S.DATA_DOWNLOAD_FAILED, S.REVEALED)).toEqual([
      S.CONTRIBUTING,
      S.CONTRIBUTED,
      S.REVEALING,
      S.REVEALED,
    ]);
    expect(backfillStatuses(S.APP_DOWNLOAD_FAILED, S.CONTRIBUTE_AND_FINALIZE_DONE)).toEqual([]);
  });

  it('every produced step is an allowed transition', () => {
    const path = [S.CREATED, ...backfillStatuses(S.CREATED, S.CONTRIBUTE_AND_FINALIZE_DONE)];
    expect(path.at(-1)).toBe(S.CONTRIBUTE_AND_FINALIZE_DONE);
    expect(path).not.toContain(S.REVEALED);
  });

  it('empty for dead ends, already-done or past targets', () => {
    expect(backfillStatuses(S.CONTRIBUTE_FAILED, S.CONTRIBUTED)).toEqual([]);
    expect(backfillStatuses(S.FAILED, S.CONTRIBUTED)).toEqual([]);
    expect(backfillStatuses(S.COMPUTE_FAILED, S.CONTRIBUTED)).toEqual([]);
    expect(backfillStatuses(S.CONTRIBUTED, S.CONTRIBUTED)).toEqual([]);
    expect(backfillStatuses(S.REVEALED, S.CONTRIBUTED)).toEqual([]);
    expect(backfillStatuses(S.RESULT_UPLOADED, S.REVEALED)).toEqual([]);
    expect(backfillStatuses(S.RESULT_UPLOAD_REQUESTED, S.REVEALED)).toEqual([]);
    expect(backfillStatuses(S.CONTRIBUTING, S.RESULT_UPLOADED)).toEqual([]);
  });
});

describe('history helpers (edge 44)', () => {
  it('a new replicate has a single CREATED element by POOL_MANAGER with a date', () => {
    const r = replicate([S.CREATED]);
    r.statusUpdateList[0].modifier = ReplicateStatusModifier.POOL_MANAGER;
    expect(currentStatus(r)).toBe(S.CREATED);
    expect(lastRelevantStatus(r)).toBe(S.CREATED);
    expect(creationDate(r)).toEqual(new Date(T0));
  });

  it('current status is the last element, last relevant skips WORKER_LOST and RECOVERING', () => {
    const r = replicate([S.CREATED, S.STARTING, S.WORKER_LOST, S.RECOVERING]);
    expect(currentStatus(r)).toBe(S.RECOVERING);
    expect(lastRelevantStatus(r)).toBe(S.STARTING);
    expect(lastStatuses(r, 2)).toEqual([S.WORKER_LOST, S.RECOVERING]);
  });

  it('last relevant status is undefined (not an exception) when only lost/recovering remain', () => {
    expect(lastRelevantStatus(replicate([S.WORKER_LOST, S.RECOVERING]))).toBeUndefined();
    expect(lastRelevantStatus(replicate([]))).toBeUndefined();
    expect(currentStatus(replicate([]))).toBeUndefined();
    expect(creationDate(replicate([]))).toBeUndefined();
  });

  it('containsStatus looks at the whole history', () => {
    const r = replicate([S.CREATED, S.STARTING, S.WORKER_LOST, S.STARTED]);
    expect(containsStatus(r, S.WORKER_LOST)).toBe(true);
    expect(containsStatus(r, S.STARTING)).toBe(true);
    expect(containsStatus(r, S.COMPUTED)).toBe(false);
  });

  it('creation date is the CREATED date', () => {
    const r = replicate([S.WORKER_LOST, S.CREATED, S.STARTING], { createdAt: T0 });
    expect(creationDate(r)).toEqual(new Date(T0 + 1000));
  });

  it('"created more than N periods ago" uses the CREATED date (strictly after)', () => {
    const r = replicate([S.CREATED, S.STARTING], { createdAt: T0 });
    const period = 10 * MINUTE;
    expect(isCreatedMoreThanPeriodsAgo(r, 1, period, T0 + period)).toBe(false);
    expect(isCreatedMoreThanPeriodsAgo(r, 1, period, T0 + period + 1)).toBe(true);
    expect(isCreatedMoreThanPeriodsAgo(r, 2, period, new Date(T0 + period + 1))).toBe(false);
    expect(isCreatedMoreThanPeriodsAgo(replicate([]), 1, period, T0 + 10 * period)).toBe(false);
  });
});
