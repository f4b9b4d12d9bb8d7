// The JSON-RPC fault proxy in front of the real local chain, each fault seen through a viem
// public client pointed at the proxy.
import { createPublicClient, erc20Abi, http, type PublicClient } from 'viem';
import { startRpcFaultProxy, type RpcFaultProxy } from '../../../devstack/chain/rpc-fault-proxy.js';
import { isolateChainPerTest, testChain } from '../../support/chain.js';

const chain = testChain();
isolateChainPerTest(chain);

let proxy: RpcFaultProxy;
let client: PublicClient;

function clientOf(url: string, options: { batch?: boolean; timeout?: number } = {}) {
  return createPublicClient({
    chain: chain.clients.chain,
    transport: http(url, {
      retryCount: 0,
      timeout: options.timeout ?? 10_000,
      batch: options.batch,
    }),
    cacheTime: 0,
  });
}

beforeAll(async () => {
  proxy = await startRpcFaultProxy({ target: chain.rpcUrl });
  client = clientOf(proxy.url);
});
afterEach(() => proxy.reset());
afterAll(() => proxy.stop());

/** A token transfer mined in its own block: a log, a balance change and a receipt. */
async function transfer(amount = 1n) {
  const hash = await chain.clients.wallet(chain.roles.deployer).writeContract({
    address: chain.deployment.rlc,
    abi: erc20Abi,
    functionName: 'transfer',
    args: [chain.roles.requester.address, amount],
  });
  return chain.clients.publicClient.waitForTransactionReceipt({ hash });
}

const requesterBalance = (blockNumber?: bigint) =>
  client.readContract({
    address: chain.deployment.rlc,
    abi: erc20Abi,
    functionName: 'balanceOf',
    args: [chain.roles.requester.address],
    ...(blockNumber === undefined ? {} : { blockNumber }),
  });

