import { Instant, toMillis } from '../../common/instant.js';
import type { Task } from '../task.schema.js';
import {
  FINAL_DEADLINE_IRRELEVANT_STATUSES,
  TaskStatus,
  WAITING_CONTRIBUTION_STATUSES,
  WAITING_REVEAL_STATUSES,
} from '../task-status.js';

// Deadlines (task-lifecycle.md §5) and the deadline tests of the handlers and detectors.

/**
 * Ratio used when the hub's `contribution_deadline_ratio()` could not be read (reference
 * fallback). PoCo v5/v6 deployments actually return 7 (`POCO_CONTRIBUTION_DEADLINE_RATIO`), so
 * with the fallback a deal looks acceptable for 3 × T longer than the chain accepts
 * contributions; the chain value must be preferred whenever it is known.
 */
export const DEFAULT_CONTRIBUTION_DEADLINE_RATIO = 10;
/** `CONTRIBUTION_DEADLINE_RATIO` of PoCo v5/v6 (FacetBase.sol). */
export const POCO_CONTRIBUTION_DEADLINE_RATIO = 7;
/** PoCo `REVEAL_DEADLINE_RATIO`: the chain sets revealDeadline = consensus time + 2 × timeref. */
export const POCO_REVEAL_DEADLINE_RATIO = 2;
/** Hard-coded final deadline factor (= PoCo `FINAL_DEADLINE_RATIO`). */
export const FINAL_DEADLINE_RATIO = 10;

/** start (deal `startTime` in seconds) × 1000. */
export function dealStartMillis(startTimeSeconds: number | bigint): number {
  return Number(startTimeSeconds) * 1000;
}

/** start + T × ratio, with the default ratio (10) when the chain ratio is unknown. */
export function computeContributionDeadline(
  startMs: number,
  maxExecutionTimeMs: number,
  ratio: number | bigint | null | undefined,
): number {
  const r = ratio == null ? DEFAULT_CONTRIBUTION_DEADLINE_RATIO : Number(ratio);
  return startMs + maxExecutionTimeMs * r;
}

/** start + T × 10. */
export function computeFinalDeadline(startMs: number, maxExecutionTimeMs: number): number {
  return startMs + maxExecutionTimeMs * FINAL_DEADLINE_RATIO;
}

export interface DealDeadlines {
  readonly contributionDeadline: number;
  readonly finalDeadline: number;
}

export function computeDealDeadlines(
  startTimeSeconds: number | bigint,
  maxExecutionTimeMs: number,
  contributionDeadlineRatio: number | bigint | null | undefined,
): DealDeadlines {
  const start = dealStartMillis(startTimeSeconds);
  return {
    contributionDeadline: computeContributionDeadline(
      start,
      maxExecutionTimeMs,
      contributionDeadlineRatio,
    ),
    finalDeadline: computeFinalDeadline(start, maxExecutionTimeMs),
  };
}

/** A deal (or task) is acceptable / initializable / offerable only while this holds. */
export function isBeforeDeadline(deadline: Instant | null | undefined, now: Instant): boolean {
  return deadline != null && toMillis(deadline) > toMillis(now);
}

/** now > deadline (strict). A missing deadline is never passed. */
export function isPastDeadline(deadline: Instant | null | undefined, now: Instant): boolean {
  return deadline != null && toMillis(now) > toMillis(deadline);
}

/** §7.3/§7.4: now > contributionDeadline. */
export function isPastContributionDeadline(
  task: Pick<Task, 'contributionDeadline'>,
  now: Instant,
): boolean {
  return isPastDeadline(task.contributionDeadline, now);
}

/** §7.1 step 3 / §7.7 step 1: now > finalDeadline. */
export function isPastFinalDeadline(task: Pick<Task, 'finalDeadline'>, now: Instant): boolean {
  return isPastDeadline(task.finalDeadline, now);
}

/** §13.12: now > revealDeadline. */
export function isPastRevealDeadline(task: Pick<Task, 'revealDeadline'>, now: Instant): boolean {
  return isPastDeadline(task.revealDeadline, now);
}

/** RECEIVED or INITIALIZING with a contribution deadline in the future (§13.2, §13.3). */
export function isInitializable(
  task: Pick<Task, 'currentStatus' | 'contributionDeadline'>,
  now: Instant,
): boolean {
  return (
    (task.currentStatus === TaskStatus.RECEIVED ||
      task.currentStatus === TaskStatus.INITIALIZING) &&
    isBeforeDeadline(task.contributionDeadline, now)
  );
}

/** ContributionTimeoutTaskDetector (§13.5): INITIALIZED/RUNNING, cd ≤ now < fd. */
export function isContributionTimeoutCandidate(
  task: Pick<Task, 'currentStatus' | 'contributionDeadline' | 'finalDeadline'>,
  now: Instant,
): boolean {
  return (
    WAITING_CONTRIBUTION_STATUSES.includes(task.currentStatus) &&
    !isBeforeDeadline(task.contributionDeadline, now) &&
    isBeforeDeadline(task.finalDeadline, now)
  );
}

/** FinalDeadlineTaskDetector (§13.7): status still relevant and fd ≤ now. */
export function isFinalDeadlineCandidate(
  task: Pick<Task, 'currentStatus' | 'finalDeadline'>,
  now: Instant,
): boolean {
  return (
    !FINAL_DEADLINE_IRRELEVANT_STATUSES.includes(task.currentStatus) &&
    task.finalDeadline != null &&
    !isBeforeDeadline(task.finalDeadline, now)
  );
}

/** RevealTimeoutDetector (§13.12): a waiting-reveal status and now > revealDeadline. */
export function isRevealTimeoutCandidate(
  task: Pick<Task, 'currentStatus' | 'revealDeadline'>,
  now: Instant,
): boolean {
  return WAITING_REVEAL_STATUSES.includes(task.currentStatus) && isPastRevealDeadline(task, now);
}
