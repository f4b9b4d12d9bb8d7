// `npm run chaos`: the outage scenarios of issue 16 on a local chain with 1 s blocks, N tasks
// each (default 20), and the table of what came out. Exits non-zero when a scenario that ran
// lost a task, aborted an honest replicate or sent a second initialize/finalize.
//   npm run chaos -- [--tasks 20] [--only <substring>[,<substring>…]] [--serial]
import { startFerretDb } from '../test/setup/mongo-server.js';
import { BLOCK_MS, runScenario } from './chaos/chaos-run.js';
import { chaosTable, rowVerdict, type ScenarioOutcome } from './chaos/chaos-table.js';
import { chaosScenarios } from './chaos/scenarios.js';
import { startBenchChain } from './support/env.js';
import type { MongoTestServer } from '../devstack/mongo-server.js';

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const tasks = Number(argument('tasks') ?? 20);
const only = argument('only');
const log = (message: string) => process.stderr.write(`[chaos] ${message}\n`);

// Two lanes run side by side (the whole table in under 5 minutes on 2 cores): each has a FerretDB
// of its own (the database row restarts its lane's server, even when MONGO_URL names a real
// MongoDB), and each scenario has its own scheduler, fault proxy, stand-ins and fleet. The chain
// is shared: only the eth_getLogs row acts on it (5,000 blocks mined), which the other lane's
// scheduler simply reads through. `--serial` runs everything in one lane.
const LANES = process.argv.includes('--serial') ? 1 : 2;
const chain = await startBenchChain(10);
const selected = chaosScenarios(tasks)
  .map((scenario, index) => ({ scenario, index }))
  .filter(({ scenario }) => !only || only.split(',').some((part) => scenario.name.includes(part)));
const outcomes: ScenarioOutcome[] = [];
const servers: MongoTestServer[] = [];
try {
  const request = chain.clients.testClient.request as (args: {
    method: string;
    params: unknown[];
  }) => Promise<unknown>;
  await request({ method: 'evm_setAutomine', params: [false] });
  await request({ method: 'evm_setIntervalMining', params: [BLOCK_MS] });
  // Balanced by measured length: SIGKILL ~120 s, the outage ~90 s, the others ~60 s each.
  const SECOND_LANE = [1, 3, 4, 5];
  const lanes = (
    LANES === 1
      ? [selected]
      : [
          selected.filter((s) => !SECOND_LANE.includes(s.index)),
          selected.filter((s) => SECOND_LANE.includes(s.index)),
        ]
  ).filter((lane) => lane.length > 0);
  const results = await Promise.all(
    lanes.map(async (lane) => {
      const mongoServer = await startFerretDb();
      servers.push(mongoServer);
      const done: { index: number; outcome: ScenarioOutcome }[] = [];
      for (const { scenario, index } of lane) {
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
        done.push({ index, outcome });
      }
      return done;
    }),
  );
  outcomes.push(
    ...results
      .flat()
      .sort((a, b) => a.index - b.index)
      .map((r) => r.outcome),
  );
} finally {
  await chain.stop();
  for (const server of servers) await server.stop();
}

process.stdout.write(
  `\nOutage scenarios, ${tasks} tasks each, ${BLOCK_MS / 1000} s blocks, 5 workers:\n\n${chaosTable(outcomes)}\n`,
);
const failed = outcomes.filter(
  (o) => o.skipped === undefined && (!rowVerdict(o).correct || !rowVerdict(o).recoveredInCi),
);
if (failed.length > 0) {
  process.stdout.write(`\nTarget missed: ${failed.map((o) => o.scenario).join('; ')}\n`);
  process.exit(1);
}
process.exit(0);
