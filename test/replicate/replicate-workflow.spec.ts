import { TaskNotificationType as N } from '../../src/notification/task-notification-type.js';
import {
  REPLICATE_STATUSES,
  ReplicateStatus as S,
  ReplicateStatusCause as C,
  replicateStatusOrdinal,
} from '../../src/replicate/replicate-status.js';
import {
  BUSY_COMPUTING_STATUSES,
  FAILED_BEFORE_COMPUTED_STATUSES,
  FAILURE_STATUSES,
  FAILABLE_STATUSES,
  isBusyComputing,
  isFailedBeforeComputed,
  isFinalStatus,
  isUncompletable,
  nextAction,
  NON_FINAL_WORKFLOW_STATUSES,
  SUCCESS_STATUSES,
  WORKFLOW_STATUSES,
} from '../../src/replicate/replicate-workflow.js';

const ZERO = '0x0000000000000000000000000000000000000000';
const standard = { isTeeTask: false, trust: 1, callback: ZERO };

describe('status groups (§4.1)', () => {
  it('success order', () => {
    expect(SUCCESS_STATUSES).toEqual([
      S.CREATED,
      S.STARTING,
      S.STARTED,
      S.APP_DOWNLOADING,
      S.APP_DOWNLOADED,
      S.DATA_DOWNLOADING,
      S.DATA_DOWNLOADED,
      S.COMPUTING,
      S.COMPUTED,
      S.CONTRIBUTING,
      S.CONTRIBUTED,
      S.REVEALING,
      S.REVEALED,
      S.CONTRIBUTE_AND_FINALIZE_ONGOING,
      S.CONTRIBUTE_AND_FINALIZE_DONE,
      S.COMPLETING,
      S.COMPLETED,
    ]);
  });

  it('failed-before-computed = failure statuses ordered before COMPUTED', () => {
    const expected = FAILURE_STATUSES.filter(
      (s) => replicateStatusOrdinal(s) < replicateStatusOrdinal(S.COMPUTED),
    );
    expect(FAILED_BEFORE_COMPUTED_STATUSES).toEqual(expected);
    expect(expected).toEqual([
      S.START_FAILED,
      S.APP_DOWNLOAD_FAILED,
      S.DATA_DOWNLOAD_FAILED,
      S.COMPUTE_FAILED,
    ]);
    expect(isFailedBeforeComputed(S.CONTRIBUTE_FAILED)).toBe(false);
  });

  it('non-final workflow = ordinals 0–27, workflow adds COMPLETED and FAILED', () => {
    expect(NON_FINAL_WORKFLOW_STATUSES).toEqual(REPLICATE_STATUSES.slice(0, 28));
    expect(NON_FINAL_WORKFLOW_STATUSES.at(-1)).toBe(S.COMPLETE_FAILED);
    expect(WORKFLOW_STATUSES).toEqual([...REPLICATE_STATUSES.slice(0, 28), S.COMPLETED, S.FAILED]);
  });

  it('failable = ordinals 0–17 + C&F ongoing/failed + ABORTED', () => {
    expect(FAILABLE_STATUSES).toEqual([
      ...REPLICATE_STATUSES.slice(0, 18),
      S.CONTRIBUTE_AND_FINALIZE_ONGOING,
      S.CONTRIBUTE_AND_FINALIZE_FAILED,
      S.ABORTED,
    ]);
    expect(FAILABLE_STATUSES.at(17)).toBe(S.REVEAL_FAILED);
  });

  it('final, uncompletable and busy-computing predicates (edge 44)', () => {
    expect(REPLICATE_STATUSES.filter(isFinalStatus)).toEqual([S.COMPLETED, S.FAILED]);
    expect(REPLICATE_STATUSES.filter(isUncompletable)).toEqual([
      S.CONTRIBUTE_FAILED,
      S.REVEAL_FAILED,
      S.CONTRIBUTE_AND_FINALIZE_FAILED,
    ]);
    expect(REPLICATE_STATUSES.filter(isBusyComputing)).toEqual(BUSY_COMPUTING_STATUSES);
    expect(BUSY_COMPUTING_STATUSES).toEqual([
      S.CREATED,
      S.STARTING,
      S.STARTED,
      S.APP_DOWNLOADING,
      S.APP_DOWNLOADED,
      S.DATA_DOWNLOADING,
      S.DATA_DOWNLOADED,
      S.COMPUTING,
    ]);
    expect(isBusyComputing(S.COMPUTED)).toBe(false);
    expect(isBusyComputing(S.START_FAILED)).toBe(false);
  });
});

