import 'reflect-metadata';
import { startFerretDb } from '../test/setup/mongo-server.js';
import { dropDatabase } from '../test/support/mongo.js';
import { startWorkerApp, TEST_SCHEDULER_KEY } from '../test/support/worker-app.js';
import { deriveJwtSecret, signWorkerJwt } from '../src/worker/auth/jwt.js';
import { WorkerLivenessService } from '../src/worker/worker-liveness.service.js';
import { WorkerRepository } from '../src/worker/worker.repository.js';
import { WorkerService } from '../src/worker/worker.service.js';

// Cost of worker liveness and registry reads, side by side in one run:
//  - W3 pings over HTTP (guard + in-memory liveness) vs. an unauthenticated endpoint that does
//    nothing (GET /workers/config) as the HTTP floor, vs. one document write per ping (what the
//    reference does), and the cost of the batched flush that replaces those writes;
//  - cached worker reads (what R1 does on every call) vs. one findOne per read.
//   node --import ./bench/support/ts-register.mjs bench/worker-liveness.ts [workers=200] [calls=2000]

const WORKERS = Number(process.argv[2] ?? 200);
const CALLS = Number(process.argv[3] ?? 2000);
const CONCURRENCY = 50;

async function timed(
  calls: number,
  call: (i: number) => Promise<unknown>,
  concurrency = CONCURRENCY,
) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < calls) {
        const i = next++;
        const t = performance.now();
        await call(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return {
    perSecond: (calls / elapsed) * 1000,
    p50: latencies[Math.floor(calls / 2)],
    p99: latencies[Math.floor(calls * 0.99)],
  };
}

const fmt = (r: { perSecond: number; p50: number; p99: number }) =>
  `${r.perSecond.toFixed(0)}/s (p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms)`;

const mongo = process.env.MONGO_URL ? undefined : await startFerretDb();
const url = new URL(process.env.MONGO_URL ?? mongo!.url);
url.pathname = '/bench_worker_liveness';
const running = await startWorkerApp({
  env: { MONGO_URL: url.toString(), IEXEC_LOG_LEVEL: 'WARN' },
});
try {
  const workers = running.moduleRef.get(WorkerService);
  const repository = running.moduleRef.get(WorkerRepository);
  const liveness = running.moduleRef.get(WorkerLivenessService);
  const secret = deriveJwtSecret(TEST_SCHEDULER_KEY);
  const wallets = Array.from(
    { length: WORKERS },
    (_, i) => `0x${i.toString(16).padStart(40, '0')}`,
  );
  const tokens = wallets.map((walletAddress) =>
    signWorkerJwt(
      {
        walletAddress,
        audience: 'iExec Scheduler v8.5.0',
        issuedAtSeconds: Math.floor(Date.now() / 1000),
        ttlSeconds: 3600,
      },
      secret,
    ),
  );
  await Promise.all(wallets.map((wallet) => workers.register(wallet, { cpuNb: 4 })));
  await liveness.flush();

  const ping = (i: number) =>
    fetch(`${running.baseUrl}/workers/ping`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${tokens[i % WORKERS]}`,
      },
    }).then((r) => r.text());
  const config = () => fetch(`${running.baseUrl}/workers/config`).then((r) => r.text());
  await timed(500, ping); // warm-up
  await timed(500, config);
  const floor = await timed(CALLS, config);
  const http = await timed(CALLS, ping);
  const flushStarted = performance.now();
  await liveness.flush();
  const flushMs = performance.now() - flushStarted;
  // One at a time: FerretDB's SQLite backend answers SQLITE_BUSY to concurrent writers.
  const perPingWrite = await timed(
    CALLS,
    (i) => repository.saveLastAliveDates(new Map([[wallets[i % WORKERS], new Date()]])),
    1,
  );
  const cached = await timed(CALLS * 10, (i) => workers.getWorker(wallets[i % WORKERS]));
  const findOne = await timed(CALLS, (i) => repository.findByWalletAddress(wallets[i % WORKERS]));

  console.log(`${WORKERS} registered workers, ${CALLS} calls, concurrency ${CONCURRENCY}`);
  console.log(`HTTP floor (GET /workers/config, no auth): ${fmt(floor)}`);
  console.log(`W3 ping over HTTP (guard + memory): ${fmt(http)}`);
  console.log(`  ratio: pings ${(http.perSecond / floor.perSecond).toFixed(2)}x the floor`);
  console.log(`one document write per ping (reference), no HTTP, serial: ${fmt(perPingWrite)}`);
  console.log(
    `  ratio: HTTP pings ${(http.perSecond / perPingWrite.perSecond).toFixed(1)}x the per-ping writes`,
  );
  console.log(`batched flush of ${WORKERS} changed pings: ${flushMs.toFixed(1)} ms`);
  console.log(`cached getWorker: ${fmt(cached)}`);
  console.log(`findOne per read: ${fmt(findOne)}`);
  console.log(`  ratio: ${(cached.perSecond / findOne.perSecond).toFixed(0)}x`);
} finally {
  await running.close();
  await dropDatabase(url.toString());
  await mongo?.stop();
}
