// What the benchmarks share: a Mongo-wire server (MONGO_URL, or a FerretDB started here), a local
// dev chain with PoCo (each bench starts its own, so runs never interfere), statistics and
// argument parsing.
import { devRoles } from '../../devstack/chain/accounts.js';
import { createChainClients } from '../../devstack/chain/clients.js';
import { startLocalChain, type LocalChain } from '../../devstack/chain/local-chain.js';
import { chainControl } from '../../devstack/chain/test-client.js';
import { PocoFixtures } from '../../devstack/poco/fixtures.js';
import { startFerretDb } from '../../test/setup/mongo-server.js';
import type { TestChain } from '../../test/support/chain.js';

// Children (FerretDB, the chain) are stopped on SIGINT/SIGTERM too, so an interrupted bench
// leaves nothing running.
const cleanups = new Set<() => Promise<void>>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void Promise.allSettled([...cleanups].map((stop) => stop())).then(() => process.exit(130));
  });
}
function onExit(stop: () => Promise<void>): () => Promise<void> {
  cleanups.add(stop);
  return async () => {
    cleanups.delete(stop);
    await stop();
  };
}

export interface BenchMongo {
  url: string;
  /** 'ferretdb' when started here, 'MONGO_URL' otherwise. */
  kind: string;
  stop(): Promise<void>;
}

/**
 * MONGO_URL, or a FerretDB started for this run. Also sets `process.env.MONGO_URL`, which the
 * test helpers reused here (isolatedMongoUrl) read.
 */
export async function startBenchMongo(): Promise<BenchMongo> {
  if (process.env.MONGO_URL) {
    return { url: process.env.MONGO_URL, kind: 'MONGO_URL', stop: async () => undefined };
  }
  const ferret = await startFerretDb();
  process.env.MONGO_URL = ferret.url;
  return { url: ferret.url, kind: 'FerretDB 1.24 (SQLite)', stop: onExit(() => ferret.stop()) };
}

export type BenchChain = TestChain & { local: LocalChain; stop(): Promise<void> };

/** A dev chain with PoCo, `workerCount` funded worker accounts, and the test-helper view of it. */
export async function startBenchChain(workerCount = 50): Promise<BenchChain> {
  const local = await startLocalChain({ workerCount, readyTimeoutMs: 120_000 });
  const clients = createChainClients(local.deployment);
  return {
    local,
    deployment: local.deployment,
    rpcUrl: local.rpcUrl,
    chainId: local.chainId,
    clients,
    fixtures: new PocoFixtures(local.deployment, clients),
    control: chainControl(clients),
    roles: devRoles(),
    stop: onExit(() => local.stop()),
  };
}

/** Detector and job periods long enough that none of them runs during a measurement. */
export const QUIET_DETECTORS = Object.fromEntries(
  [
    'CRON_DEAL_REPLAY',
    'CRON_DETECTOR_WORKERLOST',
    'CRON_DETECTOR_CHAIN_UNSTARTEDTX',
    'CRON_DETECTOR_CHAIN_INITIALIZE',
    'CRON_DETECTOR_CHAIN_CONTRIBUTE',
    'CRON_DETECTOR_CHAIN_CONSENSUSREACHED',
    'CRON_DETECTOR_CHAIN_REVEAL',
    'CRON_DETECTOR_CHAIN_CONTRIBUTEANDFINALIZE',
    'CRON_DETECTOR_CHAIN_FINALIZE',
    'CRON_DETECTOR_CHAIN_FINALDEADLINE',
    'CRON_DETECTOR_TIMEOUT_CONTRIBUTE',
    'REVEAL_TIMEOUT_PERIOD',
    'CRON_DETECTOR_TIMEOUT_RESULTUPLOAD',
    'CRON_METRICS_REFRESH_PERIOD',
  ].map((name) => [name, '3600000']),
);

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Nearest-rank percentile (q in 0..1) of unsorted samples. */
export function percentile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export const ms = (x: number, digits = 0) => `${x.toFixed(digits)} ms`;
export const list = (xs: readonly number[], digits = 0) =>
  xs.map((x) => x.toFixed(digits)).join(', ');

/** `--name value` / `--name=value` options with numeric or string defaults. */
export function option<T extends string | number>(name: string, fallback: T): T {
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    let value: string | undefined;
    if (arg === `--${name}`) value = argv[i + 1];
    else if (arg.startsWith(`--${name}=`)) value = arg.slice(name.length + 3);
    if (value === undefined) continue;
    if (typeof fallback === 'number') {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got ${value}`);
      return n as T;
    }
    return value as T;
  }
  return fallback;
}

/** One line describing the machine and its load when the bench ran. */
export async function machineLine(): Promise<string> {
  const os = await import('node:os');
  const [l1, l5] = os.loadavg();
  return (
    `${new Date().toISOString()} | ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}) | ` +
    `load avg ${l1.toFixed(2)} / ${l5.toFixed(2)} | node ${process.version}`
  );
}
