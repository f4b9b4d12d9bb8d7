import { SchedulerRegistry } from '@nestjs/schedule';
import { JobScheduler } from '../../../src/common/jobs/job-scheduler.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('JobScheduler', () => {
  let scheduler: JobScheduler;
  beforeEach(() => {
    scheduler = new JobScheduler(new SchedulerRegistry());
  });
  afterEach(async () => {
    await scheduler.beforeApplicationShutdown();
  });

  it('never overlaps a job with itself even when the period is shorter than a run', async () => {
    let concurrent = 0;
    let maxConcurrent = 0;
    let runs = 0;
    scheduler.register(
      'slow',
      5,
      async () => {
        concurrent++;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        await sleep(30);
        concurrent--;
        runs++;
      },
      { runAtStart: true },
    );
    // Until a few runs are done, however slow the box (a fixed 130 ms saw one run under load).
    for (let waited = 0; runs < 3 && waited < 5000; waited += 10) await sleep(10);
    expect(maxConcurrent).toBe(1);
    expect(runs).toBeGreaterThanOrEqual(3);
  });

  it('runs once more after the current run when triggered during it, not once per trigger', async () => {
    let runs = 0;
    scheduler.register('job', 60_000, async () => {
      runs++;
      await sleep(20);
    });
    scheduler.trigger('job');
    scheduler.trigger('job');
    scheduler.trigger('job');
    await sleep(80);
    expect(runs).toBe(2);
  });

  it('runs a run-once job exactly once and waits for it at shutdown', async () => {
    let runs = 0;
    let finished = false;
    scheduler.runOnce('sweep', async () => {
      runs++;
      await sleep(30);
      finished = true;
    });
    await scheduler.beforeApplicationShutdown();
    expect(finished).toBe(true);
    await sleep(50);
    expect(runs).toBe(1);
  });

  it('keeps running after a failing run', async () => {
    let runs = 0;
    scheduler.register('flaky', 10, async () => {
      runs++;
      throw new Error('boom');
    });
    // polled, not one fixed sleep: a loaded CI box can delay a 10 ms timer past 45 ms
    for (let waited = 0; runs < 2 && waited < 2000; waited += 10) await sleep(10);
    expect(runs).toBeGreaterThanOrEqual(2);
  });

  it('waits for the in-flight run at shutdown and runs nothing afterwards', async () => {
    let finished = false;
    let runs = 0;
    scheduler.register(
      'long',
      5,
      async () => {
        runs++;
        await sleep(40);
        finished = true;
      },
      { runAtStart: true },
    );
    await sleep(5);
    await scheduler.beforeApplicationShutdown();
    expect(finished).toBe(true);
    const after = runs;
    await sleep(30);
    expect(runs).toBe(after);
  });
});
