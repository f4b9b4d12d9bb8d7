import {
  TaskAbortCause,
  TaskNotificationType as N,
} from '../../src/notification/task-notification-type.js';
import {
  decideRecovery,
  RecoveryDecision,
  RecoveryInput,
} from '../../src/replicate/replicate-recovery.js';
import { ReplicateStatus as S } from '../../src/replicate/replicate-status.js';
import type { Replicate } from '../../src/replicate/replicates-list.schema.js';
import { TASK_STATUSES, TaskStatus as T } from '../../src/task/task-status.js';
import { replicate } from '../support/replicates.js';

const ZERO = '0x0000000000000000000000000000000000000000';

interface World {
  onChainContributed?: boolean;
  onChainRevealed?: boolean;
  consensusReached?: boolean;
  appendAccepted?: boolean;
}

/** Drives the decision loop the way the replicate service will, against a fake world. */
function recover(
  taskStatus: T,
  history: S[],
  world: World = {},
  extra: Partial<RecoveryInput> = {},
) {
  let input: RecoveryInput = {
    taskStatus,
    isTeeTask: false,
    enclaveChallenge: ZERO,
    consensusReachedBlockNumber: 1234,
    replicate: replicate(history),
    ...extra,
  };
  const appended: S[] = [];
  const asked: string[] = [];
  let taskUpdates = 0;
  let decision: RecoveryDecision = decideRecovery(input);
  for (let guard = 0; decision.kind === 'NEED' || decision.kind === 'APPEND'; guard++) {
    if (guard > 5) throw new Error('recovery loop does not terminate');
    if (decision.kind === 'NEED') {
      asked.push(decision.fact);
      const value = world[decision.fact];
      if (value === undefined) throw new Error(`unexpected question ${decision.fact}`);
      input = { ...input, [decision.fact]: value };
    } else {
      if (decision.requestTaskUpdate) taskUpdates++;
      const accepted = world.appendAccepted !== false;
      if (accepted) appended.push(decision.status);
      const reread: Replicate = replicate(accepted ? [...history, decision.status] : history);
      input = { ...input, rereadReplicate: reread };
    }
    decision = decideRecovery(input);
  }
  if (decision.kind === 'NOTIFY' && decision.requestTaskUpdate) taskUpdates++;
  const notification = decision.kind === 'NOTIFY' ? decision.notification : undefined;
  return { notification, type: notification?.type, appended, asked, taskUpdates };
}

const BASE = [S.CREATED, S.STARTING, S.STARTED];

describe('recovery guards (edges 18–19)', () => {
  it('TEE task without enclave challenge → nothing (e.g. still RECEIVED)', () => {
    const r = recover(
      T.RECEIVED,
      [...BASE, S.COMPUTING],
      {},
      { isTeeTask: true, enclaveChallenge: null },
    );
    expect(r.notification).toBeUndefined();
    const running = recover(
      T.RUNNING,
      [...BASE, S.COMPUTING],
      {},
      { isTeeTask: true, enclaveChallenge: '' },
    );
    expect(running.notification).toBeUndefined();
  });

  it('TEE task with its enclave challenge is recovered', () => {
    const r = recover(
      T.RUNNING,
      [...BASE, S.COMPUTING],
      {},
      { isTeeTask: true, enclaveChallenge: '0xabc' },
    );
    expect(r.type).toBe(N.PLEASE_CONTRIBUTE);
  });

  it('(G) any other task status → nothing', () => {
    for (const status of [
      T.RECEIVED,
      T.INITIALIZING,
      T.FAILED,
      T.INITIALIZE_FAILED,
      T.REOPENING,
      T.FINAL_DEADLINE_REACHED,
    ]) {
      expect(recover(status, [...BASE, S.CONTRIBUTED]).notification).toBeUndefined();
    }
  });

  it('a replicate with only WORKER_LOST / RECOVERING → nothing', () => {
    expect(recover(T.RUNNING, [S.WORKER_LOST]).notification).toBeUndefined();
  });
});

