import { ChainTaskStatus } from '../../../src/chain/chain-status.js';
import { ReplicateStatus as S } from '../../../src/replicate/replicate-status.js';
import {
  allAliveWorkersFailedBeforeComputed,
  chainTaskDecides,
  compareTaskUpdatePriority,
  countStartedReplicates,
  effectiveStatus,
  failureStatusesToAppend,
  fromRunning,
  initializedToRunning,
  reopeningDecision,
  RunningInput,
  taskHandlerFor,
} from '../../../src/task/rules/task-transitions.js';
import { TASK_STATUSES, TaskStatus } from '../../../src/task/task-status.js';
import { contributed, MINUTE, replicate, T0 } from '../../support/replicates.js';

const CONSENSUS = '0xc0ffee';
const DEADLINE = T0 + 10 * MINUTE;
const BEFORE = T0 + MINUTE;
const AFTER = DEADLINE + 1;
const task = { contributionDeadline: new Date(DEADLINE) };
const active = { status: ChainTaskStatus.ACTIVE };
const revealing = (winnerCounter = 1) => ({
  status: ChainTaskStatus.REVEALING,
  consensusValue: CONSENSUS,
  winnerCounter,
  revealDeadline: T0 + 20 * MINUTE,
});
const standard = { isTeeTask: false, trust: 1, callback: '' };
const teeCaf = { isTeeTask: true, trust: 1, callback: '' };
const teeWithCallback = {
  isTeeTask: true,
  trust: 1,
  callback: '0x1234567890abcdef1234567890abcdef12345678',
};

describe('§7.1 entry point', () => {
  it('final deadline override from any in-progress status (edge 19)', () => {
    for (const status of TASK_STATUSES) {
      const t = { currentStatus: status, finalDeadline: new Date(DEADLINE) };
      expect(effectiveStatus(t, DEADLINE)).toBe(status);
      const overridden = ![TaskStatus.FAILED, TaskStatus.COMPLETED].includes(status);
      expect(effectiveStatus(t, AFTER)).toBe(
        overridden ? TaskStatus.FINAL_DEADLINE_REACHED : status,
      );
    }
    expect(taskHandlerFor(TaskStatus.FINAL_DEADLINE_REACHED)).toBe('FINAL_DEADLINE_REACHED');
    expect(failureStatusesToAppend('FINAL_DEADLINE_REACHED')).toEqual([
      TaskStatus.FINAL_DEADLINE_REACHED,
      TaskStatus.FAILED,
    ]);
  });

  it('the chain task decides from INITIALIZED / RUNNING only past the contribution deadline or once a replicate is CONTRIBUTED', () => {
    const working = replicate([S.CREATED, S.STARTING, S.STARTED, S.COMPUTING, S.COMPUTED]);
    expect(chainTaskDecides(task, [], BEFORE)).toBe(false);
    expect(chainTaskDecides(task, [working], BEFORE)).toBe(false);
    expect(chainTaskDecides(task, [working], AFTER)).toBe(true);
    expect(chainTaskDecides(task, [working, contributed()], BEFORE)).toBe(true);
  });

  it('the chain task decides once a replicate is CONTRIBUTE_AND_FINALIZE_DONE (its consensus is copied)', () => {
    const done = replicate([S.CREATED, S.COMPUTED, S.CONTRIBUTE_AND_FINALIZE_DONE]);
    expect(chainTaskDecides(task, [done], BEFORE)).toBe(true);
    const lost = replicate([S.CREATED, S.CONTRIBUTE_AND_FINALIZE_DONE, S.WORKER_LOST]);
    expect(chainTaskDecides(task, [lost], BEFORE)).toBe(false);
  });

  it.each([
    TaskStatus.INITIALIZE_FAILED,
    TaskStatus.RUNNING_FAILED,
    TaskStatus.CONTRIBUTION_TIMEOUT,
    TaskStatus.REOPEN_FAILED,
    TaskStatus.RESULT_UPLOAD_TIMEOUT,
    TaskStatus.FINALIZE_FAILED,
  ])('%s as current status → write FAILED (edges 9, 20)', (status) => {
    expect(taskHandlerFor(status)).toBe('TO_FAILED');
    expect(failureStatusesToAppend('TO_FAILED')).toEqual([TaskStatus.FAILED]);
  });

  it('dispatch table', () => {
    expect(Object.fromEntries(TASK_STATUSES.map((s) => [s, taskHandlerFor(s)]))).toMatchObject({
      RECEIVED: 'RECEIVED_TO_INITIALIZING',
      INITIALIZING: 'INITIALIZING_TO_INITIALIZED',
      INITIALIZED: 'INITIALIZED_TO_RUNNING',
      RUNNING: 'FROM_RUNNING',
      CONSENSUS_REACHED: 'CONSENSUS_REACHED_TO_AT_LEAST_ONE_REVEALED',
      AT_LEAST_ONE_REVEALED: 'REQUEST_UPLOAD',
      REOPENING: 'REOPENING_TO_REOPENED',
      REOPENED: 'REOPENED_TO_INITIALIZED',
      RESULT_UPLOADING: 'RESULT_UPLOADING_TO_UPLOADED',
      RESULT_UPLOADED: 'RESULT_UPLOADED_TO_FINALIZING',
      FINALIZING: 'FINALIZING_TO_FINALIZED',
      FINALIZED: 'FINALIZED_TO_COMPLETED',
      COMPLETED: 'NONE',
      FAILED: 'NONE',
    });
  });
});

