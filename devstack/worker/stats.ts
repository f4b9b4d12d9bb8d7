// Aggregate statistics of simulated workers (one instance per fleet, or per worker): calls and
// latencies per endpoint, statuses sent, task outcomes, errors. Cheap enough for benchmarks.
import type { ReplicateStatus } from '../../src/replicate/replicate-status.js';
import type { HttpStatsSink } from './http.js';

export interface LatencySummary {
  count: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Keeps every sample up to `capacity`, then a uniform reservoir of that size. */
export class LatencyRecorder {
  private readonly samples: number[] = [];
  private seen = 0;
  private sum = 0;
  private max = 0;

  constructor(private readonly capacity = 50_000) {}

  record(ms: number): void {
    this.seen++;
    this.sum += ms;
    if (ms > this.max) this.max = ms;
    if (this.samples.length < this.capacity) {
      this.samples.push(ms);
    } else {
      const slot = Math.floor(Math.random() * this.seen);
      if (slot < this.capacity) this.samples[slot] = ms;
    }
  }

  summary(): LatencySummary {
    const sorted = [...this.samples].sort((a, b) => a - b);
    const at = (q: number) =>
      sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    const round = (n: number) => Math.round(n * 100) / 100;
    return {
      count: this.seen,
      meanMs: round(this.seen === 0 ? 0 : this.sum / this.seen),
      p50Ms: round(at(0.5)),
      p95Ms: round(at(0.95)),
      p99Ms: round(at(0.99)),
      maxMs: round(this.max),
    };
  }
}

export interface EndpointStats {
  calls: number;
  /** transport failures and statuses ≥ 400 */
  errors: number;
  /** HTTP status → count (0: no answer) */
  byStatus: Record<string, number>;
  latency: LatencySummary;
}

export interface WorkerStatsSnapshot {
  endpoints: Record<string, EndpointStats>;
  /** Accepted R3 reports by status (one per report, whatever the number of posts). */
  statusesSent: Record<string, number>;
  /** R3 posts in total, re-posts included. */
  statusPosts: number;
  tasksStarted: number;
  tasksCompleted: number;
  tasksAborted: number;
  tasksDropped: number;
  notificationsReceived: number;
  crashes: number;
  errors: Record<string, number>;
}

export interface WorkerStatsSink extends HttpStatsSink {
  recordStatus(status: ReplicateStatus): void;
  recordStatusPost(): void;
  recordTask(outcome: 'started' | 'completed' | 'aborted' | 'dropped'): void;
  recordNotification(): void;
  recordCrash(): void;
  recordError(kind: string): void;
  snapshot(): WorkerStatsSnapshot;
}

export class WorkerStats implements WorkerStatsSink {
  private readonly endpoints = new Map<
    string,
    { calls: number; errors: number; byStatus: Map<number, number>; latency: LatencyRecorder }
  >();
  private readonly statuses = new Map<string, number>();
  private readonly errors = new Map<string, number>();
  private statusPosts = 0;
  private readonly tasks = { started: 0, completed: 0, aborted: 0, dropped: 0 };
  private notifications = 0;
  private crashes = 0;

  recordHttp(endpoint: string, status: number, durationMs: number): void {
    let entry = this.endpoints.get(endpoint);
    if (!entry) {
      entry = { calls: 0, errors: 0, byStatus: new Map(), latency: new LatencyRecorder() };
      this.endpoints.set(endpoint, entry);
    }
    entry.calls++;
    if (status === 0 || status >= 400) entry.errors++;
    entry.byStatus.set(status, (entry.byStatus.get(status) ?? 0) + 1);
    entry.latency.record(durationMs);
  }

  recordStatus(status: ReplicateStatus): void {
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
  }

  recordStatusPost(): void {
    this.statusPosts++;
  }

  recordTask(outcome: 'started' | 'completed' | 'aborted' | 'dropped'): void {
    this.tasks[outcome]++;
  }

  recordNotification(): void {
    this.notifications++;
  }

  recordCrash(): void {
    this.crashes++;
  }

  recordError(kind: string): void {
    this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1);
  }

  snapshot(): WorkerStatsSnapshot {
    const endpoints: Record<string, EndpointStats> = {};
    for (const [name, e] of [...this.endpoints].sort(([a], [b]) => a.localeCompare(b))) {
      endpoints[name] = {
        calls: e.calls,
        errors: e.errors,
        byStatus: Object.fromEntries([...e.byStatus].map(([s, n]) => [String(s), n])),
        latency: e.latency.summary(),
      };
    }
    return {
      endpoints,
      statusesSent: Object.fromEntries(this.statuses),
      statusPosts: this.statusPosts,
      tasksStarted: this.tasks.started,
      tasksCompleted: this.tasks.completed,
      tasksAborted: this.tasks.aborted,
      tasksDropped: this.tasks.dropped,
      notificationsReceived: this.notifications,
      crashes: this.crashes,
      errors: Object.fromEntries(this.errors),
    };
  }
}
