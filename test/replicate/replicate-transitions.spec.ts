import { REPLICATE_STATUSES, ReplicateStatus as S } from '../../src/replicate/replicate-status.js';
import {
  ABORTABLE_STATUSES,
  canTransition,
  FAILABLE_STATUSES,
  NON_FINAL_WORKFLOW_STATUSES,
  RECOVERABLE_STATUSES,
  TRANSITIONS,
} from '../../src/replicate/replicate-workflow.js';

// worker-api.md §4.7, transcribed row by row (independently of the implementation's shortcuts).
const W = 'WORKER_LOST';
const RC = 'RECOVERING';
const AB = 'ABORTED';
const F = 'FAILED';
const SPEC_TABLE: Record<string, string[] | 'ALL_BUT_CREATED_STARTING' | 'ALL_BUT_WORKER_LOST'> = {
  CREATED: ['STARTING', F, W, RC, AB],
  STARTING: ['STARTED', 'START_FAILED', F, W, RC, AB],
  START_FAILED: [F, W, AB],
  STARTED: ['APP_DOWNLOADING', F, W, RC, AB],
  APP_DOWNLOADING: ['APP_DOWNLOADED', 'APP_DOWNLOAD_FAILED', F, W, RC, AB],
  APP_DOWNLOAD_FAILED: ['CONTRIBUTING', F, W, RC, AB],
  APP_DOWNLOADED: ['DATA_DOWNLOADING', F, W, RC, AB],
  DATA_DOWNLOADING: ['DATA_DOWNLOADED', 'DATA_DOWNLOAD_FAILED', F, W, RC, AB],
  DATA_DOWNLOAD_FAILED: ['CONTRIBUTING', F, W, RC, AB],
  DATA_DOWNLOADED: ['COMPUTING', F, W, RC, AB],
  COMPUTING: ['COMPUTED', 'COMPUTE_FAILED', F, W, RC, AB],
  COMPUTE_FAILED: [F, W, AB],
  COMPUTED: ['CONTRIBUTING', 'CONTRIBUTE_AND_FINALIZE_ONGOING', F, W, RC, AB],
  CONTRIBUTING: ['CONTRIBUTED', 'CONTRIBUTE_FAILED', F, W, RC, AB],
  CONTRIBUTE_FAILED: [F, W, AB],
  CONTRIBUTED: ['REVEALING', F, W, RC, AB],
  REVEALING: ['REVEALED', 'REVEAL_FAILED', F, W, RC, AB],
  REVEAL_FAILED: [F, W, AB],
  REVEALED: ['RESULT_UPLOAD_REQUESTED', 'COMPLETING', W, RC, AB],
  RESULT_UPLOAD_REQUESTED: ['RESULT_UPLOADING', W, RC, AB],
  RESULT_UPLOADING: ['RESULT_UPLOADED', 'RESULT_UPLOAD_FAILED', W, RC, AB],
  RESULT_UPLOAD_FAILED: ['COMPLETING', W, RC, AB],
  RESULT_UPLOADED: ['COMPLETING', W, RC, AB],
  CONTRIBUTE_AND_FINALIZE_ONGOING: [
    'CONTRIBUTE_AND_FINALIZE_DONE',
    'CONTRIBUTE_AND_FINALIZE_FAILED',
    F,
    W,
    RC,
    AB,
  ],
  CONTRIBUTE_AND_FINALIZE_FAILED: [F, W, RC, AB],
  CONTRIBUTE_AND_FINALIZE_DONE: ['COMPLETING', W, RC, AB],
  COMPLETING: ['COMPLETED', 'COMPLETE_FAILED', W, RC, AB],
  COMPLETE_FAILED: [W, AB],
  COMPLETED: [],
  FAILED: [],
  ABORTED: [F, W, 'COMPLETED'],
  RECOVERING: 'ALL_BUT_CREATED_STARTING',
  WORKER_LOST: 'ALL_BUT_WORKER_LOST',
};

