// Dev chain CLI: a Hardhat node on 127.0.0.1 with PoCo deployed, until SIGTERM/SIGINT.
//   npx tsx devstack/chain/serve.ts --port 8545 --out /tmp/deployment.json [--asset token|native]
//   (or `node devstack/chain/launch.mjs <same arguments>`, ~1 s faster to start)
//     [--chain-id 31337] [--workers 50] [--verbose] [--log-rpc] [--exit-on-stdin-close]
// Prints exactly one line `READY <deployment json>` on stdout once the deployment is done.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_WORKER_COUNT } from './accounts.js';
import { createChainClients } from './clients.js';
import { DEFAULT_CHAIN_ID, startHardhatNode } from './hardhat-node.js';
import { deployPoco } from '../poco/deploy.js';
import type { PocoAsset } from '../poco/deployment.js';

const READY_PREFIX = 'READY ';

function positiveInteger(name: string, value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new Error(`--${name} must be an integer: ${value}`);
  return parsed;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8545' },
      'chain-id': { type: 'string', default: String(DEFAULT_CHAIN_ID) },
      asset: { type: 'string', default: 'token' },
      out: { type: 'string' },
      workers: { type: 'string', default: String(DEFAULT_WORKER_COUNT) },
      // list the deployed contracts on stderr
      verbose: { type: 'boolean', default: false },
      // keep Hardhat's log of every RPC call (on stdout, after the READY line)
      'log-rpc': { type: 'boolean', default: false },
      // set by parents that spawn this script: die with them even if they could not signal us
      'exit-on-stdin-close': { type: 'boolean', default: false },
    },
  });
  if (values['exit-on-stdin-close']) {
    process.stdin.on('end', () => process.exit(0));
    process.stdin.on('close', () => process.exit(0));
    process.stdin.resume();
  }
  const asset = values.asset as PocoAsset;
  if (asset !== 'token' && asset !== 'native') throw new Error(`--asset must be token or native`);
  // performance.now() counts from process start: this is the module loading time
  const started = performance.now();
  const stderr = (line: string) => process.stderr.write(`${line}\n`);

  const node = await startHardhatNode({
    port: positiveInteger('port', values.port),
    chainId: positiveInteger('chain-id', values['chain-id']),
    workerCount: positiveInteger('workers', values.workers),
    verbose: values['log-rpc'],
  });
  const nodeReady = performance.now();
  const deployment = await deployPoco(createChainClients(node), {
    asset,
    onDeployed: values.verbose
      ? (name, address, gas) => stderr(`  ${name.padEnd(30)} ${address} gas=${gas}`)
      : undefined,
  });
  if (values.out) writeFileSync(values.out, `${JSON.stringify(deployment, null, 2)}\n`);
  const deployed = performance.now();
  stderr(
    `dev chain ${node.rpcUrl} (chain ${node.chainId}, ${asset}): modules ${Math.round(started)} ms, ` +
      `node ${Math.round(nodeReady - started)} ms, PoCo deploy ${Math.round(deployed - nodeReady)} ms, ` +
      `hub ${deployment.hub}`,
  );
  process.stdout.write(`${READY_PREFIX}${JSON.stringify(deployment)}\n`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(0));

main().catch((error: unknown) => {
  process.stderr.write(
    `dev chain failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