describe('update queue ordering (§6.2, edge 22)', () => {
  it('higher status first, then earlier contribution deadline', () => {
    const keys = [
      { status: TaskStatus.INITIALIZING, contributionDeadline: new Date(T0) },
      { status: TaskStatus.RUNNING, contributionDeadline: new Date(T0 + 2) },
      { status: TaskStatus.COMPLETED, contributionDeadline: new Date(T0) },
      { status: TaskStatus.INITIALIZED, contributionDeadline: new Date(T0) },
      { status: TaskStatus.RUNNING, contributionDeadline: new Date(T0 + 1) },
      { status: TaskStatus.CONSENSUS_REACHED, contributionDeadline: new Date(T0) },
      { status: TaskStatus.RUNNING, contributionDeadline: null },
    ];
    const sorted = [...keys].sort(compareTaskUpdatePriority);
    expect(sorted.map((k) => [k.status, k.contributionDeadline?.getTime() ?? null])).toEqual([
      [TaskStatus.COMPLETED, T0],
      [TaskStatus.CONSENSUS_REACHED, T0],
      [TaskStatus.RUNNING, T0 + 1],
      [TaskStatus.RUNNING, T0 + 2],
      [TaskStatus.RUNNING, null],
      [TaskStatus.INITIALIZED, T0],
      [TaskStatus.INITIALIZING, T0],
    ]);
    expect(compareTaskUpdatePriority(keys[0], keys[0])).toBe(0);
  });
});