function specAllows(from: S, to: S): boolean {
  const row = SPEC_TABLE[from];
  if (row === 'ALL_BUT_CREATED_STARTING') return to !== S.CREATED && to !== S.STARTING;
  if (row === 'ALL_BUT_WORKER_LOST') return to !== S.WORKER_LOST;
  return row.includes(to);
}

const pairs = REPLICATE_STATUSES.flatMap((from) => REPLICATE_STATUSES.map((to) => [from, to]));

describe('replicate transition table (§4.7)', () => {
  it('has one row per status', () => {
    expect(Object.keys(SPEC_TABLE).sort()).toEqual([...REPLICATE_STATUSES].sort());
    expect([...TRANSITIONS.keys()].sort()).toEqual([...REPLICATE_STATUSES].sort());
  });

  it.each(pairs)('%s → %s follows the spec table', (from, to) => {
    expect(canTransition(from, to)).toBe(specAllows(from, to));
  });

  it('COMPLETED and FAILED have no outgoing transition', () => {
    for (const to of REPLICATE_STATUSES) {
      expect(canTransition(S.COMPLETED, to)).toBe(false);
      expect(canTransition(S.FAILED, to)).toBe(false);
    }
  });

  it('RECOVERING cannot go back to CREATED or STARTING but may repeat itself', () => {
    expect(canTransition(S.RECOVERING, S.CREATED)).toBe(false);
    expect(canTransition(S.RECOVERING, S.STARTING)).toBe(false);
    expect(canTransition(S.RECOVERING, S.RECOVERING)).toBe(true);
    expect(canTransition(S.RECOVERING, S.WORKER_LOST)).toBe(true);
  });

  it('WORKER_LOST accepts every status but itself', () => {
    expect(canTransition(S.WORKER_LOST, S.WORKER_LOST)).toBe(false);
    for (const to of [S.CREATED, S.STARTING, S.COMPLETED, S.FAILED, S.RECOVERING, S.ABORTED]) {
      expect(canTransition(S.WORKER_LOST, to)).toBe(true);
    }
  });

  it('CONTRIBUTED cannot skip REVEALING (edge 31)', () => {
    expect(canTransition(S.CONTRIBUTED, S.REVEALED)).toBe(false);
  });

  describe('reading hints agree with the table', () => {
    const sources = (to: S) => REPLICATE_STATUSES.filter((from) => canTransition(from, to));
    const sorted = (list: readonly S[]) => [...list].sort();

    it('FAILED only from failable statuses (+ RECOVERING, WORKER_LOST)', () => {
      expect(sorted(sources(S.FAILED))).toEqual(
        sorted([...FAILABLE_STATUSES, S.RECOVERING, S.WORKER_LOST]),
      );
      expect(canTransition(S.REVEALED, S.FAILED)).toBe(false);
      expect(canTransition(S.RESULT_UPLOADING, S.FAILED)).toBe(false);
    });

    it('ABORTED from every non-final workflow status (+ RECOVERING, WORKER_LOST)', () => {
      expect(sorted(sources(S.ABORTED))).toEqual(
        sorted([...NON_FINAL_WORKFLOW_STATUSES, S.RECOVERING, S.WORKER_LOST]),
      );
    });

    it('RECOVERING from every recoverable status (+ WORKER_LOST)', () => {
      expect(sorted(sources(S.RECOVERING))).toEqual(
        sorted([...RECOVERABLE_STATUSES, S.WORKER_LOST]),
      );
    });

    it('WORKER_LOST from abortable statuses plus RECOVERING and ABORTED', () => {
      expect(sorted(sources(S.WORKER_LOST))).toEqual(
        sorted([...ABORTABLE_STATUSES.filter((s) => s !== S.WORKER_LOST), S.RECOVERING, S.ABORTED]),
      );
    });
  });
});
