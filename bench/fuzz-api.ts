// `npm run fuzz:api` (issue 18 §4): schemathesis against /v3/api-docs on the dev stack (chain
// with PoCo, FerretDB, the service stand-ins, a scheduler with a completed demo deal), the
// guarded routes with a valid worker JWT and the admin token. Bounded in examples and time.
// Fails on a 5xx, a crash, health not UP after, or any task or replicate document changed.
//   SCHEMATHESIS=<venv>/bin/st node --import ./bench/support/ts-register.mjs bench/fuzz-api.ts
//     [--max-examples 25] [--max-time-s 60] [--seed 1]
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { mongo } from 'mongoose';
import { workerAccount } from '../devstack/chain/accounts.js';
import { signLoginChallenge } from '../devstack/worker/protocol.js';
import { HttpSchedulerApi } from '../devstack/worker/scheduler-api.js';
import { mongoUrlDatabase } from '../src/config/app-config.js';
import { startStack } from '../test/support/stack.js';
import { machineLine, option, startBenchChain, startBenchMongo } from './support/env.js';
import {
  countsSince,
  EXCLUDED_OPERATIONS,
  FATAL_CHECKS,
  MIN_FUZZ_REQUESTS,
  requestsByStatus,
  UNCHANGED_COLLECTIONS,
  withoutBanner,
} from './support/fuzz-rules.js';

const MAX_EXAMPLES = option('max-examples', 25);
const MAX_TIME_S = option('max-time-s', 60);
const SEED = option('seed', 1);
const ADMIN_TOKEN = 'fuzz-admin-token-of-at-least-24-chars';
const st = process.env.SCHEMATHESIS ?? 'st';

/** Every document of the compared collections, in a stable order. */
async function dump(mongoUrl: string): Promise<Record<string, unknown[]>> {
  const client = new mongo.MongoClient(mongoUrl);
  try {
    const db = client.db(mongoUrlDatabase(mongoUrl));
    const out: Record<string, unknown[]> = {};
    for (const name of UNCHANGED_COLLECTIONS)
      out[name] = await db.collection(name).find().sort({ _id: 1 }).toArray();
    return out;
  } finally {
    await client.close();
  }
}

async function workerJwt(baseUrl: string): Promise<string> {
  const api = new HttpSchedulerApi(baseUrl);
  // Not one of the demo deal's workers: its replicates stay theirs.
  const account = workerAccount(7);
  const challenge = await api.getChallenge(account.address);
  if (!challenge.ok) throw new Error(`no login challenge: ${challenge.status} ${challenge.error}`);
  const jwt = await api.login(account.address, await signLoginChallenge(account, challenge.value));
  if (!jwt.ok) throw new Error(`login refused: ${jwt.status} ${jwt.error}`);
  return jwt.value;
}

/** Runs `st` in `cwd`: its `.schemathesis` cache (crashes to replay) stays out of the repository. */
function runSchemathesis(
  args: string[],
  cwd: string,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(st, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let pending = '';
    const take = (b: Buffer) => {
      const lines = (pending + b.toString()).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) emit(line);
    };
    const emit = (line: string) => {
      const plain = withoutBanner(line);
      output += plain + '\n';
      process.stderr.write(plain + '\n');
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.once('error', reject);
    child.once('exit', (code) => {
      if (pending !== '') emit(pending);
      resolve({ code, output });
    });
  });
}

/** The phase in progress, named by the watchdog. */
let phase = 'starting the stack';
// A hung stack piece must fail CI, not hold it: the whole run takes ~70 s.
const watchdog = setTimeout(() => {
  console.error(`FAILED: fuzz:api still ${phase} after 5 minutes`);
  process.exit(1);
}, 300_000);
watchdog.unref();

