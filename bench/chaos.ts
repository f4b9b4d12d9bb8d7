// `npm run chaos`: the outage scenarios of issue 16 on a local chain with 1 s blocks, N tasks
// each (default 20), and the table of what came out. Exits non-zero when a scenario that ran
// lost a task, aborted an honest replicate, sent a second initialize/finalize, or recovered
// later than its target plus RECOVERY_TOLERANCE_MS.
//   npm run chaos -- [--tasks 20] [--only <substring>[,<substring>…]] [--lanes N]
// --lanes N splits the scenarios over N child runs, each with its own chain and FerretDB
// (bench/chaos/lanes.ts); --indexes and --json are how a lane is told its share and reports it.
import { writeFileSync } from 'node:fs';
import { startFerretDb } from '../test/setup/mongo-server.js';
import { BLOCK_MS, runScenario } from './chaos/chaos-run.js';
import { chaosTable, rowVerdict, type ScenarioOutcome } from './chaos/chaos-table.js';
import { partitionLanes, runLanes } from './chaos/lanes.js';
import { chaosScenarios } from './chaos/scenarios.js';
import { startBenchChain } from './support/env.js';

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const tasks = Number(argument('tasks') ?? 20);
const only = argument('only');
const lanes = Number(argument('lanes') ?? 1);
const indexes = argument('indexes')?.split(',').map(Number);
const json = argument('json');
const log = (message: string) => process.stderr.write(`[chaos] ${message}\n`);

const started = Date.now();
const scenarios = chaosScenarios(tasks)
  .map((scenario, index) => ({ scenario, index }))
  .filter(
    ({ scenario, index }) =>
      (!only || only.split(',').some((part) => scenario.name.includes(part))) &&
      (!indexes || indexes.includes(index)),
  );

let outcomes: ScenarioOutcome[];
if (lanes > 1) {
  const split = partitionLanes(
    scenarios.map(({ scenario }) => scenario.expectedSeconds),
    lanes,
  ).map((lane) => lane.map((i) => scenarios[i].index));
  log(`${split.length} lanes: ${split.map((lane) => lane.join(',')).join(' | ')}`);
  outcomes = await runLanes(split, tasks, log);
} else {
  outcomes = await runSerially();
}

async function runSerially(): Promise<ScenarioOutcome[]> {
  // A FerretDB of its own (restarted by a scenario), even when MONGO_URL names a real MongoDB.
  const mongoServer = await startFerretDb();
  const chain = await startBenchChain(10);
  const done: { index: number; outcome: ScenarioOutcome }[] = [];
  try {
    const request = chain.clients.testClient.request as (args: {
      method: string;
      params: unknown[];
    }) => Promise<unknown>;
    await request({ method: 'evm_setAutomine', params: [false] });
    await request({ method: 'evm_setIntervalMining', params: [BLOCK_MS] });
    for (const { scenario, index } of scenarios) {
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
  } finally {
    await chain.stop();
    await mongoServer.stop();
    if (json) writeFileSync(json, JSON.stringify(done));
  }
  return done.map((d) => d.outcome);
}

process.stdout.write(
  `\nOutage scenarios, ${tasks} tasks each, ${BLOCK_MS / 1000} s blocks, 5 workers:\n\n${chaosTable(outcomes)}\n`,
);
process.stdout.write(
  `\nWhole run: ${((Date.now() - started) / 60_000).toFixed(1)} min (${lanes > 1 ? `${lanes} lanes` : 'serial'})\n`,
);
// A row fails the run (and CI) when it is not correct, or recovers later than its target plus
// RECOVERY_TOLERANCE_MS.
const failed = outcomes.filter(
  (o) => o.skipped === undefined && (!rowVerdict(o).correct || !rowVerdict(o).recoveredInCi),
);
if (failed.length > 0) {
  process.stdout.write(`\nTarget missed: ${failed.map((o) => o.scenario).join('; ')}\n`);
  process.exit(1);
}
process.exit(0);
