import { decodeFunctionData, type Hex } from 'viem';
import { hubAbi } from '../../../devstack/poco/abi.js';
import { taskIdOf } from '../../../devstack/poco/signatures.js';
import { ChainTaskStatus } from '../../../src/chain/chain-status.js';
import { TaskStatus } from '../../../src/task/task-status.js';
import { isolateChainPerFile, testChain, type TestChain } from '../../support/chain.js';
import { startStack, Stack } from '../../support/stack.js';

const chain = testChain();
isolateChainPerFile(chain);

/** initialize / finalize transactions sent to the hub since `fromBlock`, by task id. */
async function commandTransactions(chain: TestChain, fromBlock: bigint) {
  const client = chain.clients.publicClient;
  const latest = await client.getBlockNumber();
  const counts = new Map<string, { initialize: number; finalize: number }>();
  const count = (taskId: string, kind: 'initialize' | 'finalize') => {
    const entry = counts.get(taskId.toLowerCase()) ?? { initialize: 0, finalize: 0 };
    entry[kind]++;
    counts.set(taskId.toLowerCase(), entry);
  };
  for (let block = fromBlock; block <= latest; block++) {
    const { transactions } = await client.getBlock({
      blockNumber: block,
      includeTransactions: true,
    });
    for (const tx of transactions) {
      if (tx.to?.toLowerCase() !== chain.deployment.hub.toLowerCase()) continue;
      let call;
      try {
        call = decodeFunctionData({ abi: hubAbi, data: tx.input });
      } catch {
        continue; // a hub function the test does not look at
      }
      if (call.functionName === 'initialize') count(taskIdOf(...call.args), 'initialize');
      else if (call.functionName === 'finalize') count(call.args[0], 'finalize');
    }
  }
  return counts;
}

describe('adapter mode: every command POST answered after the client timeout (issue 16 §4)', () => {
  let stack: Stack;
  afterEach(async () => {
    await stack?.stop();
  });

  it('completes every task with exactly one initialize and one finalize transaction each', async () => {
    stack = await startStack(chain, {
      writer: 'adapter',
      env: { IEXEC_CORE_CHAIN_ADAPTER_REQUEST_TIMEOUT: '1000' },
    });
    const adapter = stack.services.blockchainAdapter;
    adapter.answerPostsLate(2500);
    // Commands still run when a repeated POST would be refused: the chain cannot tell yet.
    adapter.setProcessingDelay(2000);
    await stack.startWorkers(3);
    const deal = await chain.fixtures.createDeal({
      workerpool: stack.workerpool,
      volume: 2,
      trust: 1,
      workers: stack.workers(3),
    });
    const tasks = await stack.waitForDeal(deal.dealId, 120000);

    expect(tasks.map((t) => t.currentStatus)).toEqual([TaskStatus.COMPLETED, TaskStatus.COMPLETED]);
    const sent = await commandTransactions(chain, deal.blockNumber);
    for (const task of tasks) {
      expect((await chain.fixtures.viewTask(task.chainTaskId as Hex)).status).toBe(
        ChainTaskStatus.COMPLETED,
      );
      expect(sent.get(task.chainTaskId.toLowerCase())).toEqual({ initialize: 1, finalize: 1 });
      for (const kind of ['initialize', 'finalize'] as const)
        expect(adapter.command(kind, task.chainTaskId)).toMatchObject({
          status: 'SUCCESS',
          attempts: 1,
        });
    }
  }, 180000);
});
