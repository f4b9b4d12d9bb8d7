import { TaskUpdateQueue } from '../../../src/task/update/task-update-queue.js';
import { TaskStatus } from '../../../src/task/task-status.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('TaskUpdateQueue', () => {
  it('never runs two updates of the same task at once, and loses no request', async () => {
    let concurrent = 0;
    let maxConcurrent = 0;
    let runs = 0;
    const queue = new TaskUpdateQueue(async () => {
      concurrent++;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      await sleep(10);
      concurrent--;
      runs++;
    }, 8);
    queue.publish('0xa');
    await sleep(2);
    // requests arriving during the run: merged into exactly one more run
    queue.publish('0xa');
    queue.publish('0xa');
    await queue.idle();
    expect(maxConcurrent).toBe(1);
    expect(runs).toBe(2);
  });

  it('runs different tasks in parallel up to the concurrency bound', async () => {
    let concurrent = 0;
    let maxConcurrent = 0;
    const queue = new TaskUpdateQueue(async () => {
      concurrent++;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      await sleep(10);
      concurrent--;
    }, 3);
    for (let i = 0; i < 10; i++) queue.publish(`0x${i}`);
    expect(queue.depth).toBe(7);
    await queue.idle();
    expect(maxConcurrent).toBe(3);
  });

  it('merges a request for a task already waiting', () => {
    const queue = new TaskUpdateQueue(() => sleep(5), 1);
    expect(queue.publish('0x1')).toBe(true); // runs
    expect(queue.publish('0x2')).toBe(true); // waits
    expect(queue.publish('0x2')).toBe(false); // merged
    expect(queue.depth).toBe(1);
  });

  it('refuses an empty id', () => {
    const queue = new TaskUpdateQueue(async () => undefined, 1);
    expect(queue.publish('')).toBe(false);
  });

  it('orders waiting tasks by status (COMPLETED first) then earliest contribution deadline', async () => {
    const order: string[] = [];
    const queue = new TaskUpdateQueue(async (id) => {
      order.push(id);
      await sleep(1);
    }, 1);
    queue.publish('blocker');
    const d = (s: number) => new Date(1_000_000 + s);
    queue.publish('initializing', { status: TaskStatus.INITIALIZING, contributionDeadline: d(1) });
    queue.publish('running-late', { status: TaskStatus.RUNNING, contributionDeadline: d(9) });
    queue.publish('initialized', { status: TaskStatus.INITIALIZED, contributionDeadline: d(1) });
    queue.publish('completed', { status: TaskStatus.COMPLETED, contributionDeadline: d(5) });
    queue.publish('running-early', { status: TaskStatus.RUNNING, contributionDeadline: d(2) });
    queue.publish('consensus', {
      status: TaskStatus.CONSENSUS_REACHED,
      contributionDeadline: d(3),
    });
    await queue.idle();
    expect(order).toEqual([
      'blocker',
      'completed',
      'consensus',
      'running-early',
      'running-late',
      'initialized',
      'initializing',
    ]);
  });

  it('keeps going after a failing update', async () => {
    const errors: string[] = [];
    let ran = false;
    const queue = new TaskUpdateQueue(
      async (id) => {
        if (id === 'bad') throw new Error('boom');
        ran = true;
      },
      1,
      (id) => errors.push(id),
    );
    queue.publish('bad');
    queue.publish('good');
    await queue.idle();
    expect(errors).toEqual(['bad']);
    expect(ran).toBe(true);
  });

  it('stop waits for running updates and refuses new requests', async () => {
    let finished = false;
    const queue = new TaskUpdateQueue(async () => {
      await sleep(20);
      finished = true;
    }, 1);
    queue.publish('0x1');
    queue.publish('0x2');
    await queue.stop();
    expect(finished).toBe(true);
    expect(queue.publish('0x3')).toBe(false);
    expect(queue.depth).toBe(0);
  });
});
