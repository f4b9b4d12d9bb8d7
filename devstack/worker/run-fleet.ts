// Simulated worker fleet CLI, against a running scheduler and dev chain:
//   npx tsx devstack/worker/run-fleet.ts --scheduler http://127.0.0.1:13000 \
//     --deployment /tmp/deployment.json --workers 5 [--behaviour 1=wrongResult]
//     [--behaviour 2=slow:5000+crashAfter:CONTRIBUTED] [--stake 10000000000] [--mode pingAndAsk]
//     [--rpc http://127.0.0.1:8545] [--result-proxy http://127.0.0.1:13200] [--stats-every 10]
//     [--ping-ms 10000] [--verbose]
// Runs until SIGINT/SIGTERM, printing fleet statistics every --stats-every seconds (JSON lines).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parsePocoDeployment } from '../poco/deployment.js';
import { parseBehaviour } from './behaviours.js';
import { WorkerFleet } from './fleet.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scheduler: { type: 'string', default: 'http://127.0.0.1:13000' },
      deployment: { type: 'string' },
      rpc: { type: 'string' },
      workers: { type: 'string', default: '1' },
      behaviour: { type: 'string', multiple: true, default: [] },
      stake: { type: 'string' },
      mode: { type: 'string', default: 'full' },
      'result-proxy': { type: 'string' },
      'stats-every': { type: 'string', default: '10' },
      'ping-ms': { type: 'string' },
      verbose: { type: 'boolean', default: false },
    },
  });
  const count = Number(values.workers);
  if (!Number.isInteger(count) || count < 1)
    throw new Error('--workers must be a positive integer');
  const mode = values.mode as 'full' | 'pingAndAsk';
  if (mode !== 'full' && mode !== 'pingAndAsk')
    throw new Error('--mode must be full or pingAndAsk');
  const behaviours = new Map<number, string>();
  for (const spec of values.behaviour ?? []) {
    const [index, behaviour] = spec.split(/=(.*)/s, 2);
    parseBehaviour(behaviour); // fail fast on typos
    behaviours.set(Number(index), behaviour);
  }
  const deployment = values.deployment
    ? parsePocoDeployment(readFileSync(values.deployment, 'utf8'))
    : undefined;
  if (!deployment && mode === 'full') throw new Error('--deployment is required in full mode');
  const log = values.verbose ? (line: string) => process.stderr.write(`${line}\n`) : undefined;
  const resultProxy = values['result-proxy'];

  const fleet = new WorkerFleet({
    schedulerUrl: values.scheduler!,
    deployment,
    rpcUrl: values.rpc,
    mode,
    stake: values.stake ? BigInt(values.stake) : undefined,
    behaviour: (i) => behaviours.get(i),
    resultProxyUrl: resultProxy,
    worker: values['ping-ms'] ? { pingIntervalMs: Number(values['ping-ms']) } : {},
    log,
  });
  const workers = await fleet.start(count);
  process.stderr.write(
    `${workers.length} simulated workers on ${values.scheduler}: ` +
      `${workers.map((w) => `${w.name} ${w.wallet} ${w.behaviour.name}`).join(', ')}\n`,
  );
  const every = Number(values['stats-every']) * 1000;
  const timer = every > 0 ? setInterval(() => print(fleet), every) : undefined;
  const shutdown = async () => {
    clearInterval(timer);
    await fleet.stop();
    print(fleet);
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

function print(fleet: WorkerFleet): void {
  process.stdout.write(
    `${JSON.stringify({ at: new Date().toISOString(), ...fleet.snapshot() })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