describe('INITIALIZED → RUNNING (§7.3)', () => {
  const run = (replicates: ReturnType<typeof replicate>[], now = BEFORE, chainTask = active) =>
    initializedToRunning({ task, chainTask, replicates, now });

  it('stays INITIALIZED without replicates or with only CREATED / STARTING / START_FAILED (edge 7)', () => {
    expect(run([])).toEqual({ kind: 'NONE' });
    expect(run([replicate([S.CREATED]), replicate([S.CREATED])])).toEqual({ kind: 'NONE' });
    expect(run([replicate([S.CREATED, S.STARTING, S.START_FAILED])])).toEqual({ kind: 'NONE' });
  });

  it('goes RUNNING when one of two replicates is STARTED or COMPUTED (edge 7)', () => {
    expect(run([replicate([S.CREATED]), replicate([S.CREATED, S.STARTING, S.STARTED])])).toEqual({
      kind: 'RUNNING',
      updateAgain: false,
    });
    expect(run([replicate([S.CREATED]), replicate([S.CREATED, S.COMPUTING, S.COMPUTED])])).toEqual({
      kind: 'RUNNING',
      updateAgain: false,
    });
  });

  it('counts last relevant statuses (a lost worker that started still counts)', () => {
    expect(
      countStartedReplicates([replicate([S.CREATED, S.STARTING, S.STARTED, S.WORKER_LOST])]),
    ).toBe(1);
    expect(countStartedReplicates([replicate([S.CREATED, S.WORKER_LOST])])).toBe(0);
    expect(countStartedReplicates([replicate([S.CREATED, S.COMPUTING, S.COMPUTE_FAILED])])).toBe(1);
    expect(countStartedReplicates([replicate([S.CREATED, S.ABORTED])])).toBe(0);
  });

  it('asks for an immediate new update when a replicate is already CONTRIBUTED', () => {
    expect(run([contributed()])).toEqual({ kind: 'RUNNING', updateAgain: true });
  });

  it('contribution timeout with chain ACTIVE (or UNSET) → CONTRIBUTION_TIMEOUT (edge 8)', () => {
    expect(run([], AFTER)).toEqual({ kind: 'CONTRIBUTION_TIMEOUT' });
    expect(run([], AFTER, { status: ChainTaskStatus.UNSET })).toEqual({
      kind: 'CONTRIBUTION_TIMEOUT',
    });
    expect(run([], DEADLINE)).toEqual({ kind: 'NONE' });
  });

  it('[quirk fix] the timeout is final: no RUNNING even when replicates started', () => {
    expect(run([replicate([S.CREATED, S.STARTING, S.STARTED])], AFTER)).toEqual({
      kind: 'CONTRIBUTION_TIMEOUT',
    });
  });

  it('no timeout once the chain task is REVEALING (edge 8)', () => {
    expect(run([], AFTER, { status: ChainTaskStatus.REVEALING })).toEqual({ kind: 'NONE' });
  });
});

