import { stopTestChains, TEST_CHAINS_ENV } from './chain-servers.js';
import mongoGlobalTeardown from './mongo.global-teardown.js';

export default async function e2eGlobalTeardown() {
  const chains = globalThis.__IEXEC_TEST_CHAINS__ ?? [];
  delete globalThis.__IEXEC_TEST_CHAINS__;
  delete process.env[TEST_CHAINS_ENV];
  await Promise.all([stopTestChains(chains), mongoGlobalTeardown()]);
}
