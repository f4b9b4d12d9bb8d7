// The image smoke test's second half (scripts/image-smoke.sh builds the image first): boots the
// image on host networking against the dev stack (local chain with PoCo, the Mongo-wire server,
// the service stand-ins, adapter writer as in production) and checks what an operator relies on:
// it becomes healthy, runs as a non-root user, reads its mounted keystore, runs a one-task deal
// to COMPLETED with a simulated worker, and stops cleanly and quickly on SIGTERM. Exits non-zero
// on the first failed check, with the container's logs.
//
//   tsx devstack/image-smoke.ts --image iexec-core-ts:smoke [--docker /usr/bin/docker]
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import type { Address } from 'viem';
import { startLocalChain } from './chain/local-chain.js';
import { freePort, startFerretDb } from './mongo-server.js';
import { workerAccount } from './chain/accounts.js';
import type { PocoDeployment } from './poco/deployment.js';
import { PocoFixtures } from './poco/fixtures.js';
import { startServiceStandIns, type ServiceStandIns } from './services/index.js';
import { writeSchedulerWallet } from './wallet.js';
import { LocalEnclaveSigner } from './worker/enclave-signer.js';
import { WorkerFleet } from './worker/fleet.js';

const { values } = parseArgs({
  options: {
    image: { type: 'string', default: 'iexec-core-ts:smoke' },
    docker: { type: 'string', default: 'docker' },
  },
});
const image = values.image;
const exec = promisify(execFile);
const say = (line: string) => process.stdout.write(`[image-smoke] ${line}\n`);
const docker = async (...args: string[]) =>
  (await exec(values.docker, args, { maxBuffer: 64 * 1024 * 1024 })).stdout.trim();
const cleanups: (() => Promise<unknown>)[] = [];

/** The uid of the image's user: the keystore mount must be readable by it. */
const IMAGE_UID = 1000;
const WALLET_IN_IMAGE = '/iexec/wallet/encrypted-wallet.json';
/** docker stop's grace period; a clean stop takes a small part of it. */
const STOP_GRACE_S = 30;
const STOP_MAX_MS = 10_000;

let passed = 0;
function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`FAILED: ${what}`);
  passed += 1;
  say(`ok: ${what}`);
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>) {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return { value, ms: Math.round(performance.now() - started) };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`FAILED: ${what} within ${timeoutMs} ms`);
}

