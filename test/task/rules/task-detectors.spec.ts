import { ChainTaskStatus } from '../../../src/chain/chain-status.js';
import { ReplicateStatus as S } from '../../../src/replicate/replicate-status.js';
import {
  consensusReachedDetectorMatches,
  finalizedDetectorMatches,
  initializedDetectorMatches,
  RESULT_UPLOAD_TIMEOUT_MS,
  resultUploadTimeoutDecision,
  revealTimeoutTargets,
  shouldMarkWorkerLost,
} from '../../../src/task/rules/task-detectors.js';
import { TASK_STATUSES, TaskStatus } from '../../../src/task/task-status.js';
import { MINUTE, replicate, T0 } from '../../support/replicates.js';

describe('worker-lost detector (§13.1, worker-api edge 10)', () => {
  const task = { finalDeadline: new Date(T0 + 10 * MINUTE) };

  it('marks an active replicate of a task still before its final deadline', () => {
    expect(shouldMarkWorkerLost(task, replicate([S.CREATED, S.COMPUTING]), T0)).toBe(true);
    expect(shouldMarkWorkerLost(task, replicate([S.CREATED, S.RECOVERING]), T0)).toBe(true);
  });

  it('skips replicates already WORKER_LOST, COMPLETED or FAILED', () => {
    for (const last of [S.WORKER_LOST, S.COMPLETED, S.FAILED]) {
      expect(shouldMarkWorkerLost(task, replicate([S.CREATED, last]), T0)).toBe(false);
    }
    expect(shouldMarkWorkerLost(task, replicate([]), T0)).toBe(false);
  });

  it('skips tasks past their final deadline', () => {
    expect(shouldMarkWorkerLost(task, replicate([S.CREATED]), T0 + 10 * MINUTE + 1)).toBe(false);
  });
});

describe('chain-driven detectors', () => {
  it('initialized detector: chain task exists and is not UNSET', () => {
    expect(initializedDetectorMatches({ status: ChainTaskStatus.ACTIVE })).toBe(true);
    expect(initializedDetectorMatches({ status: ChainTaskStatus.UNSET })).toBe(false);
    expect(initializedDetectorMatches(undefined)).toBe(false);
  });

  it('consensus-reached detector: RUNNING with chain REVEALING; [quirk fix] not when unreadable', () => {
    const revealing = { status: ChainTaskStatus.REVEALING };
    for (const status of TASK_STATUSES) {
      expect(consensusReachedDetectorMatches({ currentStatus: status }, revealing)).toBe(
        status === TaskStatus.RUNNING,
      );
    }
    const running = { currentStatus: TaskStatus.RUNNING };
    expect(consensusReachedDetectorMatches(running, { status: ChainTaskStatus.ACTIVE })).toBe(
      false,
    );
    expect(consensusReachedDetectorMatches(running, undefined)).toBe(false);
  });

  describe('finalized detector (§13.8, edge 25)', () => {
    const completed = { status: ChainTaskStatus.COMPLETED };
    const done = replicate([
      S.CREATED,
      S.CONTRIBUTE_AND_FINALIZE_ONGOING,
      S.CONTRIBUTE_AND_FINALIZE_DONE,
    ]);
    const base = {
      taskStatus: TaskStatus.RUNNING,
      eligibleToContributeAndFinalize: true,
      replicates: [done],
      chainTask: completed,
    };

    it('(a) FINALIZING with the chain task COMPLETED', () => {
      expect(
        finalizedDetectorMatches({ ...base, taskStatus: TaskStatus.FINALIZING, replicates: [] }),
      ).toBe(true);
      expect(
        finalizedDetectorMatches({
          ...base,
          taskStatus: TaskStatus.FINALIZING,
          chainTask: { status: ChainTaskStatus.REVEALING },
        }),
      ).toBe(false);
    });

    it('(b) RUNNING contribute-and-finalize with exactly one DONE replicate and the chain COMPLETED', () => {
      expect(finalizedDetectorMatches(base)).toBe(true);
      const lostAfterDone = replicate([S.CREATED, S.CONTRIBUTE_AND_FINALIZE_DONE, S.WORKER_LOST]);
      expect(finalizedDetectorMatches({ ...base, replicates: [lostAfterDone] })).toBe(true);
    });

    it('(b) not when ineligible, two replicates, no DONE, chain not COMPLETED or unreadable', () => {
      expect(finalizedDetectorMatches({ ...base, eligibleToContributeAndFinalize: false })).toBe(
        false,
      );
      expect(
        finalizedDetectorMatches({ ...base, replicates: [done, replicate([S.CREATED])] }),
      ).toBe(false);
      expect(
        finalizedDetectorMatches({ ...base, replicates: [replicate([S.CREATED, S.COMPUTED])] }),
      ).toBe(false);
      expect(
        finalizedDetectorMatches({ ...base, chainTask: { status: ChainTaskStatus.ACTIVE } }),
      ).toBe(false);
      expect(finalizedDetectorMatches({ ...base, chainTask: undefined })).toBe(false);
      expect(finalizedDetectorMatches({ ...base, taskStatus: TaskStatus.INITIALIZED })).toBe(false);
    });
  });
});

