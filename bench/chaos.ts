// `npm run chaos`: the outage scenarios of issue 16 on a local chain with 1 s blocks, N tasks
// each (default 20), and the table of what came out. Exits non-zero when a scenario that ran
// lost a task, aborted an honest replicate or sent a second initialize/finalize.
//   npm run chaos -- [--tasks 20] [--only <substring>[,<substring>…]]
import { startFerretDb } from '../test/setup/mongo-server.js';
import { BLOCK_MS, runScenario } from './chaos/chaos-run.js';
import { chaosTable, rowVerdict, type ScenarioOutcome } from './chaos/chaos-table.js';
import { chaosScenarios } from './chaos/scenarios.js';
import { startBenchChain } from './support/env.js';

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const tasks = Number(argument('tasks') ?? 20);
const only = argument('only');
const log = (message: string) => process.stderr.write(`[chaos] ${message}\n`);

// A FerretDB of its own (restarted by a scenario), even when MONGO_URL names a real MongoDB.
const mongoServer = await startFerretDb();
const chain = await startBenchChain(10);
const outcomes: ScenarioOutcome[] = [];
try {
  const request = chain.clients.testClient.request as (args: {
    method: string;
    params: unknown[];
  }) => Promise<unknown>;
  await request({ method: 'evm_setAutomine', params: [false] });
  await request({ method: 'evm_setIntervalMining', params: [BLOCK_MS] });
  for (const scenario of chaosScenarios(tasks)) {
    if (only && !only.split(',').some((part) => scenario.name.includes(part))) continue;
    log(`${scenario.name}…`);
    const outcome = await runScenario(chain, mongoServer, scenario, tasks, log).catch(
      (error: Error): ScenarioOutcome => ({
        scenario: scenario.name,
        tasks,
        completed: 0,
        abortedReplicates: 0,
        initializePerTask: { min: 0, max: 0 },
        finalizePerTask: { min: 0, max: 0 },
        failed: error.message,
        elapsedMs: 0,
      }),
    );
    log(
      `${scenario.name}: ${outcome.completed}/${outcome.tasks} in ${Math.round(outcome.elapsedMs / 1000)} s`,
    );
    outcomes.push(outcome);
  }
} finally {
  await chain.stop();
  await mongoServer.stop();
}

process.stdout.write(
  `\nOutage scenarios, ${tasks} tasks each, ${BLOCK_MS / 1000} s blocks, 5 workers:\n\n${chaosTable(outcomes)}\n`,
);
// A row fails the run (and CI) when it is not correct, or recovers later than its target plus
// RECOVERY_TOLERANCE_MS. Scenarios run one after the other: they share the chain's accounts
// (worker stakes, requester, the scheduler wallet), whose nonces two lanes would race.
const failed = outcomes.filter(
  (o) => o.skipped === undefined && (!rowVerdict(o).correct || !rowVerdict(o).recoveredInCi),
);
if (failed.length > 0) {
  process.stdout.write(`\nTarget missed: ${failed.map((o) => o.scenario).join('; ')}\n`);
  process.exit(1);
}
process.exit(0);