describe('(A) contribution phase (edge 20)', () => {
  it('last relevant CREATED (never started) → nothing and no RECOVERING, so R1 can give it again', () => {
    for (const status of [T.INITIALIZED, T.RUNNING]) {
      for (const history of [[S.CREATED], [S.CREATED, S.WORKER_LOST]]) {
        const r = recover(status, history);
        expect(r.notification).toBeUndefined();
        expect(r.appended).toEqual([]);
        expect(r.asked).toEqual([]);
      }
    }
  });

  it.each([
    S.STARTED,
    S.COMPUTING,
    S.COMPUTED,
    S.START_FAILED,
    S.APP_DOWNLOAD_FAILED,
    S.COMPUTE_FAILED,
  ])('last relevant %s → PLEASE_CONTRIBUTE without chain access', (last) => {
    for (const status of [T.INITIALIZED, T.RUNNING]) {
      const r = recover(status, [S.CREATED, last, S.WORKER_LOST]);
      expect(r.type).toBe(N.PLEASE_CONTRIBUTE);
      expect(r.asked).toEqual([]);
    }
  });

  it('CONTRIBUTING not on chain → PLEASE_CONTRIBUTE', () => {
    const r = recover(T.RUNNING, [...BASE, S.CONTRIBUTING], { onChainContributed: false });
    expect(r).toMatchObject({
      type: N.PLEASE_CONTRIBUTE,
      appended: [],
      asked: ['onChainContributed'],
    });
  });

  it('CONTRIBUTING found on chain → CONTRIBUTED appended, then PLEASE_WAIT without consensus', () => {
    const r = recover(T.RUNNING, [...BASE, S.CONTRIBUTING], {
      onChainContributed: true,
      consensusReached: false,
    });
    expect(r).toMatchObject({ type: N.PLEASE_WAIT, appended: [S.CONTRIBUTED], taskUpdates: 0 });
  });

  it('CONTRIBUTING found on chain → PLEASE_REVEAL (and a task update) when consensus is reached', () => {
    const r = recover(T.RUNNING, [...BASE, S.CONTRIBUTING], {
      onChainContributed: true,
      consensusReached: true,
    });
    expect(r).toMatchObject({ type: N.PLEASE_REVEAL, appended: [S.CONTRIBUTED], taskUpdates: 1 });
    expect(r.notification?.blockNumber).toBe(1234);
    expect(r.notification?.taskAbortCause).toBeNull();
  });

  it('CONTRIBUTED appended but refused by validation → nothing', () => {
    const r = recover(T.RUNNING, [...BASE, S.CONTRIBUTING], {
      onChainContributed: true,
      appendAccepted: false,
    });
    expect(r).toMatchObject({ notification: undefined, appended: [] });
  });

  it('already CONTRIBUTED → PLEASE_WAIT / PLEASE_REVEAL by consensus', () => {
    expect(recover(T.RUNNING, [...BASE, S.CONTRIBUTED], { consensusReached: false }).type).toBe(
      N.PLEASE_WAIT,
    );
    expect(recover(T.INITIALIZED, [...BASE, S.CONTRIBUTED], { consensusReached: true }).type).toBe(
      N.PLEASE_REVEAL,
    );
  });

  it('anything after CONTRIBUTED → nothing', () => {
    for (const last of [S.CONTRIBUTE_FAILED, S.REVEALING, S.FAILED, S.ABORTED]) {
      expect(recover(T.RUNNING, [...BASE, last]).notification).toBeUndefined();
    }
  });
});

describe('(B)/(C) aborts (edges 21–22)', () => {
  it('task CONTRIBUTION_TIMEOUT → PLEASE_ABORT with cause CONTRIBUTION_TIMEOUT', () => {
    const r = recover(T.CONTRIBUTION_TIMEOUT, [...BASE, S.COMPUTING]);
    expect(r.notification).toEqual({
      type: N.PLEASE_ABORT,
      blockNumber: 0,
      taskAbortCause: TaskAbortCause.CONTRIBUTION_TIMEOUT,
    });
  });

  it('task CONSENSUS_REACHED and replicate never CONTRIBUTED → PLEASE_ABORT with cause CONSENSUS_REACHED', () => {
    const r = recover(T.CONSENSUS_REACHED, [...BASE, S.COMPUTED]);
    expect(r.notification).toEqual({
      type: N.PLEASE_ABORT,
      blockNumber: 0,
      taskAbortCause: TaskAbortCause.CONSENSUS_REACHED,
    });
  });
});

describe('(D) reveal phase (edge 23)', () => {
  const phase = [T.CONSENSUS_REACHED, T.AT_LEAST_ONE_REVEALED, T.RESULT_UPLOADED];

  it('CONTRIBUTED → PLEASE_REVEAL with the consensus block', () => {
    for (const status of phase) {
      const r = recover(status, [...BASE, S.CONTRIBUTED, S.WORKER_LOST]);
      expect(r.notification).toEqual({
        type: N.PLEASE_REVEAL,
        blockNumber: 1234,
        taskAbortCause: null,
      });
    }
  });

  it('REVEALING not on chain → PLEASE_REVEAL', () => {
    const r = recover(T.CONSENSUS_REACHED, [...BASE, S.CONTRIBUTED, S.REVEALING], {
      onChainRevealed: false,
    });
    expect(r).toMatchObject({ type: N.PLEASE_REVEAL, appended: [], asked: ['onChainRevealed'] });
  });

  it('REVEALING on chain → REVEALED appended, task update, PLEASE_WAIT', () => {
    const r = recover(T.CONSENSUS_REACHED, [...BASE, S.CONTRIBUTED, S.REVEALING], {
      onChainRevealed: true,
    });
    expect(r).toMatchObject({ type: N.PLEASE_WAIT, appended: [S.REVEALED], taskUpdates: 1 });
  });

  it('REVEALED → PLEASE_WAIT; RESULT_UPLOAD_REQUESTED → PLEASE_UPLOAD', () => {
    expect(recover(T.AT_LEAST_ONE_REVEALED, [...BASE, S.REVEALED]).type).toBe(N.PLEASE_WAIT);
    expect(recover(T.RESULT_UPLOADED, [...BASE, S.REVEALED, S.RESULT_UPLOAD_REQUESTED]).type).toBe(
      N.PLEASE_UPLOAD,
    );
  });

  it('anything else → nothing', () => {
    expect(
      recover(T.AT_LEAST_ONE_REVEALED, [...BASE, S.CONTRIBUTED, S.REVEALING, S.REVEAL_FAILED])
        .notification,
    ).toBeUndefined();
  });
});

