import { decodeFunctionData, type Hex } from 'viem';
import { hubAbi } from '../../devstack/poco/abi.js';
import { TestChain } from './chain.js';

export interface HubCall {
  functionName: string;
  args: readonly unknown[];
  blockNumber: bigint;
}

/**
 * Every hub call sent by `from` in blocks (fromBlock, latest]: what a scheduler spent gas on. An
 * `initializeArray` counts as one `initialize` per task it carries.
 */
export async function hubCallsFrom(
  chain: TestChain,
  from: string,
  fromBlock: bigint,
): Promise<HubCall[]> {
  const calls: HubCall[] = [];
  const client = chain.clients.publicClient;
  const latest = await client.getBlockNumber();
  for (let n = fromBlock + 1n; n <= latest; n++) {
    const block = await client.getBlock({ blockNumber: n, includeTransactions: true });
    for (const tx of block.transactions) {
      if (
        tx.from.toLowerCase() !== from.toLowerCase() ||
        tx.to?.toLowerCase() !== chain.deployment.hub.toLowerCase()
      )
        continue;
      const call = decodeFunctionData({ abi: hubAbi, data: tx.input as Hex });
      if (call.functionName === 'initializeArray') {
        const [dealIds, indexes] = call.args;
        dealIds.forEach((dealId, i) =>
          calls.push({ functionName: 'initialize', args: [dealId, indexes[i]], blockNumber: n }),
        );
      } else calls.push({ functionName: call.functionName, args: call.args ?? [], blockNumber: n });
    }
  }
  return calls;
}
