import { startTestChains, stopTestChains, TEST_CHAINS_ENV } from './chain-servers.js';
import mongoGlobalSetup from './mongo.global-setup.js';
import mongoGlobalTeardown from './mongo.global-teardown.js';

/**
 * Mongo-wire server + one dev chain per Jest worker (test/support/chain.ts picks the chain of
 * its worker from IEXEC_TEST_CHAINS). Both start in parallel.
 */
export default async function e2eGlobalSetup(globalConfig) {
  const started = performance.now();
  const count = Math.max(1, globalConfig?.maxWorkers ?? 1);
  const [chains, mongo] = await Promise.allSettled([startTestChains(count), mongoGlobalSetup()]);
  if (chains.status === 'rejected' || mongo.status === 'rejected') {
    if (chains.status === 'fulfilled') await stopTestChains(chains.value);
    if (mongo.status === 'fulfilled') await mongoGlobalTeardown();
    throw chains.status === 'rejected' ? chains.reason : mongo.reason;
  }
  globalThis.__IEXEC_TEST_CHAINS__ = chains.value;
  process.env[TEST_CHAINS_ENV] = JSON.stringify(chains.value.map((chain) => chain.deployment));
  if (process.env.IEXEC_TEST_VERBOSE) {
    const ms = Math.round(performance.now() - started);
    process.stderr.write(`\ne2e setup: ${count} dev chain(s) + Mongo in ${ms} ms\n`);
  }
}