describe('reveal timeout targets (§13.12, edges 25 and 39)', () => {
  it('only replicates whose last relevant status is REVEALING or CONTRIBUTED', () => {
    const contributedR = replicate([S.CREATED, S.CONTRIBUTED], { wallet: '0x1' });
    const revealingLost = replicate([S.CREATED, S.CONTRIBUTED, S.REVEALING, S.WORKER_LOST], {
      wallet: '0x2',
    });
    const revealedR = replicate([S.CREATED, S.CONTRIBUTED, S.REVEALING, S.REVEALED], {
      wallet: '0x3',
    });
    const computing = replicate([S.CREATED, S.COMPUTING], { wallet: '0x4' });
    expect(revealTimeoutTargets([contributedR, revealingLost, revealedR, computing])).toEqual([
      contributedR,
      revealingLost,
    ]);
  });
});

describe('replicate result-upload timeout (§13.13, edge 25)', () => {
  const entered = T0;
  const task = (wallet?: string) => ({
    uploadingWorkerWalletAddress: wallet,
    dateStatusList: [
      { date: new Date(T0 - MINUTE), status: TaskStatus.AT_LEAST_ONE_REVEALED },
      { date: new Date(entered), status: TaskStatus.RESULT_UPLOADING },
    ],
  });
  const uploading = replicate(
    [S.CREATED, S.REVEALED, S.RESULT_UPLOAD_REQUESTED, S.RESULT_UPLOADING],
    {
      wallet: '0xup',
    },
  );
  const late = entered + RESULT_UPLOAD_TIMEOUT_MS + 1;

  it('only after 2 minutes since the latest task status change', () => {
    expect(RESULT_UPLOAD_TIMEOUT_MS).toBe(120_000);
    expect(
      resultUploadTimeoutDecision(task('0xup'), [uploading], entered + RESULT_UPLOAD_TIMEOUT_MS),
    ).toEqual({
      kind: 'SKIP',
      reason: 'TOO_EARLY',
    });
    expect(resultUploadTimeoutDecision(task('0xup'), [uploading], late)).toEqual({
      kind: 'MARK_UPLOAD_FAILED',
      walletAddress: '0xup',
    });
  });

  it('not twice: an uploader already RESULT_UPLOAD_FAILED only triggers a task update', () => {
    const failed = replicate(
      [S.CREATED, S.REVEALED, S.RESULT_UPLOAD_REQUESTED, S.RESULT_UPLOAD_FAILED, S.WORKER_LOST],
      {
        wallet: '0xup',
      },
    );
    expect(resultUploadTimeoutDecision(task('0xup'), [failed], late)).toEqual({
      kind: 'REQUEST_TASK_UPDATE',
    });
  });

  it('[quirk fix] no or unknown uploader skips this task only', () => {
    expect(resultUploadTimeoutDecision(task(undefined), [uploading], late)).toEqual({
      kind: 'SKIP',
      reason: 'NO_UPLOADER',
    });
    expect(resultUploadTimeoutDecision(task('0xother'), [uploading], late)).toEqual({
      kind: 'SKIP',
      reason: 'NO_UPLOADER',
    });
  });

  it('[quirk fix] a run over several tasks goes past skipped ones', () => {
    const tasks = [task(undefined), task('0xup')];
    const decisions = tasks.map((t) => resultUploadTimeoutDecision(t, [uploading], late));
    expect(decisions.map((d) => d.kind)).toEqual(['SKIP', 'MARK_UPLOAD_FAILED']);
  });
});
