import { hexToString, pad, stringToHex } from 'viem';
import { workerAccount } from '../../../../devstack/chain/accounts.js';
import {
  startBlockchainAdapter,
  type BlockchainAdapterStandIn,
} from '../../../../devstack/services/blockchain-adapter.js';
import { taskIdOf } from '../../../../devstack/poco/signatures.js';
import { ChainTaskStatus } from '../../../../src/chain/chain-status.js';
import { isolateChainPerFile, isolateChainPerTest, testChain } from '../../../support/chain.js';
import {
  basic,
  contributeTask,
  digestOf,
  sharedDealSetup,
  exchange,
  initializedTask,
  pollUntil,
  revealedTask,
} from '../../../support/services.js';

const WORKERS = [0, 1, 2, 3, 4, 5, 6, 7, 8].map(workerAccount);

const chain = testChain();
const { fixtures, control } = chain;
isolateChainPerFile(chain);
const shared = sharedDealSetup(chain, WORKERS);
isolateChainPerTest(chain);

let adapter: BlockchainAdapterStandIn;
let auth: Record<string, string>;
const XS_TIMEREF = 300n;

beforeAll(async () => {
  adapter = await startBlockchainAdapter({ deployment: chain.deployment, retryDelayMs: 5 });
  auth = { authorization: basic(adapter.username, adapter.password) };
});
afterAll(() => adapter.stop());

const initialize = (dealId: string, index: number | string, prefix = '/v1', headers = auth) =>
  exchange(
    'POST',
    `${adapter.url}${prefix}/tasks/initialize?chainDealId=${dealId}&taskIndex=${index}`,
    {
      headers,
    },
  );
const finalize = (taskId: string, body: unknown, headers = auth) =>
  exchange('POST', `${adapter.url}/v1/tasks/finalize/${taskId}`, { headers, json: body });
const status = async (kind: 'initialize' | 'finalize', taskId: string) => {
  const res = await exchange('GET', `${adapter.url}/v1/tasks/${kind}/${taskId}/status`, {
    headers: auth,
  });
  return res.status === 200 ? (JSON.parse(res.text) as string) : `HTTP ${res.status}`;
};
const settled = (kind: 'initialize' | 'finalize', taskId: string) =>
  pollUntil(
    () => status(kind, taskId),
    (s) => s === 'SUCCESS' || s === 'FAILURE',
  );

