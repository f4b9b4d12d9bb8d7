import { startTestChains, stopTestChains, TEST_CHAINS_ENV } from './chain-servers.js';
import mongoGlobalSetup from './mongo.global-setup.js';
import mongoGlobalTeardown from './mongo.global-teardown.js';
import { ensureSchedulerBuilt } from './scheduler-build.js';

/**
 * Mongo-wire server + one dev chain per Jest worker (test/support/chain.ts picks the chain of
 * its worker from IEXEC_TEST_CHAINS) + the scheduler's build when it is missing or stale. All
 * three in parallel.
 */
export default async function e2eGlobalSetup(globalConfig) {
  const started = performance.now();
  const count = Math.max(1, globalConfig?.maxWorkers ?? 1);
  const [chains, mongo, build] = await Promise.allSettled([
    startTestChains(count),
    mongoGlobalSetup(),
    ensureSchedulerBuilt(),
  ]);
  const failed = [chains, mongo, build].find((result) => result.status === 'rejected');
  if (failed) {
    if (chains.status === 'fulfilled') await stopTestChains(chains.value);
    if (mongo.status === 'fulfilled') await mongoGlobalTeardown();
    throw failed.reason;
  }
  globalThis.__IEXEC_TEST_CHAINS__ = chains.value;
  process.env[TEST_CHAINS_ENV] = JSON.stringify(chains.value.map((chain) => chain.deployment));
  if (process.env.IEXEC_TEST_VERBOSE) {
    const ms = Math.round(performance.now() - started);
    process.stderr.write(`\ne2e setup: ${count} dev chain(s) + Mongo in ${ms} ms\n`);
  }
}