async function main(): Promise<void> {
  const started = performance.now();
  const [mongo, chain] = await Promise.all([
    startFerretDb({ port: await freePort() }),
    startLocalChain({ workerCount: 2 }),
  ]);
  cleanups.push(
    () => mongo.stop(),
    () => chain.stop(),
  );
  const services = await startServiceStandIns({
    deployment: chain.deployment,
    freePorts: true,
    blockTime: 1,
  });
  cleanups.push(() => services.stop());
  const fixtures = new PocoFixtures(chain.deployment);
  const pool = await fixtures.createWorkerpool();
  const dir = mkdtempSync(join(tmpdir(), 'iexec-image-smoke-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  const wallet = writeSchedulerWallet(join(dir, 'wallet.json'));
  // As the README asks of operators: root-owned, readable by the image's group only.
  chownSync(wallet.path, 0, IMAGE_UID);
  chmodSync(wallet.path, 0o440);
  say(`dev stack up in ${Math.round(performance.now() - started)} ms: chain ${chain.rpcUrl}`);

  const port = await freePort();
  const env: Record<string, string> = {
    ...services.env,
    MONGO_URL: mongo.url,
    IEXEC_CORE_PORT: String(port),
    POOL_ADDRESS: pool,
    IEXEC_CORE_WALLET_PATH: WALLET_IN_IMAGE,
    IEXEC_CORE_WALLET_PASSWORD: wallet.password,
    // An automining chain has no block while idle.
    IEXEC_CHAIN_HEALTH_MAX_BLOCK_AGE: '0',
    IEXEC_CORE_MANAGEMENT_ACTUATORS: 'health,info,prometheus',
    IEXEC_ASK_REPLICATE_PERIOD: '1000',
  };
  const name = `iexec-core-ts-smoke-${process.pid}`;
  // The image's own HEALTHCHECK command, run every second here instead of every 30 s.
  await docker(
    'run',
    '--detach',
    '--name',
    name,
    '--network',
    'host',
    '--health-interval',
    '1s',
    '--volume',
    `${wallet.path}:${WALLET_IN_IMAGE}:ro`,
    ...Object.entries(env).flatMap(([key, value]) => ['--env', `${key}=${value}`]),
    image,
  );
  cleanups.push(() => docker('rm', '--force', name));
  const base = `http://127.0.0.1:${port}`;
  try {
    await checkRunning(name, base);
    await checkDeal(base, { deployment: chain.deployment, fixtures, pool, services });
    await checkStop(name);
  } catch (error) {
    const logs = await exec(values.docker, ['logs', '--tail', '60', name]).catch(() => undefined);
    if (logs) process.stdout.write(`--- container logs ---\n${logs.stdout}${logs.stderr}`);
    throw error;
  }
  const labels = JSON.parse(
    await docker('image', 'inspect', '--format', '{{json .Config.Labels}}', image),
  ) as Record<string, string> | null;
  const oci = Object.keys(labels ?? {}).filter((key) =>
    key.startsWith('org.opencontainers.image.'),
  );
  check(
    labels?.['org.opencontainers.image.title'] === 'iexec-core-ts',
    `OCI labels (${oci.length})`,
  );
  const bytes = Number(await docker('image', 'inspect', '--format', '{{.Size}}', image));
  say(`image ${image}: ${(bytes / 2 ** 20).toFixed(1)} MiB`);
  say(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

async function checkRunning(name: string, base: string): Promise<void> {
  const health = await waitFor('GET /actuator/health answers 200', 60_000, async () => {
    const res = await fetch(`${base}/actuator/health`);
    return res.status === 200 ? ((await res.json()) as { status: string }) : undefined;
  });
  check(health.value.status === 'UP', `healthy (/actuator/health UP) ${health.ms} ms after start`);
  const info = (await (await fetch(`${base}/actuator/info`)).json()) as {
    build?: { name: string };
  };
  check(info.build?.name === 'iexec-core-ts', '/actuator/info names the build (package.json)');
  // The OpenAPI document and Swagger UI, its assets from dist/swagger-ui (no node_modules).
  const apiDocs = await fetch(`${base}/v3/api-docs`);
  const uiPage = await fetch(`${base}/swagger-ui/index.html`);
  const uiBundle = await fetch(`${base}/swagger-ui/swagger-ui-bundle.js`);
  check(
    apiDocs.status === 200 && uiPage.status === 200 && uiBundle.status === 200,
    `/v3/api-docs, /swagger-ui/index.html and its bundle answer 200 (${apiDocs.status}, ${uiPage.status}, ${uiBundle.status})`,
  );

  const pid = await docker('inspect', '--format', '{{.State.Pid}}', name);
  const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  check(uid !== undefined && uid !== '0', `runs as a non-root user (uid ${uid})`);
  const listing = (await docker('exec', name, 'ls', '/app', '/app/dist')).split(/\s+/);
  check(!listing.includes('node_modules'), `no node_modules (/app: ${listing.join(' ')})`);

  // The HEALTHCHECK probes liveness (issue 18 §5); a build that does not serve it yet says so.
  const liveness = await fetch(`${base}/actuator/health/liveness`);
  if (liveness.status === 404) {
    // Until then, the image's command itself is run on /actuator/health: node, fetch and port.
    const test = JSON.parse(
      await docker('inspect', '--format', '{{json .Config.Healthcheck.Test}}', name),
    ) as string[];
    check(test[0] === 'CMD', `HEALTHCHECK is an exec command (${test[0]})`);
    const onHealth = test
      .slice(1)
      .map((arg) => arg.replace('/actuator/health/liveness', '/actuator/health'));
    const ran = await docker('exec', name, ...onHealth).then(
      () => true,
      () => false,
    );
    check(ran, 'the HEALTHCHECK command succeeds on /actuator/health');
    say('note: /actuator/health/liveness is not served by this build: docker health not checked');
    return;
  }
  const healthy = await waitFor('the HEALTHCHECK reports healthy', 30_000, async () =>
    (await docker('inspect', '--format', '{{.State.Health.Status}}', name)) === 'healthy'
      ? true
      : undefined,
  );
  check(healthy.value, `HEALTHCHECK healthy after ${healthy.ms} ms`);
}

/**
 * One task run to COMPLETED by a simulated worker: the bundle's code beyond the boot (worker
 * API, push channel, adapter and result proxy calls, Prometheus) runs with no node_modules.
 */
async function checkDeal(
  base: string,
  stack: {
    deployment: PocoDeployment;
    fixtures: PocoFixtures;
    pool: Address;
    services: ServiceStandIns;
  },
): Promise<void> {
  const fleet = new WorkerFleet({
    schedulerUrl: base,
    deployment: stack.deployment,
    resultProxyUrl: stack.services.resultProxy.url,
    enclaveSigner: LocalEnclaveSigner.ofStandIns(stack.services),
    stake: 100_000_000_000n,
    worker: { pingIntervalMs: 5000 },
  });
  cleanups.push(() => fleet.stop());
  await fleet.start(1);
  const deal = await stack.fixtures.createDeal({
    workerpool: stack.pool,
    volume: 1,
    trust: 1,
    workers: [workerAccount(0)],
  });
  const taskId = deal.taskIds[0];
  const final = await waitFor(`task ${taskId} final`, 120_000, async () => {
    const res = await fetch(`${base}/tasks/${taskId}`);
    const status = res.ok ? ((await res.json()) as { currentStatus: string }).currentStatus : '';
    return status === 'COMPLETED' || status === 'FAILED' ? status : undefined;
  });
  check(final.value === 'COMPLETED', `one-task deal ${final.value} in ${final.ms} ms (1 worker)`);
  const metrics = await (await fetch(`${base}/actuator/prometheus`)).text();
  check(metrics.includes('iexec_core_deals_total'), '/actuator/prometheus serves the metrics');
  await fleet.stop();
}

async function checkStop(name: string): Promise<void> {
  const stopStarted = performance.now();
  await docker('stop', '--time', String(STOP_GRACE_S), name);
  const stopMs = Math.round(performance.now() - stopStarted);
  const exitCode = await docker('inspect', '--format', '{{.State.ExitCode}}', name);
  check(exitCode === '0', `SIGTERM: exit code ${exitCode}`);
  check(stopMs < STOP_MAX_MS, `SIGTERM: stopped in ${stopMs} ms (limit ${STOP_MAX_MS} ms)`);
}

let code = 0;
try {
  await main();
} catch (error) {
  say((error as Error).message);
  code = 1;
} finally {
  for (const cleanup of cleanups.reverse())
    await cleanup().catch((error: unknown) => say(`clean-up failed: ${(error as Error).message}`));
}
// The plain closing line CI logs are read for.
process.stdout.write(`image-smoke: ${passed} passed, ${code} failed\n`);
process.exit(code);
