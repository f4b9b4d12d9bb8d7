import { compareTaskUpdatePriority } from '../rules/task-transitions.js';
import { TaskStatus } from '../task-status.js';

export interface UpdatePriority {
  status?: TaskStatus;
  contributionDeadline?: Date;
}

interface Entry {
  chainTaskId: string;
  priority: UpdatePriority;
  seq: number;
}

export type TaskUpdateHandler = (chainTaskId: string) => Promise<void>;

/**
 * The task update engine's scheduling (task-lifecycle.md §6), without the Java request loss:
 * - at most one update per task runs at a time; a request for a task being updated is not
 *   dropped but runs once more right after;
 * - a request for a task already waiting is merged with it;
 * - at most `concurrency` updates run at once; waiting tasks go by higher status ordinal first,
 *   then earlier contribution deadline, then arrival (a binary heap: a 10 000-task deal publishes
 *   10 000 requests at once, and a linear scan per start made draining them quadratic).
 */
export class TaskUpdateQueue {
  private readonly waiting = new EntryHeap();
  private readonly waitingIds = new Set<string>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly rerun = new Map<string, UpdatePriority>();
  private seq = 0;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly handler: TaskUpdateHandler,
    private readonly concurrency: number,
    private readonly onError: (chainTaskId: string, error: unknown) => void = () => undefined,
  ) {}

  get depth(): number {
    return this.waiting.length;
  }

  get inFlight(): number {
    return this.running.size;
  }

  /** Returns false when the request was merged into one already waiting or rerunning. */
  publish(chainTaskId: string, priority: UpdatePriority = {}): boolean {
    if (this.stopped || !chainTaskId) return false;
    if (this.running.has(chainTaskId)) {
      const merged = !this.rerun.has(chainTaskId);
      this.rerun.set(chainTaskId, priority);
      return merged;
    }
    if (this.waitingIds.has(chainTaskId)) return false;
    this.waiting.push({ chainTaskId, priority, seq: this.seq++ });
    this.waitingIds.add(chainTaskId);
    this.pump();
    return true;
  }

  /** Resolves once nothing waits and nothing runs (tests, shutdown). */
  idle(): Promise<void> {
    if (this.waiting.length === 0 && this.running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops taking requests and waits for the running updates. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.waiting.clear();
    this.waitingIds.clear();
    this.rerun.clear();
    await Promise.all(this.running.values());
  }

  private pump(): void {
    while (this.running.size < this.concurrency && this.waiting.length > 0) {
      const entry = this.waiting.pop()!;
      this.waitingIds.delete(entry.chainTaskId);
      this.start(entry.chainTaskId);
    }
    if (this.waiting.length === 0 && this.running.size === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      waiters.forEach((w) => w());
    }
  }

  private start(chainTaskId: string): void {
    const run = (async () => {
      try {
        await this.handler(chainTaskId);
      } catch (error) {
        this.onError(chainTaskId, error);
      }
    })();
    this.running.set(chainTaskId, run);
    void run.then(() => {
      this.running.delete(chainTaskId);
      const again = this.rerun.get(chainTaskId);
      if (again !== undefined) {
        this.rerun.delete(chainTaskId);
        if (!this.stopped) {
          this.waiting.push({ chainTaskId, priority: again, seq: this.seq++ });
          this.waitingIds.add(chainTaskId);
        }
      }
      this.pump();
    });
  }
}

/** Negative when `a` must run before `b`: the engine's priority, then arrival. */
function compareEntries(a: Entry, b: Entry): number {
  return compareTaskUpdatePriority(a.priority, b.priority) || a.seq - b.seq;
}

/** Binary min-heap of entries by {@link compareEntries} (seq makes the order total). */
class EntryHeap {
  private readonly items: Entry[] = [];

  get length(): number {
    return this.items.length;
  }

  clear(): void {
    this.items.length = 0;
  }

  push(entry: Entry): void {
    const items = this.items;
    let i = items.push(entry) - 1;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (compareEntries(items[i], items[up]) >= 0) break;
      [items[i], items[up]] = [items[up], items[i]];
      i = up;
    }
  }

  pop(): Entry | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    items[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let best = i;
      if (left < items.length && compareEntries(items[left], items[best]) < 0) best = left;
      if (right < items.length && compareEntries(items[right], items[best]) < 0) best = right;
      if (best === i) return top;
      [items[i], items[best]] = [items[best], items[i]];
      i = best;
    }
  }
}
