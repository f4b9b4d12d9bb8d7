// `npm run sdk:deal`: a requester's deal made with the official iExec SDK (JS API) against the
// stack `npm run dev` runs: configured from the Config Server stand-in's SDK document, the
// scheduler found through Compass, then each task followed to COMPLETED and read back with
// `task.fetchOffchainInfo` and `task.fetchLogs`. Exits 1 unless every task completed.
//
//   npm run sdk:deal -- --workerpool 0x… [--standard] [--volume 3] [--config-server URL]
import { parseArgs } from 'node:util';
import { isAddress, type Address } from 'viem';
import { devPrivateKey, ROLE_INDEX } from './chain/accounts.js';
import { fetchSdkChain, sdkFor } from './sdk/sdk-client.js';
import { followSdkTask, makeSdkDeal } from './sdk/sdk-deal.js';
import { CONFIG_SERVER_PORT, SDK_CHAIN_PATH } from './services/config-server.js';

const { values } = parseArgs({
  options: {
    workerpool: { type: 'string' },
    standard: { type: 'boolean', default: false },
    volume: { type: 'string', default: '3' },
    'config-server': { type: 'string', default: `http://127.0.0.1:${CONFIG_SERVER_PORT}` },
    'timeout-s': { type: 'string', default: '180' },
  },
});

const say = (line: string) => process.stdout.write(`[sdk] ${line}\n`);

async function main(): Promise<number> {
  const workerpool = values.workerpool;
  if (!workerpool || !isAddress(workerpool)) {
    throw new Error('--workerpool 0x… is required (npm run dev prints the command with it)');
  }
  const volume = Number(values.volume);
  if (!Number.isInteger(volume) || volume < 1)
    throw new Error('--volume must be a positive integer');
  const timeoutMs = Number(values['timeout-s']) * 1000;
  if (!(timeoutMs > 0)) throw new Error('--timeout-s must be a positive number');
  const sdkChain = await fetchSdkChain(`${values['config-server']}${SDK_CHAIN_PATH}`);
  say(`chain ${sdkChain.id} on ${sdkChain.host}, hub ${sdkChain.hub}, Compass ${sdkChain.compass}`);
  const requester = sdkFor(sdkChain, devPrivateKey(ROLE_INDEX.requester));
  say(`workerpool API (Compass): ${await requester.workerpool.getWorkerpoolApiUrl(workerpool)}`);
  const deal = await makeSdkDeal({
    requester,
    workerpoolOwner: sdkFor(sdkChain, devPrivateKey(ROLE_INDEX.scheduler)),
    workerpool: workerpool as Address,
    volume,
    standard: values.standard,
    log: say,
  });
  const outcomes = await Promise.all(
    deal.taskIds.map((taskId) =>
      followSdkTask(requester, workerpool as Address, taskId, timeoutMs),
    ),
  );
  for (const { taskId, statusName, schedulerStatus, offchain, logs } of outcomes) {
    say(`task ${taskId}: ${statusName} on chain, ${schedulerStatus} on the scheduler`);
    for (const replicate of offchain?.replicates ?? []) {
      say(`  replicate of ${replicate.worker}: ${replicate.status}`);
    }
    for (const entry of logs) say(`  logs of ${entry.worker}: ${entry.stdout.split('\n')[0]}`);
  }
  const completed = outcomes.filter((o) => o.statusName === 'COMPLETED').length;
  say(`${completed}/${outcomes.length} task(s) COMPLETED`);
  return completed === outcomes.length ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    say(`failed: ${(error as Error).message}`);
    process.exit(1);
  },
);
