// Boot-to-healthy time and idle RSS of the built scheduler (`node dist/main.js`). The scheduler
// needs a chain to be healthy: a local chain with PoCo is started here, with a workerpool owned
// by the dev scheduler role and its keystore (writeSchedulerWallet); Mongo is MONGO_URL or a
// FerretDB started here. Baseline measured in the same run: a bare `node -e` process reaching a
// listening HTTP server (boot), and its RSS once idle.
//   npm run bench:boot [-- --runs 5]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSchedulerWallet } from '../devstack/wallet.js';
import { freePort } from '../test/setup/mongo-server.js';
import { spawnScheduler, waitForStatus } from '../test/support/process.js';
import { schedulerEnv } from '../test/support/scheduler.js';
import {
  list,
  machineLine,
  median,
  ms,
  option,
  startBenchChain,
  startBenchMongo,
} from './support/env.js';

const RUNS = option('runs', 5);
const IDLE_MS = 3000;

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function baseline(): Promise<{ bootMs: number; rss: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [
    '-e',
    `require('http').createServer((q,s)=>s.end('ok')).listen(${port})`,
  ]);
  await waitForStatus(`http://127.0.0.1:${port}/`, 200, 10000);
  const bootMs = performance.now() - started;
  await new Promise((r) => setTimeout(r, IDLE_MS));
  const rss = rssMb(child.pid!);
  child.kill();
  return { bootMs, rss };
}

const mongoServer = await startBenchMongo();
const chain = await startBenchChain();
const workerpool = await chain.fixtures.createWorkerpool();
const walletDir = mkdtempSync(join(tmpdir(), 'iexec-bench-wallet-'));
const wallet = writeSchedulerWallet(join(walletDir, 'scheduler.json'));
const boots: number[] = [];
const reboots: number[] = [];
const rss: number[] = [];
const baseBoots: number[] = [];
const baseRss: number[] = [];
try {
  for (let run = 0; run < RUNS; run++) {
    const base = await baseline();
    baseBoots.push(base.bootMs);
    baseRss.push(base.rss);
    const port = await freePort();
    const mongoUrl = new URL(mongoServer.url);
    mongoUrl.pathname = `/bench_boot_${run}`;
    const env = schedulerEnv(chain, workerpool, wallet.path, mongoUrl.toString());
    // First boot on an empty database (collections and indexes created), then a restart on it.
    for (const times of [boots, reboots]) {
      const started = performance.now();
      const scheduler = spawnScheduler({
        ...env,
        IEXEC_CORE_PORT: String(port),
        IEXEC_LOG_LEVEL: process.env.BOOT_LOG_LEVEL ?? 'WARN',
      });
      try {
        await waitForStatus(`http://127.0.0.1:${port}/actuator/health`, 200, 30000);
      } catch (error) {
        console.error(scheduler.output());
        throw error;
      }
      times.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, IDLE_MS));
      if (times === boots) rss.push(rssMb(scheduler.child.pid!));
      if (process.env.BOOT_LOG_LEVEL) console.error(scheduler.output());
      scheduler.child.kill('SIGTERM');
      await scheduler.exited;
    }
  }
} finally {
  rmSync(walletDir, { recursive: true, force: true });
  await chain.stop();
  await mongoServer.stop();
}

console.log(`\n${await machineLine()} | mongo: ${mongoServer.kind}`);
console.log(`${RUNS} runs; RSS read ${IDLE_MS / 1000} s after healthy / listening`);
console.log('| measurement | median | runs |');
console.log('| --- | --- | --- |');
console.log(
  `| scheduler first boot to healthy (200 on /actuator/health), empty database | ${ms(median(boots))} | ${list(boots)} |`,
);
console.log(
  `| scheduler restart to healthy, same database | ${ms(median(reboots))} | ${list(reboots)} |`,
);
console.log(
  `| bare node http server boot to listening | ${ms(median(baseBoots))} | ${list(baseBoots)} |`,
);
console.log(`| scheduler idle RSS | ${median(rss).toFixed(0)} MB | ${list(rss)} |`);
console.log(
  `| bare node http server idle RSS | ${median(baseRss).toFixed(0)} MB | ${list(baseRss)} |`,
);
console.log(
  `ratios: boot ${(median(boots) / median(baseBoots)).toFixed(1)}x, RSS ${(median(rss) / median(baseRss)).toFixed(1)}x the bare node server`,
);
