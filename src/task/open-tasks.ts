import { SUPPLY_STATUSES, TaskStatus } from './task-status.js';

/** What the supply needs to know of a task to list and order it. */
export interface OpenTask {
  readonly chainTaskId: string;
  readonly currentStatus: TaskStatus;
  readonly contributionDeadline: Date;
}

/**
 * The tasks open to replicate supply (INITIALIZED or RUNNING), kept in memory from the writes of
 * this process after one read of the database. Workers' asks list them every half second; a
 * query by status makes FerretDB decode every task ever stored (~0.5 ms each), and a real
 * MongoDB answer it from an index, but from here the list is free and never older than the last
 * write. As for the document cache, a workerpool has one scheduler: tasks written by anything
 * else are not seen.
 *
 * A write made while the seeding read is in flight is replayed over its result; a write whose
 * outcome is unknown (it threw) drops everything, and the next list reads the database again.
 */
export class OpenTasks<T extends OpenTask> {
  private open?: Map<string, T>;
  private seeding?: Promise<void>;
  /** Writes made while the seeding read is in flight: chainTaskId → the task, or null (closed). */
  private duringSeed?: Map<string, T | null>;
  private generation = 0;

  constructor(private readonly loadOpen: () => Promise<T[]>) {}

  /** A write of `task` succeeded: `task` is its state after the write (kept as is, not copied). */
  written(task: T): void {
    const value = SUPPLY_STATUSES.includes(task.currentStatus) ? task : null;
    this.duringSeed?.set(task.chainTaskId, value);
    if (!this.open) return;
    if (value) this.open.set(task.chainTaskId, value);
    else this.open.delete(task.chainTaskId);
  }

  /** A write whose outcome is unknown: the next list reads the database. */
  reset(): void {
    this.generation++;
    this.open = undefined;
  }

  /** The open tasks, in no order; the objects are shared: read them, do not change them. */
  async list(): Promise<readonly Readonly<T>[]> {
    while (!this.open) {
      this.seeding ??= this.seed().finally(() => (this.seeding = undefined));
      await this.seeding;
    }
    return [...this.open.values()];
  }

  private async seed(): Promise<void> {
    const generation = this.generation;
    const during = new Map<string, T | null>();
    this.duringSeed = during;
    try {
      const loaded = await this.loadOpen();
      if (generation !== this.generation) return; // a reset meanwhile: read again
      const open = new Map(loaded.map((t) => [t.chainTaskId, t]));
      for (const [id, task] of during) {
        if (task) open.set(id, task);
        else open.delete(id);
      }
      this.open = open;
    } finally {
      if (this.duringSeed === during) this.duringSeed = undefined;
    }
  }
}

/**
 * worker-api.md §5.3: the tasks a worker's ask considers, best first — contribution deadline
 * ahead, RUNNING before INITIALIZED (the status name descending, as the Java query sorts), then
 * the earliest contribution deadline.
 */
export function supplyCandidates<T extends OpenTask>(open: readonly T[], now: Date): T[] {
  return open
    .filter((t) => t.contributionDeadline.getTime() > now.getTime())
    .sort(
      (a, b) =>
        (a.currentStatus < b.currentStatus ? 1 : a.currentStatus > b.currentStatus ? -1 : 0) ||
        a.contributionDeadline.getTime() - b.contributionDeadline.getTime(),
    );
}
