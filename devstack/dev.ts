// `npm run dev`: the whole workerpool on this machine. A local chain with PoCo v6, the Mongo-wire
// server, stand-ins for the iExec services, the scheduler (the built dist/main.js, configured
// mostly by its defaults), a demo deal and a few simulated workers; prints the deal's progress and
// runs until Ctrl-C, then stops everything.
//
//   npm run dev [-- --workers 3 --volume 3 --trust 1 --tee none|scone|gramine|tdx --free-ports
//                   --replicas 2]
//
// `--replicas 2`: two schedulers on the same database behind devstack/ready-forwarder.ts (on the
// scheduler port): one leads, the other waits as standby; kill the leader (its pid is printed)
// and watch the other take over; a replica that exits is started again, as a standby.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { workerAccount } from './chain/accounts.js';
import { startLocalChain, type LocalChain } from './chain/local-chain.js';
import { freePort, startFerretDb, waitForPort } from './mongo-server.js';
import { PocoFixtures } from './poco/fixtures.js';
import { TAG } from './poco/orders.js';
import { startServiceStandIns, type ServiceStandIns } from './services/index.js';
import { writeSchedulerWallet } from './wallet.js';
import { LocalEnclaveSigner } from './worker/enclave-signer.js';
import { WorkerFleet } from './worker/fleet.js';
import { watchDeal } from './dev-progress.js';
import { startReadyForwarder } from './ready-forwarder.js';

const root = join(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    workers: { type: 'string', default: '3' },
    volume: { type: 'string', default: '3' },
    trust: { type: 'string', default: '1' },
    tee: { type: 'string', default: 'none' },
    'free-ports': { type: 'boolean', default: false },
    replicas: { type: 'string', default: '1' },
  },
});

const say = (line: string) => process.stdout.write(`[dev] ${line}\n`);

/**
 * `--tee`: the demo deal's tag and what the simulated workers register with. TDX workers are
 * TDX only (`tdxEnabled`, iexec-core 9.2), Scone and Gramine ones SGX only (`teeEnabled`).
 */
const TEE_MODES = {
  none: { tag: TAG.STANDARD, capabilities: {} },
  scone: { tag: TAG.TEE_SCONE, capabilities: { teeEnabled: true, tdxEnabled: false } },
  gramine: { tag: TAG.TEE_GRAMINE, capabilities: { teeEnabled: true, tdxEnabled: false } },
  tdx: { tag: TAG.TEE_TDX, capabilities: { teeEnabled: false, tdxEnabled: true } },
} as const;
const teeMode = TEE_MODES[values.tee as keyof typeof TEE_MODES];
if (!teeMode) {
  say(`--tee ${values.tee}: expected one of ${Object.keys(TEE_MODES).join(', ')}`);
  process.exit(2);
}
const cleanups: (() => Promise<unknown> | void)[] = [];

async function port(fixed: number): Promise<number> {
  return values['free-ports'] ? freePort() : fixed;
}

async function buildScheduler(): Promise<void> {
  say('building the scheduler (npm run build)…');
  await run('npm', ['run', 'build', '--silent']);
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited ${code}`)),
    );
  });
}

function startScheduler(
  env: Record<string, string>,
  schedulerPort: number,
  name = 'scheduler',
  onExit?: () => void,
): ChildProcess {
  const child = spawn(process.execPath, [join(root, 'dist', 'main.js')], {
    cwd: root,
    env: { ...process.env, ...env, IEXEC_CORE_PORT: String(schedulerPort) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n'))
      if (line.trim()) process.stdout.write(`[${name}] ${line}\n`);
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  child.once('exit', (code, signal) => {
    if (stopping) return;
    if (onExit) {
      say(`${name} (pid ${child.pid}) exited (${code ?? signal})`);
      return onExit();
    }
    say(`the scheduler exited (${code ?? signal}); stopping the stack`);
    void stop(1);
  });
  say(`${name} starting on http://127.0.0.1:${schedulerPort} (pid ${child.pid})`);
  return child;
}

function stopScheduler(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    // Its graceful shutdown takes ~1 s; a stuck one must not keep the stack from stopping.
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * `--replicas n`: n schedulers on ports after the scheduler port, the forwarder on it; one that
 * exits (killed, or 75: lease lost) is started again, as a supervisor would.
 */
const RESTART_AFTER_MS = 10_000;
async function startReplicas(
  env: Record<string, string>,
  schedulerPort: number,
  count: number,
): Promise<void> {
  const ports: number[] = [];
  for (let i = 1; i <= count; i++) ports.push(await port(schedulerPort + 10 + i));
  const children = new Map<number, ChildProcess>();
  const launch = (i: number) => {
    const child = startScheduler(env, ports[i], `scheduler-${i + 1}`, () => {
      // Later than a takeover (lease 5s + 1s): back as the standby, not retaking its own lease.
      setTimeout(() => !stopping && launch(i), RESTART_AFTER_MS);
    });
    children.set(i, child);
  };
  ports.forEach((_, i) => launch(i));
  cleanups.push(() => Promise.all([...children.values()].map(stopScheduler)));
  const forwarder = await startReadyForwarder({
    replicas: ports.map((p) => `http://127.0.0.1:${p}`),
    port: schedulerPort,
    onLeader: (replica) => {
      const i = replica ? ports.findIndex((p) => replica.endsWith(`:${p}`)) : -1;
      say(
        i < 0
          ? 'no scheduler replica is ready (a standby takes over when the lease runs out)'
          : `scheduler-${i + 1} (${replica}, pid ${children.get(i)?.pid}) leads; kill -9 ${children.get(i)?.pid} to watch a takeover`,
      );
    },
  });
  cleanups.push(() => forwarder.stop());
  say(`forwarder to the ready replica on http://127.0.0.1:${schedulerPort}`);
  const deadline = Date.now() + 30_000;
  while (!forwarder.current() && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 100));
  if (!forwarder.current()) throw new Error('no scheduler replica became ready within 30 s');
}

