import { ChainTaskStatus } from '../../../src/chain/chain-status.js';
import type { ChainTask } from '../../../src/chain/chain-task.js';
import { ReplicateStatus } from '../../../src/replicate/replicate-status.js';
import { CompletionSteps } from '../../../src/task/engine/completion.steps.js';
import { TaskStatus } from '../../../src/task/task-status.js';
import type { TaskRecord } from '../../../src/task/task.repository.js';
import { recordingStateWriter, systemClock } from '../../support/task-engine-stubs.js';

// RESULT_UPLOADED → FINALIZING (task-lifecycle.md §7.8): whether the update goes on to the next
// step at once (true) or waits for the writer's settle notification (false).
describe('CompletionSteps.resultUploaded', () => {
  const task = {
    chainTaskId: '0x01',
    currentStatus: TaskStatus.RESULT_UPLOADED,
    resultLink: '/ipfs/Qm1',
    chainCallbackData: null,
  } as unknown as TaskRecord;
  const hour = 3_600_000;
  const chainTask = (status: ChainTaskStatus) =>
    ({
      status,
      finalDeadline: Date.now() + hour,
      revealDeadline: Date.now() + hour,
      revealCounter: 1,
      winnerCounter: 1,
    }) as ChainTask;
  const revealed = {
    walletAddress: '0xw1',
    statusUpdateList: [ReplicateStatus.CREATED, ReplicateStatus.REVEALED].map((status) => ({
      status,
    })),
  };

  function steps(
    request: { accepted: boolean; transient?: boolean; reason?: string },
    causes: (string | undefined)[] = [],
  ) {
    const calls = { requests: 0, transitions: [] as TaskStatus[][] };
    const instance = new CompletionSteps(
      { schedulerAddress: '0x5c' } as never,
      {} as never,
      { hasEnoughGas: async () => true } as never,
      {
        requestFinalize: async () => {
          calls.requests++;
          return request;
        },
      } as never,
      { findByChainTaskId: async () => ({ replicates: [revealed] }) } as never,
      {} as never,
      recordingStateWriter(calls.transitions, causes),
      { failed: async () => undefined } as never,
      systemClock,
    );
    return { instance, calls };
  }

  it('requests the finalize, writes FINALIZING and stops: the settle runs the next step', async () => {
    const { instance, calls } = steps({ accepted: true });
    expect(await instance.resultUploaded(task, chainTask(ChainTaskStatus.REVEALING))).toBe(false);
    expect(calls).toEqual({ requests: 1, transitions: [[TaskStatus.FINALIZING]] });
  });

  it('already COMPLETED on chain: FINALIZING with no transaction, and goes on at once', async () => {
    const { instance, calls } = steps({ accepted: true });
    expect(await instance.resultUploaded(task, chainTask(ChainTaskStatus.COMPLETED))).toBe(true);
    expect(calls).toEqual({ requests: 0, transitions: [[TaskStatus.FINALIZING]] });
  });

  it('a transient refusal leaves the task RESULT_UPLOADED for the next try', async () => {
    const { instance, calls } = steps({ accepted: false, transient: true, reason: 'nonce' });
    expect(await instance.resultUploaded(task, chainTask(ChainTaskStatus.REVEALING))).toBe(false);
    expect(calls).toEqual({ requests: 1, transitions: [] });
  });

  it('malformed callback data: FINALIZE_FAILED → FAILED at once, the reason in the history', async () => {
    const causes: (string | undefined)[] = [];
    const { instance, calls } = steps({ accepted: true }, causes);
    const withBadCallback = { ...task, chainCallbackData: '0xnot-hex' } as TaskRecord;
    expect(
      await instance.resultUploaded(withBadCallback, chainTask(ChainTaskStatus.REVEALING)),
    ).toBe(false);
    expect(calls).toEqual({
      requests: 0,
      transitions: [[TaskStatus.FINALIZE_FAILED, TaskStatus.FAILED]],
    });
    expect(causes).toEqual(['callback data is not hex: 0xnot-hex']);
  });
});