async function main(): Promise<void> {
  const started = Date.now();
  console.log(await machineLine());
  const mongoServer = await startBenchMongo();
  const chain = await startBenchChain(10);
  const stack = await startStack(chain, {
    env: {
      IEXEC_CORE_ADMIN_TOKEN: ADMIN_TOKEN,
      IEXEC_ANONYMOUS_RATE_LIMIT: '0',
      IEXEC_CORE_MANAGEMENT_ACTUATORS: 'health,info,prometheus,metrics',
    },
  });
  const dir = mkdtempSync(join(tmpdir(), 'iexec-fuzz-'));
  const problems: string[] = [];
  try {
    const base = stack.scheduler.baseUrl;
    phase = 'running the demo deal';
    // The demo deal, completed, so there are tasks and replicates to keep unchanged.
    await stack.startWorkers(1);
    const deal = await chain.fixtures.createDeal({
      workerpool: stack.workerpool,
      volume: 2,
      trust: 1,
      workers: stack.workers(1),
    });
    const tasks = await stack.waitForDeal(deal.dealId, 90_000);
    await stack.fleet?.stop();
    console.log(`demo deal ${deal.dealId}: ${tasks.map((t) => t.currentStatus).join(', ')}`);

    phase = 'fuzzing';
    const jwt = await workerJwt(base);
    const before = await dump(stack.scheduler.mongoUrl);
    const requestsBefore = requestsByStatus(
      await (await fetch(`${base}/actuator/prometheus`)).text(),
    );
    const config = join(dir, 'schemathesis.toml');
    writeFileSync(
      config,
      [
        '[auth.openapi.worker-jwt]',
        `bearer = "${jwt}"`,
        '[auth.openapi.admin-token]',
        `bearer = "${ADMIN_TOKEN}"`,
        '',
      ].join('\n'),
    );
    const fuzzStarted = Date.now();
    const { code, output } = await runSchemathesis(
      [
        '--config-file',
        config,
        'run',
        `${base}/v3/api-docs`,
        '--checks',
        FATAL_CHECKS.join(','),
        '--max-examples',
        String(MAX_EXAMPLES),
        '--max-time',
        String(MAX_TIME_S),
        '--seed',
        String(SEED),
        '--phases',
        'examples,coverage,fuzzing',
        '--workers',
        '2',
        '--request-timeout',
        '10',
        '--generation-database',
        'none',
        '--no-color',
        ...EXCLUDED_OPERATIONS.flatMap((o) => ['--exclude-path', o.path]),
      ],
      dir,
    );
    const fuzzMs = Date.now() - fuzzStarted;
    // Exit 1 is a failed check or an error of the tool itself: on Python 3.11 hypothesis now and
    // then dies describing a `pattern` strategy ("Runtime Error: AST constructor recursion depth
    // mismatch"), which says nothing about the scheduler. Failed checks fail the run; tool errors
    // are reported. The 5xx count below does not depend on schemathesis.
    const failedChecks = /^\s*Failures:/m.test(output);
    const toolErrors = /Runtime Error: (\d+)/.exec(output)?.[1];
    if (failedChecks || (code !== 0 && toolErrors === undefined))
      problems.push(`schemathesis exited with ${code}`);
    else if (toolErrors !== undefined)
      console.log(
        `schemathesis: ${toolErrors} runtime error(s) of its own (not answers), see above`,
      );

    const requests = countsSince(
      requestsBefore,
      requestsByStatus(await (await fetch(`${base}/actuator/prometheus`)).text()),
    );
    const sent = [...requests.values()].reduce((a, b) => a + b, 0);
    if (sent < MIN_FUZZ_REQUESTS)
      problems.push(`only ${sent} requests reached the scheduler (at least ${MIN_FUZZ_REQUESTS})`);
    const serverErrors = [...requests].filter(([s]) => s >= 500);
    if (serverErrors.length > 0) problems.push(`5xx answered: ${JSON.stringify(serverErrors)}`);
    const health = await fetch(`${base}/actuator/health`);
    const healthBody = (await health.json()) as { status: string };
    if (healthBody.status !== 'UP') problems.push(`health after fuzzing: ${healthBody.status}`);
    const after = await dump(stack.scheduler.mongoUrl);
    for (const name of UNCHANGED_COLLECTIONS) {
      if (before[name].length === 0) problems.push(`${name}: empty before fuzzing`);
      if (!isDeepStrictEqual(before[name], after[name]))
        problems.push(`${name}: changed by the fuzzing`);
    }

    // Schemathesis's own closing block (warnings, failures, test cases).
    const lines = output.split('\n');
    const from = lines.findIndex((l) => /^(Warnings|Failures|Errors):/.test(l.trim()));
    const summary = (from >= 0 ? lines.slice(from) : lines.slice(-8)).filter(
      (l) => l.trim() !== '',
    );
    console.log('\n== fuzz:api summary');
    console.log(summary.join('\n'));
    console.log(
      `requests by status: ${[...requests].map(([s, n]) => `${s}×${n}`).join(' ')} ` +
        `(${sent} in ${(fuzzMs / 1000).toFixed(1)} s)`,
    );
    console.log(
      `documents compared: ${UNCHANGED_COLLECTIONS.map((n) => `${n} ${before[n].length}`).join(', ')}; health ${healthBody.status}`,
    );
  } finally {
    phase = 'stopping the stack';
    const stopping = Date.now();
    await stack.stop();
    console.log(`stack stopped in ${Date.now() - stopping} ms`);
    await chain.stop();
    await mongoServer.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`total ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (problems.length > 0) {
    console.log(`FAILED:\n- ${problems.join('\n- ')}`);
    process.exit(1);
  }
  console.log('OK: no 5xx, health UP, tasks and replicates unchanged');
  process.exit(0);
}

await main();
