import { ChainContributionStatus as CS } from '../../../src/chain/chain-status.js';
import { ReplicateStatus as S } from '../../../src/replicate/replicate-status.js';
import { lastRelevantStatus } from '../../../src/replicate/replicate-workflow.js';
import {
  isFullScanRun,
  isUnnotifiedCandidate,
  receiptLogFor,
  UnnotifiedDetector as D,
  unnotifiedStatusesToAppend,
} from '../../../src/task/rules/unnotified-detection.js';
import { TaskStatus } from '../../../src/task/task-status.js';
import { replicate } from '../../support/replicates.js';

const candidate = (
  detector: D,
  scan: 'FREQUENT' | 'FULL',
  last: S | undefined,
  taskStatus = TaskStatus.RUNNING,
  eligible = detector === D.CONTRIBUTE_AND_FINALIZE,
) =>
  isUnnotifiedCandidate({
    detector,
    scan,
    taskStatus,
    taskEligibleToContributeAndFinalize: eligible,
    lastRelevantStatus: last,
  });

describe('unnotified detectors (§13.9–13.11)', () => {
  it('full scan on every 10th run only', () => {
    const runs = Array.from({ length: 30 }, (_, i) => i + 1).filter(isFullScanRun);
    expect(runs).toEqual([10, 20, 30]);
    expect(isFullScanRun(0)).toBe(false);
  });

  it('10 runs ⇒ 11 update attempts when both scans match (edge 25)', () => {
    let attempts = 0;
    for (let run = 1; run <= 10; run++) {
      if (candidate(D.CONTRIBUTION, 'FREQUENT', S.CONTRIBUTING)) attempts++;
      if (isFullScanRun(run) && candidate(D.CONTRIBUTION, 'FULL', S.CONTRIBUTING)) attempts++;
    }
    expect(attempts).toBe(11);
  });

  it('frequent scan: last relevant status = offchainOngoing', () => {
    expect(candidate(D.CONTRIBUTION, 'FREQUENT', S.CONTRIBUTING)).toBe(true);
    expect(candidate(D.CONTRIBUTION, 'FREQUENT', S.COMPUTED)).toBe(false);
    expect(candidate(D.REVEAL, 'FREQUENT', S.REVEALING, TaskStatus.CONSENSUS_REACHED)).toBe(true);
    expect(candidate(D.REVEAL, 'FREQUENT', S.CONTRIBUTED, TaskStatus.CONSENSUS_REACHED)).toBe(
      false,
    );
    expect(
      candidate(D.CONTRIBUTE_AND_FINALIZE, 'FREQUENT', S.CONTRIBUTE_AND_FINALIZE_ONGOING),
    ).toBe(true);
  });

  it('full scan: anything but offchainDone; replicates already done are not touched', () => {
    expect(candidate(D.CONTRIBUTION, 'FULL', S.COMPUTED)).toBe(true);
    expect(candidate(D.CONTRIBUTION, 'FULL', S.CONTRIBUTED)).toBe(false);
    expect(candidate(D.REVEAL, 'FULL', S.REVEALED, TaskStatus.RESULT_UPLOADED)).toBe(false);
    expect(candidate(D.CONTRIBUTE_AND_FINALIZE, 'FULL', S.CONTRIBUTE_AND_FINALIZE_DONE)).toBe(
      false,
    );
    expect(candidate(D.CONTRIBUTION, 'FULL', undefined)).toBe(false);
  });

  it('task statuses scanned by each detector', () => {
    for (const status of [TaskStatus.INITIALIZED, TaskStatus.RUNNING]) {
      expect(candidate(D.CONTRIBUTION, 'FULL', S.COMPUTED, status)).toBe(true);
      expect(candidate(D.REVEAL, 'FULL', S.CONTRIBUTED, status)).toBe(false);
    }
    for (const status of [
      TaskStatus.CONSENSUS_REACHED,
      TaskStatus.AT_LEAST_ONE_REVEALED,
      TaskStatus.RESULT_UPLOADING,
      TaskStatus.RESULT_UPLOADED,
    ]) {
      expect(candidate(D.REVEAL, 'FULL', S.CONTRIBUTED, status)).toBe(true);
      expect(candidate(D.CONTRIBUTION, 'FULL', S.COMPUTED, status)).toBe(false);
    }
    expect(candidate(D.REVEAL, 'FULL', S.CONTRIBUTED, TaskStatus.FINALIZING)).toBe(false);
  });

  it('respects contribute-and-finalize eligibility', () => {
    expect(candidate(D.CONTRIBUTION, 'FREQUENT', S.CONTRIBUTING, TaskStatus.RUNNING, true)).toBe(
      false,
    );
    expect(candidate(D.REVEAL, 'FREQUENT', S.REVEALING, TaskStatus.CONSENSUS_REACHED, true)).toBe(
      false,
    );
    expect(
      candidate(
        D.CONTRIBUTE_AND_FINALIZE,
        'FREQUENT',
        S.CONTRIBUTE_AND_FINALIZE_ONGOING,
        TaskStatus.RUNNING,
        false,
      ),
    ).toBe(false);
  });

  describe('statuses to append', () => {
    const append = (detector: D, last: S, onChainStatus: CS | undefined) =>
      unnotifiedStatusesToAppend({ detector, lastRelevantStatus: last, onChainStatus });

    it('contribution: on chain CONTRIBUTED or REVEALED', () => {
      expect(append(D.CONTRIBUTION, S.CONTRIBUTING, CS.CONTRIBUTED)).toEqual([S.CONTRIBUTED]);
      expect(append(D.CONTRIBUTION, S.CONTRIBUTING, CS.REVEALED)).toEqual([S.CONTRIBUTED]);
      expect(append(D.CONTRIBUTION, S.COMPUTING, CS.CONTRIBUTED)).toEqual([
        S.COMPUTED,
        S.CONTRIBUTING,
        S.CONTRIBUTED,
      ]);
      expect(append(D.CONTRIBUTION, S.CONTRIBUTING, CS.UNSET)).toEqual([]);
      expect(append(D.CONTRIBUTION, S.CONTRIBUTING, CS.REJECTED)).toEqual([]);
      expect(append(D.CONTRIBUTION, S.CONTRIBUTING, undefined)).toEqual([]);
    });

    it('reveal: on chain REVEALED only', () => {
      expect(append(D.REVEAL, S.REVEALING, CS.REVEALED)).toEqual([S.REVEALED]);
      expect(append(D.REVEAL, S.CONTRIBUTED, CS.REVEALED)).toEqual([S.REVEALING, S.REVEALED]);
      expect(append(D.REVEAL, S.REVEALING, CS.CONTRIBUTED)).toEqual([]);
    });

    it('contribute-and-finalize: on chain REVEALED, via the C&F branch (quirk fix)', () => {
      expect(
        append(D.CONTRIBUTE_AND_FINALIZE, S.CONTRIBUTE_AND_FINALIZE_ONGOING, CS.REVEALED),
      ).toEqual([S.CONTRIBUTE_AND_FINALIZE_DONE]);
      expect(append(D.CONTRIBUTE_AND_FINALIZE, S.COMPUTED, CS.REVEALED)).toEqual([
        S.CONTRIBUTE_AND_FINALIZE_ONGOING,
        S.CONTRIBUTE_AND_FINALIZE_DONE,
      ]);
      expect(append(D.CONTRIBUTE_AND_FINALIZE, S.COMPUTED, CS.CONTRIBUTED)).toEqual([]);
    });

    it('nothing from a last relevant status outside the success path', () => {
      const r = replicate([
        S.CREATED,
        S.CONTRIBUTING,
        S.CONTRIBUTE_FAILED,
        S.FAILED,
        S.WORKER_LOST,
      ]);
      expect(append(D.CONTRIBUTION, lastRelevantStatus(r) as S, CS.CONTRIBUTED)).toEqual([]);
    });
  });

  it('receipt block source per back-filled status', () => {
    expect(receiptLogFor(S.CONTRIBUTED)).toBe('TaskContribute');
    expect(receiptLogFor(S.REVEALED)).toBe('TaskReveal');
    expect(receiptLogFor(S.CONTRIBUTE_AND_FINALIZE_DONE)).toBe('TaskFinalize');
    expect(receiptLogFor(S.CONTRIBUTING)).toBeUndefined();
  });
});