describe('rpc fault proxy', () => {
  it('forwards untouched without faults, batches included, ids kept', async () => {
    const batched = clientOf(proxy.url, { batch: true });
    const before = proxy.stats().requests;
    const [head, id, balance] = await Promise.all([
      batched.getBlockNumber(),
      batched.getChainId(),
      batched.getBalance({ address: chain.roles.deployer.address }),
    ]);
    expect(head).toBe(await chain.clients.publicClient.getBlockNumber());
    expect(id).toBe(chain.chainId);
    expect(balance).toBeGreaterThan(0n);
    expect(proxy.stats().requests - before).toBe(1); // one HTTP request for the three calls
  });

  it('adds latency', async () => {
    proxy.setFaults({ latencyMs: 300 });
    const started = Date.now();
    await client.getBlockNumber();
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('drops a share of requests by closing the socket', async () => {
    proxy.setFaults({ dropShare: 1 });
    await expect(client.getBlockNumber()).rejects.toThrow(/HTTP request failed|socket|closed/i);
    expect(proxy.stats().dropped).toBeGreaterThanOrEqual(1);
    proxy.reset();
    await expect(client.getBlockNumber()).resolves.toBeGreaterThan(0n);
  });

  it('holds a share of requests unanswered until the client gives up', async () => {
    proxy.setFaults({ timeoutShare: 1 });
    const impatient = clientOf(proxy.url, { timeout: 300 });
    await expect(impatient.getBlockNumber()).rejects.toThrow(/took too long|timed out/i);
    expect(proxy.stats().timedOut).toBe(1);
  });

  it('answers 429 / 503 bursts, then recovers', async () => {
    proxy.setFaults({ burst: { status: 429, count: 2 } });
    await expect(client.getBlockNumber()).rejects.toMatchObject({ status: 429 });
    await expect(client.getBlockNumber()).rejects.toMatchObject({ status: 429 });
    await expect(client.getBlockNumber()).resolves.toBeGreaterThan(0n);
    proxy.setFaults({ burst: { status: 503, count: 1 } });
    await expect(client.getBlockNumber()).rejects.toMatchObject({ status: 503 });
    expect(proxy.stats().burstAnswered).toBeGreaterThanOrEqual(3);
  });

  it('refuses connections while down, then comes back', async () => {
    proxy.setFaults({ downForMs: 400 });
    await expect(client.getBlockNumber()).rejects.toThrow(/HTTP request failed/);
    await new Promise((resolve) => setTimeout(resolve, 600));
    await expect(client.getBlockNumber()).resolves.toBeGreaterThan(0n);
  });

  it('refuses eth_getLogs ranges above the cap with a provider error text', async () => {
    await chain.control.mine(150);
    const head = await chain.clients.publicClient.getBlockNumber();
    proxy.setFaults({ maxLogRange: 100 });
    await expect(client.getLogs({ fromBlock: head - 100n, toBlock: 'latest' })).rejects.toThrow(
      /You can make eth_getLogs requests with up to a 100 block range/,
    );
    await expect(client.getLogs({ fromBlock: head - 99n, toBlock: 'latest' })).resolves.toEqual([]);
    proxy.setFaults({ maxLogRange: 100, logRangeError: 'infura' });
    await expect(client.getLogs({ fromBlock: head - 149n, toBlock: head })).rejects.toThrow(
      /range 150 exceeds limit of 100/,
    );
    expect(proxy.stats().refusedLogRanges).toBeGreaterThanOrEqual(2);
    expect(proxy.stats().maxLogRangeAsked).toBeGreaterThanOrEqual(150);
  });

  it('serves a consistent head N blocks behind', async () => {
    const old = await requesterBalance();
    const receipt = await transfer(7n);
    const head = receipt.blockNumber;
    proxy.setFaults({ lagBlocks: 1 });
    expect(await client.getBlockNumber()).toBe(head - 1n);
    expect((await client.getBlock()).number).toBe(head - 1n);
    expect((await client.getBlock({ blockTag: 'finalized' })).number).toBe(head - 1n);
    await expect(client.getBlock({ blockNumber: head })).rejects.toThrow(/could not be found/);
    expect(await requesterBalance()).toBe(old); // eth_call at `latest`
    expect(await requesterBalance(head - 1n)).toBe(old); // historical eth_call accepted
    await expect(client.getTransactionReceipt({ hash: receipt.transactionHash })).rejects.toThrow(
      /could not be found/,
    );
    await expect(client.getTransaction({ hash: receipt.transactionHash })).rejects.toThrow(
      /could not be found/,
    );
    const transferLogs = (toBlock: bigint | 'latest') =>
      client.getLogs({ address: chain.deployment.rlc, fromBlock: head - 1n, toBlock });
    expect(await transferLogs('latest')).toEqual([]);
    expect(await transferLogs(head + 5n)).toEqual([]); // clamped to the lagged head
    const nonce = (blockTag: 'latest' | 'pending') =>
      client.getTransactionCount({ address: chain.roles.deployer.address, blockTag });
    const realNonce = await chain.clients.publicClient.getTransactionCount({
      address: chain.roles.deployer.address,
    });
    expect(await nonce('pending')).toBe(realNonce - 1);
    await expect(
      client.estimateGas({
        account: chain.roles.deployer.address,
        to: chain.roles.requester.address,
      }),
    ).resolves.toBeGreaterThan(0n);
    proxy.reset();
    expect(await requesterBalance()).toBe(old + 7n);
    expect(await transferLogs('latest')).toHaveLength(1);
    expect((await client.getTransactionReceipt({ hash: receipt.transactionHash })).status).toBe(
      'success',
    );
  });

  it('serves the newest block at least T ms old', async () => {
    const before = await transfer();
    // the next block is 30 s later in chain time: with 10 s of lag, the head is `before`
    await chain.control.increaseTime(30);
    const head = await chain.clients.publicClient.getBlockNumber();
    expect(head).toBe(before.blockNumber + 1n);
    proxy.setFaults({ lagMs: 10_000 });
    expect(await client.getBlockNumber()).toBe(before.blockNumber);
    expect(await proxy.servedHead()).toBe(before.blockNumber);
    proxy.setFaults({ lagMs: 10_000, lagBlocks: 3 }); // both: the older head wins
    expect(await client.getBlockNumber()).toBe(head - 3n);
  });
});