describe('transitions from RUNNING (§7.4)', () => {
  const input = (overrides: Partial<RunningInput>): RunningInput => ({
    task,
    chainTask: { ...revealing(), status: ChainTaskStatus.ACTIVE },
    replicates: [],
    description: standard,
    aliveWorkers: [],
    now: BEFORE,
    ...overrides,
  });
  const done = (wallet: string) =>
    replicate(
      [S.CREATED, S.COMPUTED, S.CONTRIBUTE_AND_FINALIZE_ONGOING, S.CONTRIBUTE_AND_FINALIZE_DONE],
      {
        wallet,
      },
    );

  it('contribution timeout first (edge 10)', () => {
    expect(fromRunning(input({ now: AFTER }))).toEqual({ kind: 'CONTRIBUTION_TIMEOUT' });
    expect(fromRunning(input({ now: AFTER, replicates: undefined }))).toEqual({
      kind: 'CONTRIBUTION_TIMEOUT',
    });
    expect(fromRunning(input({ now: AFTER, chainTask: revealing(5) }))).toEqual({ kind: 'NONE' });
  });

  it('an unread chain task (not deciding) neither times out nor reaches a consensus', () => {
    const rs = [contributed({ hash: CONSENSUS })];
    expect(fromRunning(input({ now: AFTER, chainTask: undefined }))).toEqual({ kind: 'NONE' });
    expect(fromRunning(input({ chainTask: undefined, replicates: rs }))).toEqual({ kind: 'NONE' });
    expect(fromRunning(input({ chainTask: revealing(1), replicates: rs })).kind).toBe(
      'CONSENSUS_REACHED',
    );
  });

  it('no replicates list → unchanged (edge 10); no description → unchanged (quirk fix)', () => {
    expect(fromRunning(input({ replicates: undefined }))).toEqual({ kind: 'NO_REPLICATES_LIST' });
    expect(fromRunning(input({ replicates: null }))).toEqual({ kind: 'NO_REPLICATES_LIST' });
    expect(fromRunning(input({ description: null }))).toEqual({ kind: 'NO_TASK_DESCRIPTION' });
  });

  describe('contribute-and-finalize (edge 11)', () => {
    it('0 DONE → unchanged', () => {
      expect(
        fromRunning(input({ description: teeCaf, replicates: [replicate([S.CREATED])] })),
      ).toEqual({
        kind: 'NONE',
      });
    });

    it('1 DONE → FINALIZED + COMPLETED, with the chain task consensus and reveal deadline (8.6 #720)', () => {
      const completed = { ...revealing(), status: ChainTaskStatus.COMPLETED };
      expect(
        fromRunning(
          input({ description: teeCaf, chainTask: completed, replicates: [done('0x1')] }),
        ),
      ).toEqual({
        kind: 'FINALIZED_COMPLETED',
        consensus: { consensus: CONSENSUS, revealDeadline: T0 + 20 * MINUTE },
      });
      expect(
        fromRunning(
          input({ description: teeCaf, chainTask: undefined, replicates: [done('0x1')] }),
        ),
      ).toEqual({ kind: 'FINALIZED_COMPLETED' });
    });

    it('2 DONE → RUNNING_FAILED + FAILED', () => {
      expect(
        fromRunning(input({ description: teeCaf, replicates: [done('0x1'), done('0x2')] })),
      ).toEqual({
        kind: 'RUNNING_FAILED',
        reason: 'MULTIPLE_CONTRIBUTE_AND_FINALIZE',
      });
    });

    it('only the current status counts', () => {
      const lost = replicate([S.CREATED, S.CONTRIBUTE_AND_FINALIZE_DONE, S.WORKER_LOST]);
      expect(fromRunning(input({ description: teeCaf, replicates: [lost] }))).toEqual({
        kind: 'NONE',
      });
    });

    it('the consensus path is not used for eligible tasks', () => {
      const rs = [contributed({ hash: CONSENSUS })];
      expect(
        fromRunning(input({ description: teeCaf, chainTask: revealing(), replicates: rs })),
      ).toEqual({
        kind: 'NONE',
      });
    });
  });

  describe('consensus (edge 12)', () => {
    it('REVEALING and off-chain winners ≥ on-chain winners → CONSENSUS_REACHED', () => {
      const rs = [
        contributed({ hash: CONSENSUS, wallet: '0x1' }),
        contributed({ hash: CONSENSUS, wallet: '0x2' }),
      ];
      expect(fromRunning(input({ chainTask: revealing(2), replicates: rs }))).toEqual({
        kind: 'CONSENSUS_REACHED',
        consensus: CONSENSUS,
        revealDeadline: T0 + 20 * MINUTE,
      });
    });

    it('TEE with a callback uses the consensus path', () => {
      const rs = [contributed({ hash: CONSENSUS })];
      expect(
        fromRunning(input({ description: teeWithCallback, chainTask: revealing(), replicates: rs }))
          .kind,
      ).toBe('CONSENSUS_REACHED');
    });

    it('not when the chain task is not REVEALING or there are fewer off-chain winners', () => {
      const rs = [contributed({ hash: CONSENSUS })];
      expect(fromRunning(input({ replicates: rs }))).toEqual({ kind: 'NONE' });
      expect(fromRunning(input({ chainTask: revealing(2), replicates: rs }))).toEqual({
        kind: 'NONE',
      });
      expect(
        fromRunning(
          input({ chainTask: revealing(1), replicates: [contributed({ hash: '0xother' })] }),
        ),
      ).toEqual({
        kind: 'NONE',
      });
    });
  });

  describe('TEE running-failed (edge 13)', () => {
    const failed = (wallet: string, status: S) =>
      replicate([S.CREATED, S.STARTING, status], { wallet });
    const tee = { isTeeTask: true, trust: 0, callback: '' };

    it.each([S.START_FAILED, S.APP_DOWNLOAD_FAILED, S.DATA_DOWNLOAD_FAILED, S.COMPUTE_FAILED])(
      'one alive worker whose replicate is %s → RUNNING_FAILED',
      (status) => {
        const d = fromRunning(
          input({ description: tee, replicates: [failed('0x1', status)], aliveWorkers: ['0x1'] }),
        );
        expect(d).toEqual({ kind: 'RUNNING_FAILED', reason: 'ALL_ALIVE_WORKERS_FAILED' });
      },
    );

    it('two alive workers, both failed before COMPUTED → RUNNING_FAILED (also for C&F tasks)', () => {
      const rs = [failed('0x1', S.START_FAILED), failed('0x2', S.COMPUTE_FAILED)];
      for (const description of [tee, teeCaf]) {
        expect(
          fromRunning(input({ description, replicates: rs, aliveWorkers: ['0x1', '0x2'] })).kind,
        ).toBe('RUNNING_FAILED');
      }
    });

    it('never for non-TEE tasks', () => {
      const rs = [failed('0x1', S.START_FAILED)];
      expect(fromRunning(input({ replicates: rs, aliveWorkers: ['0x1'] }))).toEqual({
        kind: 'NONE',
      });
    });

    it('not when one replicate is still COMPUTING or reached CONTRIBUTE_FAILED', () => {
      const computing = replicate([S.CREATED, S.COMPUTING], { wallet: '0x2' });
      const contributeFailed = replicate([S.CREATED, S.CONTRIBUTING, S.CONTRIBUTE_FAILED], {
        wallet: '0x2',
      });
      for (const other of [computing, contributeFailed]) {
        const rs = [failed('0x1', S.START_FAILED), other];
        expect(
          fromRunning(input({ description: tee, replicates: rs, aliveWorkers: ['0x1', '0x2'] })),
        ).toEqual({
          kind: 'NONE',
        });
      }
    });

    it('not when an alive worker has no replicate yet', () => {
      const rs = [failed('0x1', S.START_FAILED)];
      expect(
        fromRunning(input({ description: tee, replicates: rs, aliveWorkers: ['0x1', '0x9'] })),
      ).toEqual({
        kind: 'NONE',
      });
    });

    it('[quirk fix] zero alive workers never fails the task', () => {
      const rs = [failed('0x1', S.START_FAILED)];
      expect(fromRunning(input({ description: tee, replicates: rs, aliveWorkers: [] }))).toEqual({
        kind: 'NONE',
      });
      expect(allAliveWorkersFailedBeforeComputed([], [])).toBe(false);
    });

    it('replicates of workers that are not alive are ignored', () => {
      const rs = [
        failed('0x1', S.START_FAILED),
        replicate([S.CREATED, S.COMPUTING], { wallet: '0xdead' }),
      ];
      expect(allAliveWorkersFailedBeforeComputed(rs, ['0x1'])).toBe(true);
    });
  });
});

describe('reopen handlers (§7.10, edge 21)', () => {
  const waiting = replicate([S.CREATED, S.CONTRIBUTED], { wallet: '0x1' });
  const revealingR = replicate([S.CREATED, S.CONTRIBUTED, S.REVEALING], { wallet: '0x2' });
  const computing = replicate([S.CREATED, S.COMPUTING], { wallet: '0x3' });

  it('REOPENING with chain ACTIVE → REOPENED then INITIALIZED, reveal timeouts, deadline epoch 0', () => {
    expect(reopeningDecision(active, [waiting, revealingR, computing])).toEqual({
      kind: 'REOPENED',
      revealTimeouts: [waiting, revealingR],
      revealDeadline: 0,
    });
    expect(taskHandlerFor(TaskStatus.REOPENED)).toBe('REOPENED_TO_INITIALIZED');
  });

  it('unknown or not-yet-ACTIVE chain task → unchanged', () => {
    expect(reopeningDecision(undefined, [waiting])).toEqual({ kind: 'NONE' });
    expect(reopeningDecision({ status: ChainTaskStatus.REVEALING }, [waiting])).toEqual({
      kind: 'NONE',
    });
  });
});