describe('Blockchain Adapter stand-in', () => {
  afterEach(async () => {
    // nothing may still be sending when the chain is reverted
    adapter.resume();
    adapter.setProcessingDelay(0);
    await adapter.idle();
    adapter.clear();
  });

  it('requires basic auth on every command route but serves /config/chain openly', async () => {
    const deal = await fixtures.createDeal(shared());
    const taskId = taskIdOf(deal.dealId, 0);
    const refused: Record<string, string>[] = [{}, { authorization: basic('admin', 'wrong') }];
    for (const headers of refused) {
      expect((await initialize(deal.dealId, 0, '/v1', headers)).status).toBe(401);
      expect(
        (await finalize(taskId, { resultLink: null, callbackData: null }, headers)).status,
      ).toBe(401);
      const res = await exchange('GET', `${adapter.url}/v1/tasks/initialize/${taskId}/status`, {
        headers,
      });
      expect(res.status).toBe(401);
    }
    expect(adapter.commands()).toEqual([]);

    const config = await exchange('GET', `${adapter.url}/config/chain`);
    expect(config.status).toBe(200);
    expect(JSON.parse(config.text)).toEqual({
      chainId: chain.chainId,
      sidechain: false,
      chainNodeUrl: chain.rpcUrl,
      iexecHubContractAddress: expect.stringMatching(new RegExp(`^${chain.deployment.hub}$`, 'i')),
      blockTime: 1,
    });
    expect(
      (await exchange('GET', `${adapter.url}/v1/nothing/here`, { headers: auth })).status,
    ).toBe(404);
    expect(
      (await exchange('GET', `${adapter.url}/v1/tasks/initialize`, { headers: auth })).status,
    ).toBe(405);
  });

  it('answers 400 to malformed requests and 404 to the status of an unknown command', async () => {
    const deal = await fixtures.createDeal(shared());
    expect((await initialize('0x1234', 0)).status).toBe(400);
    expect((await initialize(deal.dealId, -1)).status).toBe(400);
    expect((await initialize(deal.dealId, 'x')).status).toBe(400);
    expect(
      (await exchange('POST', `${adapter.url}/v1/tasks/initialize`, { headers: auth })).status,
    ).toBe(400);

    const taskId = taskIdOf(deal.dealId, 0);
    expect((await finalize('0x12', { resultLink: null, callbackData: null })).status).toBe(400);
    const noBody = await exchange('POST', `${adapter.url}/v1/tasks/finalize/${taskId}`, {
      headers: auth,
    });
    expect(noBody.status).toBe(400);
    expect((await finalize(taskId, [1, 2])).status).toBe(400);
    expect((await finalize(taskId, { resultLink: 12 })).status).toBe(400);
    expect((await finalize(taskId, { resultLink: null, callbackData: '0xzz' })).status).toBe(400);
    expect(await status('initialize', taskId)).toBe('HTTP 404');
    expect(await status('finalize', taskId)).toBe('HTTP 404');
    expect(await status('initialize', 'nope')).toBe('HTTP 400');
    expect(adapter.commands()).toEqual([]);
  });

  it('initializes a task on chain with its own transaction and refuses a second request', async () => {
    const deal = await fixtures.createDeal({ ...shared(), volume: 2 });
    const first = await initialize(deal.dealId, 0);
    expect(first.status).toBe(200);
    expect(first.text).toBe(deal.taskIds[0]);
    expect(await status('initialize', deal.taskIds[0])).toMatch(/^(RECEIVED|PROCESSING|SUCCESS)$/);
    expect((await initialize(deal.dealId, 0)).status).toBe(400);
    expect((await settled('initialize', deal.taskIds[0])).at(-1)).toBe('SUCCESS');
    expect((await fixtures.viewTask(deal.taskIds[0])).status).toBe(ChainTaskStatus.ACTIVE);
    const command = adapter.command('initialize', deal.taskIds[0])!;
    const receipt = await chain.clients.publicClient.getTransactionReceipt({
      hash: command.txHash!,
    });
    expect(receipt.from.toLowerCase()).toBe(adapter.wallet.toLowerCase());
    expect(command.attempts).toBe(1);
    // the deprecated path without /v1 does the same; a settled command still blocks the task
    expect((await initialize(deal.dealId, 1, '')).text).toBe(deal.taskIds[1]);
    expect((await settled('initialize', deal.taskIds[1])).at(-1)).toBe('SUCCESS');
    expect((await initialize(deal.dealId, 1)).status).toBe(400);
  });

  it('goes RECEIVED → PROCESSING → SUCCESS, paused and slowed down by the test hooks', async () => {
    const deal = await fixtures.createDeal(shared());
    adapter.pause();
    expect((await initialize(deal.dealId, 0)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await status('initialize', deal.taskIds[0])).toBe('RECEIVED');
    adapter.setProcessingDelay(300);
    adapter.resume();
    expect(await settled('initialize', deal.taskIds[0])).toEqual(['PROCESSING', 'SUCCESS']);
  });

  it('refuses initialize when the on-chain pre-checks fail', async () => {
    const { deal } = await initializedTask(chain, shared());
    expect((await initialize(deal.dealId, 0)).reason).toMatch(/already initialized/);
    expect((await initialize(pad('0xdead'), 0)).reason).toMatch(/deal unknown/);

    const fresh = await fixtures.createDeal(shared());
    await control.increaseTime(XS_TIMEREF * 7n + 1n);
    const late = await initialize(fresh.dealId, 0);
    expect([late.status, late.reason]).toEqual([
      400,
      expect.stringMatching(/contribution deadline/),
    ]);
  });

  it('refuses commands when its wallet cannot pay a transaction', async () => {
    const deal = await fixtures.createDeal(shared());
    await chain.clients.testClient.setBalance({ address: adapter.wallet, value: 0n });
    const res = await initialize(deal.dealId, 0);
    expect([res.status, res.reason]).toEqual([400, expect.stringMatching(/no gas/)]);
    expect(adapter.commands()).toEqual([]);
  });

  it('reports FAILURE when the transaction reverts or cannot be sent', async () => {
    // an index outside the deal passes the pre-checks but PoCo refuses it
    const deal = await fixtures.createDeal(shared());
    const outside = taskIdOf(deal.dealId, 5);
    expect((await initialize(deal.dealId, 5)).text).toBe(outside);
    expect((await settled('initialize', outside)).at(-1)).toBe('FAILURE');
    const reverted = adapter.command('initialize', outside)!;
    expect(reverted.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(
      (await chain.clients.publicClient.getTransactionReceipt({ hash: reverted.txHash! })).status,
    ).toBe('reverted');

    adapter.failNext('initialize');
    expect((await initialize(deal.dealId, 0)).status).toBe(200);
    expect((await settled('initialize', deal.taskIds[0])).at(-1)).toBe('FAILURE');
    const failed = adapter.command('initialize', deal.taskIds[0])!;
    expect([failed.attempts, failed.txHash, failed.error]).toEqual([
      5,
      undefined,
      expect.stringMatching(/injected/),
    ]);
    expect((await fixtures.viewTask(deal.taskIds[0])).status).toBe(ChainTaskStatus.UNSET);
  });

  it('finalizes a revealed task with the result link and callback data as PoCo arguments', async () => {
    const digest = digestOf('adapter finalize');
    const { taskId } = await revealedTask(chain, digest, workerAccount(0), shared());
    const link = '/ipfs/QmResultOfTheAdapterTest';
    const res = await finalize(taskId, { resultLink: link, callbackData: null });
    expect([res.status, res.text]).toEqual([200, taskId]);
    expect((await finalize(taskId, { resultLink: link, callbackData: null })).status).toBe(400);
    expect((await settled('finalize', taskId)).at(-1)).toBe('SUCCESS');
    const task = await fixtures.viewTask(taskId);
    expect(task.status).toBe(ChainTaskStatus.COMPLETED);
    expect(hexToString(task.results)).toBe(link);
    expect(task.resultsCallback).toBe('0x');
  });

  it('refuses finalize before every winner revealed, on a non-REVEALING task and past the final deadline', async () => {
    const digest = digestOf('not yet');
    const worker = workerAccount(1);
    const { taskId } = await initializedTask(chain, { ...shared(), workers: [worker] });
    const body = { resultLink: '/ipfs/x', callbackData: null };
    expect((await finalize(taskId, body)).reason).toMatch(/not REVEALING/);
    await contributeTask(chain, taskId, digest, worker);
    expect((await finalize(taskId, body)).reason).toMatch(/not enough reveals/);
    await control.increaseTime(XS_TIMEREF * 10n);
    expect((await finalize(taskId, body)).reason).toMatch(/final deadline/);
    expect(adapter.commands()).toEqual([]);
  });

  it('reports FAILURE when finalize reverts: wrong callback data, or finalized meanwhile', async () => {
    const digest = digestOf('callback');
    const callbackTask = await revealedTask(chain, digest, workerAccount(2), {
      ...shared(),
      callback: workerAccount(9).address,
    });
    // PoCo wants keccak256(resultsCallback) = digest: the adapter does not check it beforehand
    const wrong = await finalize(callbackTask.taskId, { resultLink: null, callbackData: '0x1234' });
    expect(wrong.status).toBe(200);
    expect((await settled('finalize', callbackTask.taskId)).at(-1)).toBe('FAILURE');

    const { taskId } = await revealedTask(chain, digest, workerAccount(3), shared());
    adapter.pause();
    expect((await finalize(taskId, { resultLink: '/ipfs/y', callbackData: null })).status).toBe(
      200,
    );
    await fixtures.finalize(chain.roles.scheduler, taskId, stringToHex('/ipfs/other'));
    adapter.resume();
    expect((await settled('finalize', taskId)).at(-1)).toBe('FAILURE');
    expect(hexToString((await fixtures.viewTask(taskId)).results)).toBe('/ipfs/other');
  });

  it('runs queued finalize commands before initialize ones, one at a time', async () => {
    const deal = await fixtures.createDeal({ ...shared(), volume: 2 });
    const { taskId } = await revealedTask(chain, digestOf('priority'), workerAccount(4), shared());
    adapter.pause();
    await initialize(deal.dealId, 0);
    await initialize(deal.dealId, 1);
    await finalize(taskId, { resultLink: '/ipfs/z', callbackData: null });
    adapter.resume();
    await adapter.idle();
    const blocks = [
      adapter.command('finalize', taskId)!,
      adapter.command('initialize', deal.taskIds[0])!,
      adapter.command('initialize', deal.taskIds[1])!,
    ].map((c) => [c.status, c.blockNumber]);
    expect(blocks.map(([s]) => s)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
    const numbers = blocks.map(([, n]) => n as bigint);
    expect(numbers[0] < numbers[1] && numbers[1] < numbers[2]).toBe(true);
  });
});
