// Worker protocol under load (issue "Worker protocol"): N simulated workers in `pingAndAsk` mode
// (login, register, R2, push channel, then W3 ping every --ping-ms and R1 /replicates/available
// with a fixed delay of --ask-ms after each answer) against ONE scheduler, and in the same run
// the same load generator against a bare Fastify hello-world (the ceiling). The load generator
// runs in a child process; the scheduler runs in this process (idle apart from it).
//   node --import ./bench/support/ts-register.mjs bench/worker-load.ts [--workers 2000]
//     [--ask-ms 1000] [--ping-ms 10000] [--window-s 30] [--warmup-s 10] [--open-tasks 20]
// Target: R1 p99 < 50 ms at 2 000 asks/s on 2 cores.
import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { environmentVariables } from '../src/config/load-config.js';
import { TaskRepository } from '../src/task/task.repository.js';
import type { WorkerStatsSnapshot } from '../devstack/worker/stats.js';
import { eventually, FAST_SCHEDULER_ENV, startScheduler } from '../test/support/scheduler.js';
import { machineLine, option, startBenchChain, startBenchMongo } from './support/env.js';

const WORKERS = option('workers', 2000);
const ASK_MS = option('ask-ms', 1000);
const PING_MS = option('ping-ms', 10_000);
const WINDOW_S = option('window-s', 30);
const WARMUP_S = option('warmup-s', 10);
const OPEN_TASKS = option('open-tasks', 20);
// Worker start pace: registration is a database write, and FerretDB takes ~100 writes/s.
const STAGGER_MS = option('stagger-ms', 50);
const ONLY = option<string>('only', 'hello,scheduler,open-tasks').split(',');

type Window = WorkerStatsSnapshot & {
  windowMs: number;
  generator: { cpuPercent: number; eventLoopP99Ms: number; running: number };
};
interface Row {
  scenario: string;
  window: Window;
  serverCpuPercent: number;
  serverLoopP99Ms?: number;
}

/** CPU time (ms) used so far by a process, from /proc. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, 100 Hz
}

function child(
  script: string,
  args: string[],
): { proc: ChildProcess; lines: AsyncIterator<string> } {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'support', script), ...args],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: proc.stdout! })[Symbol.asyncIterator]();
  return { proc, lines };
}

async function nextLine(lines: AsyncIterator<string>, what: string): Promise<string> {
  const { value, done } = await lines.next();
  if (done) throw new Error(`${what}: the child process ended`);
  return value;
}

/** Starts the load generator against `url`, lets it warm up, measures one window. */
async function measure(
  scenario: string,
  url: string,
  serverPid: number,
  push: 'on' | 'off',
): Promise<Row> {
  const fleet = child('load-fleet.ts', [
    ...['--url', url, '--workers', String(WORKERS), '--ask-ms', String(ASK_MS)],
    ...['--ping-ms', String(PING_MS), '--push', push, '--stagger-ms', String(STAGGER_MS)],
  ]);
  try {
    const started = JSON.parse(await nextLine(fleet.lines, scenario));
    console.error(`[${scenario}] ${JSON.stringify(started)}`);
    if (started.failures > 0)
      console.error(`[${scenario}] ${started.failures} worker(s) failed to start`);
    await new Promise((r) => setTimeout(r, WARMUP_S * 1000));
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const cpuBefore = cpuMs(serverPid);
    const from = performance.now();
    fleet.proc.stdin!.write(`measure ${WINDOW_S * 1000}\n`);
    const window = JSON.parse(await nextLine(fleet.lines, scenario)) as Window;
    const serverCpuPercent = ((cpuMs(serverPid) - cpuBefore) / (performance.now() - from)) * 100;
    loop.disable();
    fleet.proc.stdin!.write('stop\n');
    // Each row as soon as it is measured (a full run takes a while).
    console.error(`[${scenario}] measured: ${JSON.stringify(window.endpoints)}`);
    return {
      scenario,
      window,
      serverCpuPercent,
      serverLoopP99Ms: serverPid === process.pid ? loop.percentile(99) / 1e6 : undefined,
    };
  } catch (error) {
    fleet.proc.kill('SIGTERM');
    throw error;
  } finally {
    await new Promise((r) => (fleet.proc.exitCode !== null ? r(0) : fleet.proc.once('exit', r)));
  }
}