describe('nextAction (§4.8)', () => {
  const table: [S, N | undefined][] = [
    [S.CREATED, undefined],
    [S.STARTING, N.PLEASE_CONTINUE],
    [S.START_FAILED, N.PLEASE_ABORT],
    [S.STARTED, N.PLEASE_DOWNLOAD_APP],
    [S.APP_DOWNLOADING, N.PLEASE_CONTINUE],
    [S.APP_DOWNLOADED, N.PLEASE_DOWNLOAD_DATA],
    [S.DATA_DOWNLOADING, N.PLEASE_CONTINUE],
    [S.DATA_DOWNLOADED, N.PLEASE_COMPUTE],
    [S.COMPUTING, N.PLEASE_CONTINUE],
    [S.COMPUTE_FAILED, N.PLEASE_ABORT],
    [S.COMPUTED, N.PLEASE_CONTRIBUTE],
    [S.CONTRIBUTING, N.PLEASE_CONTINUE],
    [S.CONTRIBUTE_FAILED, N.PLEASE_ABORT],
    [S.CONTRIBUTED, N.PLEASE_WAIT],
    [S.REVEALING, N.PLEASE_CONTINUE],
    [S.REVEAL_FAILED, N.PLEASE_ABORT],
    [S.REVEALED, N.PLEASE_WAIT],
    [S.RESULT_UPLOAD_REQUESTED, undefined],
    [S.RESULT_UPLOADING, N.PLEASE_CONTINUE],
    [S.RESULT_UPLOAD_FAILED, N.PLEASE_ABORT],
    [S.RESULT_UPLOADED, N.PLEASE_WAIT],
    [S.CONTRIBUTE_AND_FINALIZE_ONGOING, N.PLEASE_CONTINUE],
    [S.CONTRIBUTE_AND_FINALIZE_FAILED, N.PLEASE_ABORT],
    [S.CONTRIBUTE_AND_FINALIZE_DONE, N.PLEASE_WAIT],
    [S.COMPLETING, N.PLEASE_CONTINUE],
    [S.COMPLETE_FAILED, N.PLEASE_ABORT],
    [S.COMPLETED, N.PLEASE_WAIT],
    [S.FAILED, undefined],
    [S.ABORTED, undefined],
    [S.RECOVERING, undefined],
    [S.WORKER_LOST, undefined],
  ];

  it('covers every status except the two cause-dependent ones', () => {
    expect(table.map(([s]) => s).sort()).toEqual(
      REPLICATE_STATUSES.filter(
        (s) => s !== S.APP_DOWNLOAD_FAILED && s !== S.DATA_DOWNLOAD_FAILED,
      ).sort(),
    );
  });

  it.each(table)('%s → %s', (status, expected) => {
    expect(nextAction(status, undefined, standard)).toBe(expected);
  });

  it('no action for a null or undefined status, or for ABORTED (edge 40)', () => {
    expect(nextAction(null, undefined, standard)).toBeUndefined();
    expect(nextAction(undefined, undefined, standard)).toBeUndefined();
    expect(nextAction(S.ABORTED, C.ABORTED_BY_WORKER, standard)).toBeUndefined();
  });

  it('APP_DOWNLOAD_FAILED: contribute only for APP_IMAGE_DOWNLOAD_FAILED (edge 40)', () => {
    expect(nextAction(S.APP_DOWNLOAD_FAILED, undefined, standard)).toBe(N.PLEASE_ABORT);
    expect(nextAction(S.APP_DOWNLOAD_FAILED, null, standard)).toBe(N.PLEASE_ABORT);
    expect(nextAction(S.APP_DOWNLOAD_FAILED, C.DATASET_FILE_DOWNLOAD_FAILED, standard)).toBe(
      N.PLEASE_ABORT,
    );
    expect(nextAction(S.APP_DOWNLOAD_FAILED, C.APP_IMAGE_DOWNLOAD_FAILED, standard)).toBe(
      N.PLEASE_CONTRIBUTE,
    );
  });

  it.each([
    C.DATASET_FILE_DOWNLOAD_FAILED,
    C.DATASET_FILE_BAD_CHECKSUM,
    C.INPUT_FILES_DOWNLOAD_FAILED,
  ])('DATA_DOWNLOAD_FAILED with %s → PLEASE_CONTRIBUTE (edge 40)', (cause) => {
    expect(nextAction(S.DATA_DOWNLOAD_FAILED, cause, standard)).toBe(N.PLEASE_CONTRIBUTE);
  });

  it('DATA_DOWNLOAD_FAILED without or with an unrelated cause → PLEASE_ABORT (edge 40)', () => {
    expect(nextAction(S.DATA_DOWNLOAD_FAILED, undefined, standard)).toBe(N.PLEASE_ABORT);
    expect(nextAction(S.DATA_DOWNLOAD_FAILED, C.APP_IMAGE_DOWNLOAD_FAILED, standard)).toBe(
      N.PLEASE_ABORT,
    );
  });

  describe('COMPUTED (edge 41)', () => {
    it('TEE + trust 1 + zero-address callback → PLEASE_CONTRIBUTE_AND_FINALIZE', () => {
      expect(nextAction(S.COMPUTED, undefined, { isTeeTask: true, trust: 1, callback: ZERO })).toBe(
        N.PLEASE_CONTRIBUTE_AND_FINALIZE,
      );
      expect(nextAction(S.COMPUTED, undefined, { isTeeTask: true, trust: 1n, callback: '' })).toBe(
        N.PLEASE_CONTRIBUTE_AND_FINALIZE,
      );
      expect(nextAction(S.COMPUTED, undefined, { isTeeTask: true, trust: 1 })).toBe(
        N.PLEASE_CONTRIBUTE_AND_FINALIZE,
      );
    });

    it('standard task, TEE with a callback, TEE with trust ≠ 1 → PLEASE_CONTRIBUTE', () => {
      const callback = '0x1234567890abcdef1234567890abcdef12345678';
      expect(nextAction(S.COMPUTED, undefined, standard)).toBe(N.PLEASE_CONTRIBUTE);
      expect(nextAction(S.COMPUTED, undefined, { isTeeTask: true, trust: 1, callback })).toBe(
        N.PLEASE_CONTRIBUTE,
      );
      expect(nextAction(S.COMPUTED, undefined, { isTeeTask: true, trust: 0, callback: ZERO })).toBe(
        N.PLEASE_CONTRIBUTE,
      );
      expect(nextAction(S.COMPUTED, undefined, { isTeeTask: true, trust: 2, callback: ZERO })).toBe(
        N.PLEASE_CONTRIBUTE,
      );
    });

    it('no task description → PLEASE_ABORT', () => {
      expect(nextAction(S.COMPUTED, undefined, undefined)).toBe(N.PLEASE_ABORT);
      expect(nextAction(S.COMPUTED, undefined, null)).toBe(N.PLEASE_ABORT);
    });
  });
});
