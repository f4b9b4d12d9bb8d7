import { jest } from '@jest/globals';
import { OpenTasks, supplyCandidates, type OpenTask } from '../../src/task/open-tasks.js';
import { TaskStatus } from '../../src/task/task-status.js';

const NOW = new Date('2026-11-28T12:00:00Z');
const task = (id: string, currentStatus: TaskStatus, deadlineInS = 60): OpenTask => ({
  chainTaskId: id,
  currentStatus,
  contributionDeadline: new Date(NOW.getTime() + deadlineInS * 1000),
});
const ids = (tasks: readonly OpenTask[]) => tasks.map((t) => t.chainTaskId).sort();

/** A database read the test answers by hand, to interleave writes with it. */
function pendingLoad() {
  let answer!: (tasks: OpenTask[]) => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<OpenTask[]>((res, rej) => ((answer = res), (fail = rej)));
  return { promise, answer, fail };
}

describe('OpenTasks', () => {
  it('reads the database once, then follows the writes', async () => {
    const load = jest.fn(async () => [task('a', TaskStatus.INITIALIZED)]);
    const open = new OpenTasks(load);
    expect(ids(await open.list())).toEqual(['a']);
    open.written(task('b', TaskStatus.INITIALIZED)); // INITIALIZING → INITIALIZED
    open.written(task('a', TaskStatus.RUNNING));
    expect(await open.list()).toEqual(
      expect.arrayContaining([task('a', TaskStatus.RUNNING), task('b', TaskStatus.INITIALIZED)]),
    );
    open.written(task('a', TaskStatus.CONSENSUS_REACHED));
    open.written(task('c', TaskStatus.RECEIVED)); // a new task is not open yet
    expect(ids(await open.list())).toEqual(['b']);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('replays the writes made while the database was read over what it answered', async () => {
    const read = pendingLoad();
    const open = new OpenTasks(() => read.promise);
    const listed = open.list();
    open.written(task('closed', TaskStatus.CONSENSUS_REACHED));
    open.written(task('opened', TaskStatus.INITIALIZED));
    // The read had seen neither write: 'closed' still open, 'opened' not yet.
    read.answer([task('closed', TaskStatus.RUNNING), task('kept', TaskStatus.RUNNING)]);
    expect(ids(await listed)).toEqual(['kept', 'opened']);
  });

  it('shares one read between concurrent lists', async () => {
    const read = pendingLoad();
    const load = jest.fn(() => read.promise);
    const open = new OpenTasks(load);
    const both = Promise.all([open.list(), open.list()]);
    read.answer([task('a', TaskStatus.RUNNING)]);
    expect((await both).map(ids)).toEqual([['a'], ['a']]);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('reads the database again after a write of unknown outcome, even one during the read', async () => {
    const reads = [pendingLoad(), pendingLoad(), pendingLoad()];
    const load = jest.fn(() => reads[load.mock.calls.length - 1].promise);
    const open = new OpenTasks(load);
    const first = open.list();
    reads[0].answer([task('a', TaskStatus.RUNNING)]);
    expect(ids(await first)).toEqual(['a']);
    open.reset();
    const second = open.list();
    await Promise.resolve();
    open.reset(); // while the second read is in flight: its answer may predate the write
    reads[1].answer([task('a', TaskStatus.RUNNING)]);
    await new Promise((r) => setImmediate(r));
    expect(load).toHaveBeenCalledTimes(3);
    reads[2].answer([]);
    expect(await second).toEqual([]);
  });

  it('passes a failed read on, and tries again at the next list', async () => {
    const load = jest
      .fn<() => Promise<OpenTask[]>>()
      .mockRejectedValueOnce(new Error('connection closed'))
      .mockResolvedValueOnce([task('a', TaskStatus.INITIALIZED)]);
    const open = new OpenTasks(load);
    await expect(open.list()).rejects.toThrow('connection closed');
    expect(ids(await open.list())).toEqual(['a']);
  });
});

describe('supplyCandidates', () => {
  it('RUNNING before INITIALIZED, then the earliest contribution deadline; none past it', () => {
    const open = [
      task('initialized-late', TaskStatus.INITIALIZED, 90),
      task('running-late', TaskStatus.RUNNING, 80),
      task('initialized-early', TaskStatus.INITIALIZED, 10),
      task('running-past', TaskStatus.RUNNING, -1),
      task('running-early', TaskStatus.RUNNING, 20),
      task('initialized-now', TaskStatus.INITIALIZED, 0),
    ];
    expect(supplyCandidates(open, NOW).map((t) => t.chainTaskId)).toEqual([
      'running-early',
      'running-late',
      'initialized-early',
      'initialized-late',
    ]);
    expect(open).toHaveLength(6); // the input is left as it was
  });
});