describe('(E) RESULT_UPLOADING (edge 24, §12 item 14)', () => {
  const revealed = [...BASE, S.CONTRIBUTED, S.REVEALING, S.REVEALED];

  it('RESULT_UPLOAD_REQUESTED → PLEASE_UPLOAD', () => {
    expect(recover(T.RESULT_UPLOADING, [...revealed, S.RESULT_UPLOAD_REQUESTED]).type).toBe(
      N.PLEASE_UPLOAD,
    );
  });

  it('[fix] RESULT_UPLOADING → PLEASE_UPLOAD, uploaded or not, nothing appended, no chain/proxy question', () => {
    const r = recover(T.RESULT_UPLOADING, [
      ...revealed,
      S.RESULT_UPLOAD_REQUESTED,
      S.RESULT_UPLOADING,
      S.WORKER_LOST,
    ]);
    expect(r).toMatchObject({ type: N.PLEASE_UPLOAD, appended: [], asked: [], taskUpdates: 0 });
  });

  it('RESULT_UPLOADED → PLEASE_WAIT with no extra RESULT_UPLOADED', () => {
    const r = recover(T.RESULT_UPLOADING, [
      ...revealed,
      S.RESULT_UPLOAD_REQUESTED,
      S.RESULT_UPLOADING,
      S.RESULT_UPLOADED,
    ]);
    expect(r).toMatchObject({ type: N.PLEASE_WAIT, appended: [] });
  });

  it('(E) replaces (D) including "none": REVEALED or CONTRIBUTED → nothing', () => {
    expect(recover(T.RESULT_UPLOADING, revealed).notification).toBeUndefined();
    expect(recover(T.RESULT_UPLOADING, [...BASE, S.CONTRIBUTED]).notification).toBeUndefined();
  });

  it("(D)'s side effect still happens: REVEALING on chain → REVEALED appended, task update, then nothing", () => {
    const r = recover(T.RESULT_UPLOADING, [...BASE, S.CONTRIBUTED, S.REVEALING], {
      onChainRevealed: true,
    });
    expect(r).toMatchObject({ notification: undefined, appended: [S.REVEALED], taskUpdates: 1 });
  });
});

describe('(F) completion phase (edge 25)', () => {
  const revealed = [...BASE, S.CONTRIBUTED, S.REVEALING, S.REVEALED];

  it('revealed replicate → PLEASE_WAIT while finalizing, also when it uploaded', () => {
    expect(recover(T.FINALIZING, revealed).type).toBe(N.PLEASE_WAIT);
    expect(
      recover(T.FINALIZED, [
        ...revealed,
        S.RESULT_UPLOAD_REQUESTED,
        S.RESULT_UPLOADING,
        S.RESULT_UPLOADED,
      ]).type,
    ).toBe(N.PLEASE_WAIT);
  });

  it('task COMPLETED → PLEASE_COMPLETE', () => {
    expect(recover(T.COMPLETED, [...revealed, S.WORKER_LOST]).type).toBe(N.PLEASE_COMPLETE);
  });

  it('replicate that never revealed → nothing', () => {
    expect(recover(T.FINALIZING, [...BASE, S.CONTRIBUTED]).notification).toBeUndefined();
    expect(recover(T.COMPLETED, [...BASE, S.CONTRIBUTED]).notification).toBeUndefined();
  });
});

describe('notification extra', () => {
  it('abort cause UNKNOWN for other aborting task statuses; blockNumber only for PLEASE_REVEAL', () => {
    // Only (B) and (C) abort; every other answer has a null cause and a zero block.
    for (const status of TASK_STATUSES) {
      for (const history of [
        [...BASE, S.COMPUTING],
        [...BASE, S.CONTRIBUTED],
      ]) {
        const r = recover(status, history, { consensusReached: false, onChainContributed: false });
        if (!r.notification) continue;
        if (r.type === N.PLEASE_ABORT) expect(r.notification.taskAbortCause).not.toBeNull();
        else expect(r.notification.taskAbortCause).toBeNull();
        if (r.type !== N.PLEASE_REVEAL) expect(r.notification.blockNumber).toBe(0);
      }
    }
  });

  it('PLEASE_REVEAL while the task is RUNNING carries the task consensus block (0 until known)', () => {
    const r = recover(
      T.RUNNING,
      [...BASE, S.CONTRIBUTED],
      { consensusReached: true },
      { consensusReachedBlockNumber: 0 },
    );
    expect(r.notification).toEqual({ type: N.PLEASE_REVEAL, blockNumber: 0, taskAbortCause: null });
    const missing = recover(
      T.RUNNING,
      [...BASE, S.CONTRIBUTED],
      { consensusReached: true },
      { consensusReachedBlockNumber: undefined },
    );
    expect(missing.notification?.blockNumber).toBe(0);
  });
});
