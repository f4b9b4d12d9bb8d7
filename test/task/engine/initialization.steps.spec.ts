import { ChainTaskStatus } from '../../../src/chain/chain-status.js';
import type { ChainTask } from '../../../src/chain/chain-task.js';
import { InitializationSteps } from '../../../src/task/engine/initialization.steps.js';
import { TaskStatus } from '../../../src/task/task-status.js';
import type { TaskRecord } from '../../../src/task/task.repository.js';
import { recordingStateWriter, systemClock } from '../../support/task-engine-stubs.js';

// RECEIVED (task-lifecycle.md §7.2) when the chain task was not read first (embedded mode): the
// initialize is requested straight away, and the chain is read only when it cannot be.
describe('InitializationSteps.received without a chain read first', () => {
  const task = {
    chainTaskId: '0x01',
    chainDealId: '0xd0',
    taskIndex: 0,
    tag: `0x${'0'.repeat(64)}`,
    currentStatus: TaskStatus.RECEIVED,
  } as unknown as TaskRecord;
  const chainTask = (status: ChainTaskStatus) => ({ status }) as ChainTask;

  function steps(options: {
    dealOpen: boolean;
    gas?: boolean;
    initialized?: boolean;
    tag?: string;
  }) {
    const calls = { reads: 0, requests: 0, transitions: [] as TaskStatus[][], failed: 0 };
    const read = async () => {
      calls.reads++;
      return chainTask(options.initialized ? ChainTaskStatus.ACTIVE : ChainTaskStatus.UNSET);
    };
    const hour = 3_600_000;
    const startTime = Math.floor((Date.now() + (options.dealOpen ? 0 : -10 * hour)) / 1000);
    const instance = new InitializationSteps(
      { schedulerAddress: '0x5c' } as never,
      { getContributionDeadlineRatio: async () => 7, getChainTask: read } as never,
      { hasEnoughGas: async () => options.gas ?? true } as never,
      { deal: async () => ({ startTime, category: { maxExecutionTime: 60_000 } }) } as never,
      {
        requestInitialize: async () => {
          calls.requests++;
          return { accepted: true };
        },
      } as never,
      {} as never,
      {} as never,
      recordingStateWriter(calls.transitions),
      { failed: async () => void calls.failed++ } as never,
      systemClock,
    );
    const subject = options.tag ? ({ ...task, tag: options.tag } as TaskRecord) : task;
    return { run: () => instance.received(subject, undefined, read), calls };
  }

  it('requests the initialize without reading the chain, and stops there', async () => {
    const { run, calls } = steps({ dealOpen: true });
    // false: the writer's settle notification runs the next step, not a read of an unmined task
    expect(await run()).toBe(false);
    expect(calls).toEqual({
      reads: 0,
      requests: 1,
      transitions: [[TaskStatus.INITIALIZING]],
      failed: 0,
    });
  });

  it('deal closed: a task already initialized on chain moves on, with no transaction', async () => {
    const { run, calls } = steps({ dealOpen: false, initialized: true });
    expect(await run()).toBe(true);
    expect(calls).toEqual({
      reads: 1,
      requests: 0,
      transitions: [[TaskStatus.INITIALIZING]],
      failed: 0,
    });
  });

  it('deal closed or no gas, not initialized on chain: stays RECEIVED', async () => {
    for (const options of [{ dealOpen: false }, { dealOpen: true, gas: false }]) {
      const { run, calls } = steps(options);
      expect(await run()).toBe(false);
      expect(calls).toEqual({ reads: 1, requests: 0, transitions: [], failed: 0 });
    }
  });

  it('a TEE tag of a framework not served here (TDX, SDK 9 default): FAILED at once, no transaction', async () => {
    for (const tag of [`0x${'0'.repeat(63)}9`, `0x${'0'.repeat(63)}1`]) {
      const { run, calls } = steps({ dealOpen: true, tag });
      expect(await run()).toBe(false);
      expect(calls).toEqual({
        reads: 0,
        requests: 0,
        transitions: [[TaskStatus.INITIALIZE_FAILED, TaskStatus.FAILED]],
        failed: 1,
      });
    }
  });
});
