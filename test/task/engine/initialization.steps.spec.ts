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
    smsUrl?: string;
  }) {
    const calls = {
      reads: 0,
      requests: 0,
      transitions: [] as TaskStatus[][],
      failed: 0,
      smsAsked: [] as string[],
    };
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
      {
        verifiedSmsUrl: async (_id: string, tag: string) => {
          calls.smsAsked.push(tag);
          return options.smsUrl;
        },
      } as never,
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
      smsAsked: [],
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
      smsAsked: [],
    });
  });

  it('deal closed or no gas, not initialized on chain: stays RECEIVED', async () => {
    for (const options of [{ dealOpen: false }, { dealOpen: true, gas: false }]) {
      const { run, calls } = steps(options);
      expect(await run()).toBe(false);
      expect(calls).toEqual({ reads: 1, requests: 0, transitions: [], failed: 0, smsAsked: [] });
    }
  });

  it('a TEE tag of an unknown framework: FAILED at once, no SMS asked, no transaction', async () => {
    for (const tag of [`0x${'0'.repeat(63)}1`, `0x${'0'.repeat(63)}7`]) {
      const { run, calls } = steps({ dealOpen: true, tag });
      expect(await run()).toBe(false);
      expect(calls).toEqual({
        reads: 0,
        requests: 0,
        transitions: [[TaskStatus.INITIALIZE_FAILED, TaskStatus.FAILED]],
        failed: 1,
        smsAsked: [],
      });
    }
  });

  it('a TDX tag (SDK 9 default) is served: its SMS is verified, then the initialize requested', async () => {
    const tdx = `0x${'0'.repeat(63)}9`;
    const { run, calls } = steps({ dealOpen: true, tag: tdx, smsUrl: 'http://sms-tdx' });
    expect(await run()).toBe(false);
    expect(calls).toMatchObject({ requests: 1, transitions: [[TaskStatus.INITIALIZING]] });
    expect(calls.smsAsked).toEqual([tdx]);
    // no TDX SMS (sms.tdx unset): the task fails before any transaction
    const none = steps({ dealOpen: true, tag: tdx });
    expect(await none.run()).toBe(false);
    expect(none.calls).toMatchObject({ requests: 0, failed: 1 });
  });
});
