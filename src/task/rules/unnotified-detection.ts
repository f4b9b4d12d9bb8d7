import { ChainContributionStatus } from '../../chain/chain-status.js';
import { ReplicateStatus as R } from '../../replicate/replicate-status.js';
import { backfillStatuses } from '../../replicate/replicate-workflow.js';
import { TaskStatus } from '../task-status.js';

// Per-replicate decision of the three "unnotified" detectors (task-lifecycle.md §13.9–§13.11).

export enum UnnotifiedDetector {
  CONTRIBUTION = 'CONTRIBUTION',
  REVEAL = 'REVEAL',
  CONTRIBUTE_AND_FINALIZE = 'CONTRIBUTE_AND_FINALIZE',
}

export interface UnnotifiedDetectorParams {
  readonly taskStatuses: readonly TaskStatus[];
  readonly offchainOngoing: R;
  readonly offchainDone: R;
  /** On-chain contribution statuses (of this worker) proving the work was done. */
  readonly onChainStatuses: readonly ChainContributionStatus[];
  /** The task's contribute-and-finalize eligibility this detector requires. */
  readonly requiresContributeAndFinalize: boolean;
}

export const UNNOTIFIED_DETECTORS: Readonly<Record<UnnotifiedDetector, UnnotifiedDetectorParams>> =
  {
    [UnnotifiedDetector.CONTRIBUTION]: {
      taskStatuses: [TaskStatus.INITIALIZED, TaskStatus.RUNNING],
      offchainOngoing: R.CONTRIBUTING,
      offchainDone: R.CONTRIBUTED,
      onChainStatuses: [ChainContributionStatus.CONTRIBUTED, ChainContributionStatus.REVEALED],
      requiresContributeAndFinalize: false,
    },
    [UnnotifiedDetector.REVEAL]: {
      taskStatuses: [
        TaskStatus.CONSENSUS_REACHED,
        TaskStatus.AT_LEAST_ONE_REVEALED,
        TaskStatus.RESULT_UPLOADING,
        TaskStatus.RESULT_UPLOADED,
      ],
      offchainOngoing: R.REVEALING,
      offchainDone: R.REVEALED,
      onChainStatuses: [ChainContributionStatus.REVEALED],
      requiresContributeAndFinalize: false,
    },
    [UnnotifiedDetector.CONTRIBUTE_AND_FINALIZE]: {
      taskStatuses: [TaskStatus.INITIALIZED, TaskStatus.RUNNING],
      offchainOngoing: R.CONTRIBUTE_AND_FINALIZE_ONGOING,
      offchainDone: R.CONTRIBUTE_AND_FINALIZE_DONE,
      onChainStatuses: [ChainContributionStatus.REVEALED],
      requiresContributeAndFinalize: true,
    },
  };

/** Every 10th run (10th, 20th, …, counting from 1) also performs the full scan. */
export const FULL_SCAN_EVERY_N_RUNS = 10;

export function isFullScanRun(runNumber: number): boolean {
  return runNumber > 0 && runNumber % FULL_SCAN_EVERY_N_RUNS === 0;
}

export type UnnotifiedScan = 'FREQUENT' | 'FULL';

/**
 * Chain-free pre-filter (so the detector only reads contributions it may use): the task status
 * is scanned by this detector, its contribute-and-finalize eligibility matches, and the last
 * relevant status is `offchainOngoing` (frequent scan) or anything but `offchainDone` (full scan).
 */
export function isUnnotifiedCandidate(input: {
  readonly detector: UnnotifiedDetector;
  readonly scan: UnnotifiedScan;
  readonly taskStatus: TaskStatus;
  readonly taskEligibleToContributeAndFinalize: boolean;
  readonly lastRelevantStatus: R | undefined;
}): boolean {
  const p = UNNOTIFIED_DETECTORS[input.detector];
  if (!p.taskStatuses.includes(input.taskStatus)) return false;
  if (input.taskEligibleToContributeAndFinalize !== p.requiresContributeAndFinalize) return false;
  if (input.lastRelevantStatus === undefined) return false;
  return input.scan === 'FREQUENT'
    ? input.lastRelevantStatus === p.offchainOngoing
    : input.lastRelevantStatus !== p.offchainDone;
}

/**
 * Statuses to append (in order, each as a pool-manager update through normal validation) for a
 * candidate, given this worker's on-chain contribution status (`undefined` if unreadable).
 * Uses the path-aware `backfillStatuses` (see its [quirk fixed] note).
 */
export function unnotifiedStatusesToAppend(input: {
  readonly detector: UnnotifiedDetector;
  readonly lastRelevantStatus: R;
  readonly onChainStatus: ChainContributionStatus | null | undefined;
}): R[] {
  const p = UNNOTIFIED_DETECTORS[input.detector];
  if (input.onChainStatus == null || !p.onChainStatuses.includes(input.onChainStatus)) return [];
  return backfillStatuses(input.lastRelevantStatus, p.offchainDone);
}

/** Which event log gives the receipt block of a back-filled status (searched from initializationBlockNumber). */
export type ReceiptLog = 'TaskContribute' | 'TaskReveal' | 'TaskFinalize';

export function receiptLogFor(status: R): ReceiptLog | undefined {
  switch (status) {
    case R.CONTRIBUTED:
      return 'TaskContribute'; // this worker's log
    case R.REVEALED:
      return 'TaskReveal'; // this worker's log
    case R.CONTRIBUTE_AND_FINALIZE_DONE:
      return 'TaskFinalize'; // the task's log
    default:
      return undefined; // written without details
  }
}
