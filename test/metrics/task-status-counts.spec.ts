import type { JobScheduler } from '../../src/common/jobs/job-scheduler.js';
import { TaskStatusCounts } from '../../src/metrics/task-status-counts.js';
import { TASK_STATUSES, TaskStatus } from '../../src/task/task-status.js';
import type { TaskRepository } from '../../src/task/task.repository.js';

function setup(fromDb: Map<TaskStatus, number> | Error) {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const tasks = {
    countByStatus: async () => {
      await gate;
      if (fromDb instanceof Error) throw fromDb;
      return fromDb;
    },
  } as unknown as TaskRepository;
  const jobs: { period: number; run: () => Promise<void>; runAtStart?: boolean }[] = [];
  const scheduler = {
    register: (
      _: string,
      period: number,
      run: () => Promise<void>,
      options: { runAtStart?: boolean } = {},
    ) => jobs.push({ period, run, runAtStart: options.runAtStart }),
  } as unknown as JobScheduler;
  return { counts: new TaskStatusCounts(tasks, scheduler), jobs, release };
}

describe('TaskStatusCounts', () => {
  it('publishes {} until the start-up count is done, then every status in declaration order', async () => {
    const { counts, jobs, release } = setup(
      new Map([
        [TaskStatus.RUNNING, 2],
        [TaskStatus.COMPLETED, 5],
      ]),
    );
    counts.onApplicationBootstrap();
    expect(jobs[0].runAtStart).toBe(true);
    const run = jobs[0].run();
    expect(counts.snapshot()).toEqual({});
    expect(counts.isCounted).toBe(false);
    release();
    await run;
    await counts.whenCounted();
    const snapshot = counts.snapshot();
    expect(Object.keys(snapshot)).toEqual([...TASK_STATUSES]);
    expect(snapshot).toMatchObject({ RECEIVED: 0, RUNNING: 2, COMPLETED: 5, FAILED: 0 });
  });

  it('adds the database counts to the moves made before the count finished', async () => {
    const { counts, release } = setup(new Map([[TaskStatus.RECEIVED, 3]]));
    const counting = counts.countFromDatabase();
    counts.onTaskCreated(2);
    counts.onStatusChanged(TaskStatus.RECEIVED, TaskStatus.INITIALIZING);
    expect(counts.count(TaskStatus.RECEIVED)).toBe(1);
    release();
    await counting;
    expect(counts.snapshot()).toMatchObject({ RECEIVED: 4, INITIALIZING: 1 });
  });

  it('moves one unit from the old status to the new one; creations add to RECEIVED', async () => {
    const { counts, release } = setup(new Map());
    release();
    await counts.countFromDatabase();
    counts.onTaskCreated();
    counts.onTaskCreated(3);
    counts.onStatusChanged(TaskStatus.RECEIVED, TaskStatus.INITIALIZING);
    counts.onStatusChanged(TaskStatus.INITIALIZING, TaskStatus.INITIALIZED);
    counts.onStatusChanged(TaskStatus.INITIALIZED, TaskStatus.INITIALIZED);
    counts.onTaskCreated(0);
    expect(counts.snapshot()).toMatchObject({ RECEIVED: 3, INITIALIZING: 0, INITIALIZED: 1 });
  });

  it('counts only once, and stays {} while the database fails (the job retries)', async () => {
    const failing = setup(new Error('db down'));
    failing.release();
    await expect(failing.counts.countFromDatabase()).rejects.toThrow('db down');
    expect(failing.counts.snapshot()).toEqual({});

    const ok = setup(new Map([[TaskStatus.FAILED, 1]]));
    ok.release();
    await ok.counts.countFromDatabase();
    await ok.counts.countFromDatabase();
    expect(ok.counts.count(TaskStatus.FAILED)).toBe(1);
  });

  it('returns a copy', async () => {
    const { counts, release } = setup(new Map());
    release();
    await counts.countFromDatabase();
    const snapshot = counts.snapshot();
    counts.onTaskCreated();
    expect(snapshot.RECEIVED).toBe(0);
  });
});