let stopping = false;
async function stop(code = 0): Promise<never> {
  stopping = true;
  say('stopping…');
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch (error) {
      say(`clean-up failed: ${(error as Error).message}`);
    }
  }
  process.exit(code);
}

async function main(): Promise<void> {
  // Signals that come while stopping (tsx relays them, a second Ctrl-C) wait for the clean-up:
  // the default handler would exit at once and leave FerretDB and the chain node running.
  const onSignal = () => (stopping ? say('still stopping…') : void stop());
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const cache = join(root, '.cache', 'devstack');
  mkdirSync(cache, { recursive: true });
  if (!existsSync(join(root, 'dist', 'main.js')) || process.env.IEXEC_DEV_REBUILD !== '0')
    await buildScheduler();

  const mongoPort = await port(13002);
  const [mongo, chain] = await Promise.all([
    startFerretDb({ port: mongoPort }),
    startLocalChain({ port: await port(8545), workerCount: 20 }),
  ]);
  cleanups.push(
    () => mongo.stop(),
    () => (chain as LocalChain).stop(),
  );
  say(`MongoDB-wire server (FerretDB) on 127.0.0.1:${mongoPort}`);
  say(`chain ${chain.chainId} on ${chain.rpcUrl}, PoCo hub ${chain.deployment.hub}`);

  const services: ServiceStandIns = await startServiceStandIns({
    deployment: chain.deployment,
    freePorts: values['free-ports'],
    blockTime: 1,
  });
  cleanups.push(() => services.stop());
  for (const [name, url] of Object.entries(services.urls)) say(`${name} stand-in on ${url}`);

  const fixtures = new PocoFixtures(chain.deployment);
  const workerpool = await fixtures.createWorkerpool({
    description: 'iexec-core-ts dev workerpool',
  });
  const wallet = writeSchedulerWallet(join(cache, 'scheduler-wallet.json'));
  const schedulerPort = await port(13000);
  const env: Record<string, string> = {
    ...services.env,
    IEXEC_CORE_PORT: String(schedulerPort),
    MONGO_URL: mongo.url,
    IEXEC_PRIVATE_CHAIN_ADDRESS: chain.rpcUrl,
    POOL_ADDRESS: workerpool,
    IEXEC_CORE_WALLET_PATH: wallet.path,
    IEXEC_CORE_WALLET_PASSWORD: wallet.password,
    // An automining chain has no block while idle: no staleness check.
    IEXEC_CHAIN_HEALTH_MAX_BLOCK_AGE: '0',
    IEXEC_CORE_MANAGEMENT_ACTUATORS: '*',
    IEXEC_LOG_LEVEL: process.env.IEXEC_LOG_LEVEL ?? 'INFO',
    // Readable lines for a person at a terminal; production keeps the JSON default.
    IEXEC_LOG_FORMAT: process.env.IEXEC_LOG_FORMAT ?? 'text',
  };
  say('scheduler environment (point a scheduler of your own at the same stack with these):');
  for (const [key, value] of Object.entries(env)) process.stdout.write(`    ${key}=${value}\n`);
  const replicas = Number(values.replicas);
  if (!Number.isInteger(replicas) || replicas < 1) {
    say(`--replicas ${values.replicas}: expected a positive integer`);
    return stop(2);
  }
  if (replicas === 1) {
    const scheduler = startScheduler(env, schedulerPort);
    cleanups.push(() => stopScheduler(scheduler));
  } else await startReplicas(env, schedulerPort, replicas);
  await waitForPort(schedulerPort, 30000);
  // iExec SDK 9 finds the scheduler of a workerpool through Compass
  services.compass.register(workerpool, `http://127.0.0.1:${schedulerPort}`);

  const workerCount = Number(values.workers);
  const fleet = new WorkerFleet({
    schedulerUrl: `http://127.0.0.1:${schedulerPort}`,
    deployment: chain.deployment,
    resultProxyUrl: services.resultProxy.url,
    enclaveSigner: LocalEnclaveSigner.ofStandIns(services),
    stake: 100_000_000_000n,
    worker: { pingIntervalMs: 5000, ...teeMode.capabilities },
  });
  cleanups.push(() => fleet.stop());
  await fleet.start(workerCount);
  say(`${workerCount} simulated workers started${values.tee === 'none' ? '' : ` (${values.tee})`}`);

  const deal = await fixtures.createDeal({
    workerpool,
    volume: Number(values.volume),
    trust: Number(values.trust),
    tag: teeMode.tag,
    params: { iexec_args: 'hello from npm run dev' },
    workers: Array.from({ length: workerCount }, (_, i) => workerAccount(i)),
  });
  say(
    `demo deal ${deal.dealId} matched in block ${deal.blockNumber} (${deal.taskIds.length} tasks, trust ${values.trust}, tag 0x${teeMode.tag.toString(16)})`,
  );
  await watchDeal(`http://127.0.0.1:${schedulerPort}`, deal.taskIds, say);
  say('demo deal done; the stack keeps running (Ctrl-C to stop)');
  const configServer = values['free-ports'] ? ` --config-server ${services.urls.configServer}` : '';
  say(
    `a deal made with the iExec SDK: npm run sdk:deal -- --workerpool ${workerpool}${configServer}`,
  );
}

main().catch(async (error: unknown) => {
  say(`failed: ${(error as Error).stack ?? String(error)}`);
  await stop(1);
});
