import { latencyOf } from '../../bench/support/task-latency.js';
import {
  ReplicateStatus as R,
  ReplicateStatusModifier,
} from '../../src/replicate/replicate-status.js';
import { TaskStatus as T } from '../../src/task/task-status.js';

// One task of the BoT bench, times in ms after the deal was matched at 0.
const at = (ms: number) => new Date(1_000_000 + ms);
/** `[status, ms]` pairs as dated history entries. */
const dated = <S>(entries: [S, number][]) =>
  entries.map(([status, ms]) => ({ status, date: at(ms) }));
const task = {
  dateStatusList: dated([
    [T.RECEIVED, 100],
    [T.INITIALIZING, 300],
    [T.INITIALIZED, 400],
    [T.RUNNING, 1_600],
    [T.CONSENSUS_REACHED, 2_500],
    [T.FINALIZING, 3_000],
    [T.FINALIZED, 3_100],
    [T.COMPLETED, 3_100],
  ]),
};
const replicate = {
  statusUpdateList: dated([
    [R.CREATED, 1_400],
    [R.STARTING, 1_500],
    [R.STARTED, 1_550],
    [R.COMPUTING, 1_700],
    [R.COMPUTED, 1_900],
    [R.CONTRIBUTING, 2_000],
    [R.CONTRIBUTED, 2_300],
  ]).map((u) => ({ ...u, modifier: ReplicateStatusModifier.WORKER })),
};

describe('latencyOf (BoT bench)', () => {
  it('takes the scheduler transactions, the ask wait and the worker steps out of the lifetime', () => {
    const l = latencyOf(task, [replicate], 1_000_000);
    expect(l).toMatchObject({
      detection: 100,
      lifetime: 3_000,
      schedulerTx: 100 + 100,
      askWait: 1_000,
      // STARTING → STARTED 50, COMPUTING → COMPUTED 200, CONTRIBUTING → CONTRIBUTED 300
      workerSteps: 550,
      addedByDates: 3_000 - 200 - 1_000 - 550,
      workerOwn: undefined,
    });
    expect(l.schedulerAdded).toBe(l.addedByDates);
  });

  it("uses the worker's own clock when known: its work between reports is not the scheduler's", () => {
    const l = latencyOf(task, [replicate], 1_000_000, 900);
    expect(l.workerOwn).toBe(900);
    expect(l.schedulerAdded).toBe(3_000 - 200 - 1_000 - 900);
    expect(l.addedByDates).toBe(1_250);
  });

  it('follows the replicate that went furthest (trust 1: the only one)', () => {
    const stalled = {
      statusUpdateList: [
        { status: R.CREATED, modifier: ReplicateStatusModifier.POOL_MANAGER, date: at(400) },
      ],
    };
    expect(latencyOf(task, [stalled, replicate], 1_000_000).askWait).toBe(1_000);
  });
});
