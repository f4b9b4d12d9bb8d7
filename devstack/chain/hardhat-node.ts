// In-process Hardhat 3 (EDR) JSON-RPC node. Hardhat 3's CLI refuses Node < 22, its programmatic
// API works on Node 20: build a runtime environment from an inline config and run the built-in
// `node` task. Meant to own its process (serve.ts): the task offers no way to stop it but exiting.
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEV_ACCOUNT_BALANCE,
  devAccountCount,
  devPrivateKey,
  DEFAULT_WORKER_COUNT,
} from './accounts.js';
import { assertPortFree, rpcRequest } from './rpc.js';

export const DEFAULT_CHAIN_ID = 31337;
const PROJECT_ROOT = join(import.meta.dirname, '..', '..');

export interface HardhatNodeOptions {
  /** TCP port on 127.0.0.1 (0 is not supported by the node task: pick a free port first). */
  port: number;
  chainId?: number;
  /** Funded worker accounts on top of the 10 role slots (default 50). */
  workerCount?: number;
  /**
   * Let automined blocks share a timestamp, so chain time follows wall time even under load
   * (otherwise every block is at least 1 s after the previous one). Default true.
   */
  allowBlocksWithSameTimestamp?: boolean;
  /** Keep Hardhat's own console output (every RPC method name). Default false. */
  verbose?: boolean;
  readyTimeoutMs?: number;
}

export interface HardhatNode {
  rpcUrl: string;
  chainId: number;
}

/** Starts the node on 127.0.0.1 and resolves once it answers eth_chainId. */
export async function startHardhatNode(options: HardhatNodeOptions): Promise<HardhatNode> {
  const chainId = options.chainId ?? DEFAULT_CHAIN_ID;
  const rpcUrl = `http://127.0.0.1:${options.port}`;
  // otherwise a server already on the port could answer the readiness probe
  await assertPortFree(options.port);
  const { createHardhatRuntimeEnvironment } = await import('hardhat/hre');
  // Nothing is compiled, but the node task watches the artifacts folder: keep it out of the tree.
  const scratch = join(tmpdir(), 'iexec-devchain-hardhat');
  mkdirSync(scratch, { recursive: true });
  // Explicit keys instead of {mnemonic, count}: Hardhat derives HD accounts in slow JS.
  const accounts = Array.from(
    { length: devAccountCount(options.workerCount ?? DEFAULT_WORKER_COUNT) },
    (_, i) => ({
      privateKey: devPrivateKey(i),
      balance: DEV_ACCOUNT_BALANCE,
    }),
  );
  const hre = await createHardhatRuntimeEnvironment(
    {
      paths: { artifacts: join(scratch, 'artifacts'), cache: join(scratch, 'cache') },
      networks: {
        // the `node` task serves the network named "node"
        node: {
          type: 'edr-simulated',
          chainType: 'l1',
          chainId,
          mining: { auto: true, interval: 0 },
          allowBlocksWithSameTimestamp: options.allowBlocksWithSameTimestamp ?? true,
          accounts,
        },
      },
    },
    {},
    PROJECT_ROOT,
  );
  // The task logs every RPC call and the account list through console.log: silence it.
  if (!options.verbose) console.log = () => {};
  let failure: unknown;
  hre.tasks
    .getTask('node')
    .run({ hostname: '127.0.0.1', port: options.port })
    .catch((error: unknown) => (failure = error ?? new Error('node task failed')));
  const deadline = Date.now() + (options.readyTimeoutMs ?? 15_000);
  for (;;) {
    if (failure) throw failure;
    const answered = await rpcRequest(rpcUrl, 'eth_chainId').catch(() => undefined);
    if (answered !== undefined) {
      if (Number(answered) !== chainId) {
        throw new Error(`port ${options.port} answers chain ${Number(answered)}, not ${chainId}`);
      }
      // the task turns Hardhat's per-call logging on; formatting it costs time even when muted
      if (!options.verbose) await rpcRequest(rpcUrl, 'hardhat_setLoggingEnabled', [false]);
      return { rpcUrl, chainId };
    }
    if (Date.now() > deadline) throw new Error(`Hardhat node not ready on ${rpcUrl}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
