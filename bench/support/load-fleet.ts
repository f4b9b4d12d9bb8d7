// Load generator of bench/worker-load.ts, run in a child process of its own: N simulated workers
// (devstack SimulatedWorker, `pingAndAsk` mode: login, register, R2, push channel, then W3 every
// --ping-ms and R1 with a fixed delay of --ask-ms after each answer) sharing one keep-alive agent.
//   node --import tsx bench/support/load-fleet.ts --url http://127.0.0.1:13000 --workers 2000 \
//     [--ask-ms 1000] [--ping-ms 10000] [--push on|off] [--stagger-ms 5] [--first 0]
// Protocol: prints one JSON line `{"event":"started",...}` once every worker runs; then reads
// commands on stdin: `measure <ms>` (statistics of that window only, printed as one JSON line
// `{"event":"window",...}`) and `stop`.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { workerAccount } from '../../devstack/chain/accounts.js';
import { HttpClient, keepAliveAgent } from '../../devstack/worker/http.js';
import { SimulatedWorker } from '../../devstack/worker/simulated-worker.js';
import { WorkerStats, type WorkerStatsSink } from '../../devstack/worker/stats.js';
import type { PushChannel, PushFactory } from '../../devstack/worker/worker-push.js';
import type { ReplicateStatus } from '../../src/replicate/replicate-status.js';
import { option } from './env.js';

// A generator outliving its bench (killed from outside) would keep a core busy retrying against
// a scheduler that is gone: it leaves as soon as it is re-parented.
const parent = process.ppid;
setInterval(() => process.ppid !== parent && process.exit(1), 1000).unref();

const url = option('url', 'http://127.0.0.1:13000');
const count = option('workers', 2000);
const askMs = option('ask-ms', 1000);
const pingMs = option('ping-ms', 10_000);
const push: string = option('push', 'on');
const staggerMs = option('stagger-ms', 5);
const first = option('first', 0);

/** Statistics of the current window only. */
class WindowStats implements WorkerStatsSink {
  current = new WorkerStats();
  recordHttp(endpoint: string, status: number, durationMs: number): void {
    this.current.recordHttp(endpoint, status, durationMs);
  }
  recordStatus(status: ReplicateStatus): void {
    this.current.recordStatus(status);
  }
  recordStatusPost(): void {
    this.current.recordStatusPost();
  }
  recordTask(outcome: 'started' | 'completed' | 'aborted' | 'dropped'): void {
    this.current.recordTask(outcome);
  }
  recordNotification(): void {
    this.current.recordNotification();
  }
  recordCrash(): void {
    this.current.recordCrash();
  }
  recordError(kind: string): void {
    this.current.recordError(kind);
  }
  snapshot() {
    return this.current.snapshot();
  }
}

const noPush: PushFactory = (): PushChannel => ({
  connect: () => undefined,
  isConnected: () => true,
  waitUntilConnected: async () => undefined,
  subscribe: () => undefined,
  unsubscribe: () => undefined,
  close: async () => undefined,
});

const stats = new WindowStats();
const agent = keepAliveAgent();
const http = new HttpClient({ agent, stats });
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
const emit = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

const started = performance.now();
const workers = Array.from(
  { length: count },
  (_, i) =>
    new SimulatedWorker({
      schedulerUrl: url,
      account: workerAccount(first + i),
      name: `load-${first + i}`,
      mode: 'pingAndAsk',
      pingIntervalMs: pingMs,
      askPeriodMs: askMs,
      http,
      stats,
      push: push === 'off' ? noPush : undefined,
      retryDelayMs: 500,
    }),
);
const accountsMs = performance.now() - started;
const results = await Promise.allSettled(
  workers.map(async (worker, k) => {
    if (k > 0 && staggerMs > 0) await new Promise((r) => setTimeout(r, k * staggerMs));
    await worker.start();
  }),
);
const failures = results.filter((r) => r.status === 'rejected');
emit({
  event: 'started',
  workers: count,
  failures: failures.length,
  firstFailure: failures[0] ? String((failures[0] as PromiseRejectedResult).reason) : undefined,
  accountsMs: Math.round(accountsMs),
  startMs: Math.round(performance.now() - started),
  tasksStarted: stats.snapshot().tasksStarted,
});

async function measure(windowMs: number): Promise<void> {
  const before = stats.snapshot().tasksStarted;
  stats.current = new WorkerStats();
  loop.reset();
  const cpu = process.cpuUsage();
  const from = performance.now();
  await new Promise((r) => setTimeout(r, windowMs));
  const elapsed = performance.now() - from;
  const used = process.cpuUsage(cpu);
  emit({
    event: 'window',
    windowMs: Math.round(elapsed),
    tasksStartedBefore: before,
    ...stats.snapshot(),
    generator: {
      cpuPercent: Math.round(((used.user + used.system) / 1000 / elapsed) * 100),
      eventLoopP99Ms: Math.round(loop.percentile(99) / 1e4) / 100,
      running: workers.filter((w) => w.state === 'running').length,
    },
  });
}

for await (const line of createInterface({ input: process.stdin })) {
  const [command, arg] = line.trim().split(/\s+/);
  if (command === 'measure') await measure(Number(arg));
  if (command === 'stop') break;
}
await Promise.all(workers.map((w) => w.stop().catch(() => undefined)));
agent.destroy();
process.exit(0);
