// Dev chains for the e2e tests: one per Jest worker, each a child process running
// devstack/chain/serve.ts (Hardhat node + PoCo, token mode) on its own free port.
// Plain ESM JavaScript (Jest loads global setup files without the TypeScript transform), so the
// TypeScript launcher is loaded through tsx's scoped import API.
import { tsImport } from 'tsx/esm/api';

/** Name of the environment variable carrying the deployments (JSON array, worker i at i-1). */
export const TEST_CHAINS_ENV = 'IEXEC_TEST_CHAINS';

/** @param {number} count */
export async function startTestChains(count) {
  const { startLocalChain } = await tsImport(
    '../../devstack/chain/local-chain.ts',
    import.meta.url,
  );
  const started = await Promise.allSettled(
    Array.from({ length: count }, () => startLocalChain({ asset: 'token' })),
  );
  const chains = started
    .filter((result) => result.status === 'fulfilled')
    .map((result) => result.value);
  const failure = started.find((result) => result.status === 'rejected');
  if (failure) {
    await stopTestChains(chains);
    throw failure.reason;
  }
  return chains;
}

/** @param {{ stop(): Promise<void> }[]} chains */
export async function stopTestChains(chains) {
  await Promise.all(chains.map((chain) => chain.stop()));
}
