// Boot-to-healthy time and idle RSS of the built scheduler (`node dist/main.js`), against the
// Mongo-wire server (MONGO_URL, or a FerretDB started here). Prints a baseline measured in the
// same run: a bare `node -e` process reaching a listening HTTP server.
//   npm run build && npx tsx bench/boot.ts [runs=5]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startFerretDb, freePort } from '../test/setup/mongo-server.js';
import { spawnScheduler, waitForStatus } from '../test/support/process.js';

const runs = Number(process.argv[2] ?? 5);

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function baselineMs(): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [
    '-e',
    `require('http').createServer((q,s)=>s.end('ok')).listen(${port})`,
  ]);
  await waitForStatus(`http://127.0.0.1:${port}/`, 200, 10000);
  const elapsed = performance.now() - started;
  child.kill();
  return elapsed;
}

const mongo = process.env.MONGO_URL ? undefined : await startFerretDb();
const mongoUrl = process.env.MONGO_URL ?? mongo!.url;
const boots: number[] = [];
const rss: number[] = [];
const base: number[] = [];
for (let i = 0; i < runs; i++) {
  base.push(await baselineMs());
  const port = await freePort();
  const started = performance.now();
  const scheduler = spawnScheduler({
    MONGO_URL: mongoUrl,
    IEXEC_CORE_PORT: String(port),
    IEXEC_LOG_LEVEL: 'WARN',
  });
  await waitForStatus(`http://127.0.0.1:${port}/actuator/health`, 200, 20000);
  boots.push(performance.now() - started);
  await new Promise((r) => setTimeout(r, 3000)); // idle
  rss.push(rssMb(scheduler.child.pid!));
  scheduler.child.kill('SIGTERM');
  await scheduler.exited;
}
await mongo?.stop();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  `boot-to-healthy median ${median(boots).toFixed(0)} ms (runs: ${boots.map((b) => b.toFixed(0)).join(', ')})`,
);
console.log(
  `bare node http server median ${median(base).toFixed(0)} ms; ratio ${(median(boots) / median(base)).toFixed(1)}x`,
);
console.log(`idle RSS median ${median(rss).toFixed(0)} MB`);
