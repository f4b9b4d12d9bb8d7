import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';

export interface JobOptions {
  /** Run once right away (as Spring's fixed-rate jobs do), then every period. */
  runAtStart?: boolean;
}

interface Job {
  name: string;
  run: () => Promise<void>;
  running?: Promise<void>;
  rerun: boolean;
  stopped: boolean;
}

/**
 * Periodic jobs (detectors, pollers, purges) that never overlap themselves: a tick that finds the
 * previous run still going is skipped, and `trigger` during a run schedules exactly one more run
 * afterwards. Stops every job and waits for in-flight runs at shutdown, before any
 * `onApplicationShutdown` hook runs (the MongoDB connection closes in one of those).
 */
@Injectable()
export class JobScheduler implements BeforeApplicationShutdown {
  private readonly logger = new Logger(JobScheduler.name);
  private readonly jobs = new Map<string, Job>();

  constructor(private readonly registry: SchedulerRegistry) {}

  register(
    name: string,
    periodMs: number,
    run: () => Promise<void>,
    options: JobOptions = {},
  ): void {
    if (this.jobs.has(name)) throw new Error(`job ${name} already registered`);
    const job: Job = { name, run, rerun: false, stopped: false };
    this.jobs.set(name, job);
    this.registry.addInterval(
      name,
      setInterval(() => void this.tick(job, false), periodMs),
    );
    if (options.runAtStart) void this.tick(job, false);
  }

  /** A job run once, now (a start-up sweep); shutdown still waits for it. */
  runOnce(name: string, run: () => Promise<void>): void {
    if (this.jobs.has(name)) throw new Error(`job ${name} already registered`);
    const job: Job = { name, run, rerun: false, stopped: false };
    this.jobs.set(name, job);
    void this.tick(job, false);
  }

  /** Runs the job now, or right after the current run if one is in flight. */
  trigger(name: string): void {
    const job = this.jobs.get(name);
    if (job) void this.tick(job, true);
  }

  isRunning(name: string): boolean {
    return this.jobs.get(name)?.running !== undefined;
  }

  private async tick(job: Job, requested: boolean): Promise<void> {
    if (job.stopped) return;
    if (job.running) {
      if (requested) job.rerun = true;
      return;
    }
    job.running = (async () => {
      do {
        job.rerun = false;
        try {
          await job.run();
        } catch (error) {
          this.logger.error(
            `Job ${job.name} failed: ${(error as Error).message}`,
            (error as Error).stack,
          );
        }
      } while (job.rerun && !job.stopped);
    })();
    try {
      await job.running;
    } finally {
      job.running = undefined;
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const job of this.jobs.values()) {
      job.stopped = true;
      if (this.registry.getIntervals().includes(job.name)) this.registry.deleteInterval(job.name);
    }
    await Promise.all([...this.jobs.values()].map((j) => j.running));
  }
}
