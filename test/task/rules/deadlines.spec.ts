import { TaskStatus, TASK_STATUSES } from '../../../src/task/task-status.js';
import {
  computeContributionDeadline,
  computeDealDeadlines,
  computeFinalDeadline,
  DEFAULT_CONTRIBUTION_DEADLINE_RATIO,
  isBeforeDeadline,
  isContributionTimeoutCandidate,
  isFinalDeadlineCandidate,
  isInitializable,
  isPastContributionDeadline,
  isPastFinalDeadline,
  isRevealTimeoutCandidate,
  POCO_CONTRIBUTION_DEADLINE_RATIO,
} from '../../../src/task/rules/deadlines.js';
import { MINUTE, T0 } from '../../support/replicates.js';

const startSeconds = T0 / 1000;
const XS = 300_000; // category XS: workClockTimeRef 300 s

describe('deal deadlines (§5)', () => {
  it('XS category with ratio 7: contribution +35 min, final +50 min', () => {
    expect(computeDealDeadlines(startSeconds, XS, 7)).toEqual({
      contributionDeadline: T0 + 35 * MINUTE,
      finalDeadline: T0 + 50 * MINUTE,
    });
    expect(computeDealDeadlines(BigInt(startSeconds), XS, 7n).contributionDeadline).toBe(
      T0 + 35 * MINUTE,
    );
  });

  it('unknown ratio falls back to 10 (PoCo v5/v6 answers 7)', () => {
    expect(DEFAULT_CONTRIBUTION_DEADLINE_RATIO).toBe(10);
    expect(POCO_CONTRIBUTION_DEADLINE_RATIO).toBe(7);
    expect(computeContributionDeadline(T0, XS, undefined)).toBe(T0 + 50 * MINUTE);
    expect(computeContributionDeadline(T0, XS, null)).toBe(T0 + 50 * MINUTE);
  });

  it('final deadline = start + 10 T whatever the contribution ratio', () => {
    expect(computeFinalDeadline(T0, XS)).toBe(T0 + 50 * MINUTE);
    expect(computeDealDeadlines(startSeconds, XS, 3).finalDeadline).toBe(T0 + 50 * MINUTE);
  });
});

describe('deadline tests', () => {
  const task = {
    currentStatus: TaskStatus.RUNNING,
    contributionDeadline: new Date(T0),
    finalDeadline: new Date(T0 + 10 * MINUTE),
    revealDeadline: new Date(T0 + 5 * MINUTE),
  };

  it('"past" is strict, "before" is strict the other way; missing deadlines never pass', () => {
    expect(isPastContributionDeadline(task, T0)).toBe(false);
    expect(isPastContributionDeadline(task, T0 + 1)).toBe(true);
    expect(isPastFinalDeadline(task, new Date(T0 + 10 * MINUTE))).toBe(false);
    expect(isPastFinalDeadline(task, new Date(T0 + 10 * MINUTE + 1))).toBe(true);
    expect(isBeforeDeadline(T0, T0)).toBe(false);
    expect(isBeforeDeadline(T0 + 1, T0)).toBe(true);
    expect(isBeforeDeadline(undefined, T0)).toBe(false);
    expect(
      isPastContributionDeadline({ contributionDeadline: undefined as unknown as Date }, T0),
    ).toBe(false);
  });

  it('initializable: RECEIVED / INITIALIZING with a contribution deadline in the future', () => {
    for (const status of TASK_STATUSES) {
      const t = { currentStatus: status, contributionDeadline: new Date(T0) };
      const expected = status === TaskStatus.RECEIVED || status === TaskStatus.INITIALIZING;
      expect(isInitializable(t, T0 - 1)).toBe(expected);
      expect(isInitializable(t, T0)).toBe(false);
    }
  });

  it('contribution-timeout detector: only INITIALIZED/RUNNING between the two deadlines (edge 25)', () => {
    for (const status of TASK_STATUSES) {
      const t = { ...task, currentStatus: status };
      const eligible = status === TaskStatus.INITIALIZED || status === TaskStatus.RUNNING;
      expect(isContributionTimeoutCandidate(t, T0 - 1)).toBe(false);
      expect(isContributionTimeoutCandidate(t, T0)).toBe(eligible);
      expect(isContributionTimeoutCandidate(t, T0 + 10 * MINUTE - 1)).toBe(eligible);
      expect(isContributionTimeoutCandidate(t, T0 + 10 * MINUTE)).toBe(false);
    }
  });

  it('final-deadline detector: before/after, never for FAILED, COMPLETED, FINAL_DEADLINE_REACHED', () => {
    const skipped = [TaskStatus.FAILED, TaskStatus.COMPLETED, TaskStatus.FINAL_DEADLINE_REACHED];
    for (const status of TASK_STATUSES) {
      const t = { ...task, currentStatus: status };
      expect(isFinalDeadlineCandidate(t, T0 + 10 * MINUTE - 1)).toBe(false);
      expect(isFinalDeadlineCandidate(t, T0 + 10 * MINUTE)).toBe(!skipped.includes(status));
    }
  });

  it('reveal-timeout detector: waiting-reveal statuses strictly after the reveal deadline', () => {
    const waiting = [
      TaskStatus.CONSENSUS_REACHED,
      TaskStatus.AT_LEAST_ONE_REVEALED,
      TaskStatus.RESULT_UPLOADING,
      TaskStatus.RESULT_UPLOADED,
    ];
    for (const status of TASK_STATUSES) {
      const t = { ...task, currentStatus: status };
      expect(isRevealTimeoutCandidate(t, T0 + 5 * MINUTE)).toBe(false);
      expect(isRevealTimeoutCandidate(t, T0 + 5 * MINUTE + 1)).toBe(waiting.includes(status));
    }
    expect(
      isRevealTimeoutCandidate(
        { ...task, currentStatus: TaskStatus.CONSENSUS_REACHED, revealDeadline: undefined },
        T0 + 99 * MINUTE,
      ),
    ).toBe(false);
  });
});