function printRows(rows: Row[]): void {
  const f = (x: number | undefined, d = 1) => (x === undefined ? '–' : x.toFixed(d));
  console.log(
    '| scenario | R1 asks/s | R1 p50 ms | R1 p99 ms | R1 non-2xx | W3 pings/s | W3 p50 ms | W3 p99 ms | replicates given | server CPU % | server loop p99 ms | generator CPU % | generator loop p99 ms |',
  );
  console.log('| --- | ' + Array(12).fill('---').join(' | ') + ' |');
  for (const { scenario, window: w, serverCpuPercent, serverLoopP99Ms } of rows) {
    const r1 = w.endpoints['R1 available'];
    const w3 = w.endpoints['W3 ping'];
    const s = w.windowMs / 1000;
    console.log(
      `| ${scenario} | ${f(r1.calls / s, 0)} | ${f(r1.latency.p50Ms)} | ${f(r1.latency.p99Ms)} | ${r1.errors} | ` +
        `${f((w3?.calls ?? 0) / s, 0)} | ${f(w3?.latency.p50Ms)} | ${f(w3?.latency.p99Ms)} | ${w.tasksStarted} | ` +
        `${f(serverCpuPercent, 0)} | ${f(serverLoopP99Ms)} | ${w.generator.cpuPercent} | ${w.generator.eventLoopP99Ms} |`,
    );
  }
}

const rows: Row[] = [];
if (ONLY.includes('hello')) {
  const hello = child('hello-fastify.ts', ['--ask-ms', String(ASK_MS)]);
  const port = Number((await nextLine(hello.lines, 'hello')).split(' ')[1]);
  rows.push(
    await measure(
      'Fastify hello-world (ceiling)',
      `http://127.0.0.1:${port}`,
      hello.proc.pid!,
      'off',
    ),
  );
  hello.proc.kill('SIGTERM');
}

if (ONLY.some((s) => s.startsWith('scheduler') || s === 'open-tasks')) {
  const mongoServer = await startBenchMongo();
  const chain = await startBenchChain(WORKERS);
  const workerpool = await chain.fixtures.createWorkerpool();
  // Production periods for the detectors (the test defaults run them every second).
  const defaults = new Map(environmentVariables().map((d) => [d.name, d.default ?? '']));
  const production = Object.fromEntries(
    Object.keys(FAST_SCHEDULER_ENV)
      .filter((k) => k.startsWith('CRON_') || k === 'REVEAL_TIMEOUT_PERIOD')
      .map((k) => [k, defaults.get(k)!]),
  );
  const scheduler = await startScheduler(chain, workerpool, {
    env: {
      ...production,
      IEXEC_ASK_REPLICATE_PERIOD: String(ASK_MS),
      IEXEC_LOG_LEVEL: 'ERROR',
      // All simulated workers log in from 127.0.0.1: one client to the anonymous rate limit.
      IEXEC_ANONYMOUS_RATE_LIMIT: '0',
    },
  });
  try {
    const url = scheduler.baseUrl;
    if (ONLY.includes('scheduler'))
      rows.push(
        await measure(
          'scheduler, no task, push off (same load as the ceiling)',
          url,
          process.pid,
          'off',
        ),
      );
    if (ONLY.includes('scheduler-push'))
      rows.push(await measure('scheduler, no task, push channel on', url, process.pid, 'on'));
    if (ONLY.includes('open-tasks') && OPEN_TASKS > 0) {
      // Worst case: open tasks that need no more contribution. The first asks take one replicate
      // of each (trust 1: one contribution expected), then every other ask scans them all.
      const deal = await chain.fixtures.createDeal({
        workerpool,
        volume: OPEN_TASKS,
        trust: 1,
        category: 1,
        appPrice: 0n,
        workerpoolPrice: 0n,
      });
      const tasks = scheduler.get(TaskRepository);
      await eventually(
        async () =>
          (await tasks.findSupplyCandidates(new Date())).filter(
            (t) => t.chainDealId === deal.dealId,
          ).length === OPEN_TASKS,
        120_000,
        `${OPEN_TASKS} tasks INITIALIZED`,
      );
      rows.push(
        await measure(
          `scheduler, ${OPEN_TASKS} open tasks needing no contribution, push on`,
          url,
          process.pid,
          'on',
        ),
      );
    }
  } finally {
    await scheduler.close();
    await chain.stop();
    await mongoServer.stop();
  }
}

console.log(`\n${await machineLine()}`);
console.log(
  `${WORKERS} workers, ask every ${ASK_MS} ms after each answer (IEXEC_ASK_REPLICATE_PERIOD=${ASK_MS}), ` +
    `ping every ${PING_MS} ms; warm-up ${WARMUP_S} s, window ${WINDOW_S} s; load generator in a child process`,
);
printRows(rows);
const hello = rows.find((r) => r.scenario.startsWith('Fastify'));
for (const row of rows.filter((r) => r !== hello)) {
  const r1 = row.window.endpoints['R1 available'];
  const ratio = hello
    ? ` (hello-world p99 ${hello.window.endpoints['R1 available'].latency.p99Ms} ms)`
    : '';
  console.log(
    `${row.scenario}: R1 p99 ${r1.latency.p99Ms} ms ${r1.latency.p99Ms < 50 ? '<' : '≥'} 50 ms target${ratio}`,
  );
}
process.exit(0);
