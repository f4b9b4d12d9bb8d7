import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import {
  decodeFunctionData,
  TransactionNotFoundError,
  TransactionReceiptNotFoundError,
  type Hex,
} from 'viem';
import { ChainContext } from '../../../src/chain/chain-context.js';
import { hubAbi } from '../../../src/chain/poco-abi.js';
import {
  EmbeddedChainWriter,
  OUTCOME_LIFETIME_MS,
} from '../../../src/chain/writer/embedded-chain-writer.js';
import { JobScheduler } from '../../../src/common/jobs/job-scheduler.js';
import { AppConfig } from '../../../src/config/app-config.js';

interface SignedTx {
  data: Hex;
  gas: bigint;
  nonce: number;
  gasPrice: bigint;
}

// The embedded writer's batching and its fallback when a batch reverts, with the node stubbed
// (test/e2e/chain/embedded-writer.spec.ts sends real batches to PoCo).
const DEAL = `0x${'ab'.repeat(32)}` as Hex;
const taskId = (i: number) => `0x${i.toString(16).padStart(64, '0')}`;

function stubNode(doomed: bigint[] = []) {
  const calls = { simulations: 0, gasPrices: 0, receiptReads: 0 };
  const chainHead = { block: 1n };
  const sent: { functionName: string; indexes: bigint[]; hash: Hex; tx: SignedTx }[] = [];
  const receipts = new Map<Hex, 'success' | 'reverted'>();
  /** Hashes the node no longer knows (dropped from its mempool). */
  const dropped = new Set<Hex>();
  let releaseFirst: () => void = () => undefined;
  const firstSend = new Promise<void>((resolve) => (releaseFirst = resolve));
  let signed: SignedTx = { data: '0x', gas: 0n, nonce: 0, gasPrice: 0n };
  const publicClient = {
    call: async ({ data }: { data: Hex }) => {
      calls.simulations++;
      const { args } = decodeFunctionData({ abi: hubAbi, data });
      const indexes = Array.isArray(args[1]) ? (args[1] as bigint[]) : [args[1] as bigint];
      if (indexes.some((i) => doomed.includes(i)))
        throw new Error('execution reverted: #task-exists');
      return { data: '0x' };
    },
    getGasPrice: async () => {
      calls.gasPrices++;
      return 1_000_000_000n;
    },
    getTransactionCount: async () => 0,
    sendRawTransaction: async () => {
      const { functionName, args } = decodeFunctionData({ abi: hubAbi, data: signed.data });
      const indexes =
        functionName === 'initializeArray' ? [...(args[1] as bigint[])] : [args[1] as bigint];
      const hash = `0x${(sent.length + 1).toString(16).padStart(64, '0')}` as Hex;
      sent.push({ functionName, indexes, hash, tx: signed });
      if (sent.length === 1) await firstSend;
      return hash;
    },
    getBlockNumber: async () => chainHead.block,
    getTransaction: async ({ hash }: { hash: Hex }) => {
      if (dropped.has(hash)) throw new TransactionNotFoundError({ hash });
      return { hash };
    },
    getTransactionReceipt: async ({ hash }: { hash: Hex }) => {
      calls.receiptReads++;
      const status = receipts.get(hash);
      if (!status) throw new TransactionReceiptNotFoundError({ hash });
      return { status };
    },
  };
  const account = {
    address: '0x000000000000000000000000000000000000dEaD',
    signTransaction: async (tx: SignedTx) => {
      signed = tx;
      return '0x02' as Hex;
    },
  };
  const context = {
    publicClient,
    account,
    chain: { id: 65535 },
    chainConfig: { hubAddress: '0x3eca1B216A7DF1C7689aEb259fFB83ADFB894E7f', blockTimeMs: 1000 },
  } as unknown as ChainContext;
  return { context, sent, receipts, dropped, releaseFirst, calls, chainHead };
}

describe('EmbeddedChainWriter', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterEach(() => jest.restoreAllMocks());

  function writerOn(node: ReturnType<typeof stubNode>, gasPriceCap = 10n ** 12n) {
    let followReceipts: () => Promise<void> = async () => undefined;
    const jobs = {
      register: (_name: string, _ms: number, job: () => Promise<void>) => (followReceipts = job),
    } as unknown as JobScheduler;
    const config = { chain: { gasPriceMultiplier: 1, gasPriceCap } } as AppConfig;
    const writer = new EmbeddedChainWriter(config, node.context, jobs, 1000);
    return { writer, followReceipts: () => followReceipts() };
  }

  /** A writer on a node whose sends all return at once (none held back). */
  function sendingAtOnce() {
    const node = stubNode();
    node.releaseFirst();
    return { node, ...writerOn(node) };
  }

  it('replaces a transaction unmined for 30 s: same nonce, data and gas, a higher price', async () => {
    const { node, writer, followReceipts } = sendingAtOnce();
    expect(await writer.requestFinalize(taskId(7), undefined, undefined)).toEqual({
      accepted: true,
    });
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now + 31_000);
    await followReceipts();
    expect(node.sent).toHaveLength(2);
    const [first, replacement] = node.sent.map((s) => s.tx);
    expect(replacement).toMatchObject({ data: first.data, gas: first.gas, nonce: first.nonce });
    expect(replacement.gasPrice).toBeGreaterThan(first.gasPrice);
    expect(await writer.status(taskId(7), 'finalize')).toBe('PENDING');
    node.receipts.set(node.sent[1].hash, 'success');
    await followReceipts();
    expect(await writer.status(taskId(7), 'finalize')).toBe('SUCCESS');
  });

  it('sends a transaction at the gas price cap again, same nonce and price, once the node dropped it', async () => {
    const node = stubNode();
    node.releaseFirst();
    const { writer, followReceipts } = writerOn(node, 1_000_000_000n); // the network price
    await writer.requestFinalize(taskId(7), undefined, undefined);
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now + 31_000);
    await followReceipts();
    expect(node.sent).toHaveLength(1); // at the cap and still pending: it waits
    node.dropped.add(node.sent[0].hash);
    jest.spyOn(Date, 'now').mockReturnValue(now + 62_000);
    await followReceipts();
    expect(node.sent).toHaveLength(2);
    const [first, again] = node.sent.map((s) => s.tx);
    expect(again).toEqual(first);
    node.receipts.set(node.sent[1].hash, 'success');
    await followReceipts();
    expect(await writer.status(taskId(7), 'finalize')).toBe('SUCCESS');
  });

  it('forgets a settled outcome after its lifetime (UNKNOWN: the caller looks at the chain)', async () => {
    const { node, writer, followReceipts } = sendingAtOnce();
    await writer.requestFinalize(taskId(7), undefined, undefined);
    node.receipts.set(node.sent[0].hash, 'success');
    await followReceipts();
    expect(await writer.status(taskId(7), 'finalize')).toBe('SUCCESS');
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now + OUTCOME_LIFETIME_MS + 1);
    expect(await writer.status(taskId(7), 'finalize')).toBe('UNKNOWN');
  });

  it('reads the receipts of the transactions in flight concurrently, not one after the other', async () => {
    const { node, writer, followReceipts } = sendingAtOnce();
    for (const i of [1, 2, 3, 4]) await writer.requestFinalize(taskId(i), undefined, undefined);
    expect(node.sent).toHaveLength(4);
    for (const { hash } of node.sent) node.receipts.set(hash, 'success');
    let reading = 0;
    let most = 0;
    const read = node.context.publicClient.getTransactionReceipt.bind(node.context.publicClient);
    jest
      .spyOn(node.context.publicClient, 'getTransactionReceipt')
      .mockImplementation(async (args) => {
        most = Math.max(most, ++reading);
        await new Promise((r) => setTimeout(r, 5));
        reading--;
        return read(args);
      });
    await followReceipts();
    expect(most).toBe(4);
    for (const i of [1, 2, 3, 4])
      expect(await writer.status(taskId(i), 'finalize')).toBe('SUCCESS');
  });

  it('reads receipts again only when a block came or a transaction went out since', async () => {
    const { node, writer, followReceipts } = sendingAtOnce();
    await writer.requestFinalize(taskId(1), undefined, undefined);
    await followReceipts();
    expect(node.calls.receiptReads).toBe(1);
    await followReceipts(); // same block, nothing sent: no receipt can be new
    expect(node.calls.receiptReads).toBe(1);
    await writer.requestFinalize(taskId(2), undefined, undefined);
    await followReceipts(); // same block, but a transaction went out
    expect(node.calls.receiptReads).toBe(3);
    node.chainHead.block++;
    node.receipts.set(node.sent[0].hash, 'success');
    await followReceipts();
    expect(node.calls.receiptReads).toBe(5);
    expect(await writer.status(taskId(1), 'finalize')).toBe('SUCCESS');
    expect(await writer.status(taskId(2), 'finalize')).toBe('PENDING');
    // A failed read (not "no receipt yet") is read again at the next poll, same block or not.
    const read = node.context.publicClient.getTransactionReceipt.bind(node.context.publicClient);
    jest
      .spyOn(node.context.publicClient, 'getTransactionReceipt')
      .mockRejectedValueOnce(new Error('socket hang up'))
      .mockImplementation(read);
    node.chainHead.block++;
    await followReceipts();
    node.receipts.set(node.sent[1].hash, 'success');
    await followReceipts();
    expect(await writer.status(taskId(2), 'finalize')).toBe('SUCCESS');
  });

  it('reads the receipt of a transaction sent while a poll asked for the block number', async () => {
    // An automining node: the send makes the block, and then no block comes without a transaction.
    const { node, writer, followReceipts } = sendingAtOnce();
    await writer.requestFinalize(taskId(1), undefined, undefined);
    let answer: () => void = () => undefined;
    const asked = new Promise<void>((resolve) => (answer = resolve));
    jest
      .spyOn(node.context.publicClient, 'getBlockNumber')
      .mockImplementationOnce(async () => (await asked, node.chainHead.block))
      .mockImplementation(async () => node.chainHead.block);
    const poll = followReceipts();
    await writer.requestFinalize(taskId(2), undefined, undefined);
    node.chainHead.block++;
    node.receipts.set(node.sent[1].hash, 'success');
    answer(); // the block number the poll gets already has the second transaction
    await poll;
    await followReceipts();
    expect(await writer.status(taskId(2), 'finalize')).toBe('SUCCESS');
  });

  it('batches what waits behind a send, and sends a reverted batch task by task', async () => {
    const node = stubNode();
    const { writer, followReceipts } = writerOn(node);
    const settled: [string, string][] = [];
    writer.onSettled((id, _command, outcome) => settled.push([id, outcome]));

    const first = writer.requestInitialize(DEAL, 0, taskId(0));
    while (node.sent.length === 0) await new Promise((r) => setImmediate(r));
    const others = [1, 2, 3].map((i) => writer.requestInitialize(DEAL, i, taskId(i)));
    await new Promise((r) => setImmediate(r));
    node.releaseFirst();
    expect(await Promise.all([first, ...others])).toEqual(Array(4).fill({ accepted: true }));
    expect(node.sent.map((s) => [s.functionName, s.indexes])).toEqual([
      ['initialize', [0n]],
      ['initializeArray', [1n, 2n, 3n]],
    ]);

    node.receipts.set(node.sent[0].hash, 'success');
    node.receipts.set(node.sent[1].hash, 'reverted');
    await followReceipts();
    expect(await writer.status(taskId(0), 'initialize')).toBe('SUCCESS');
    // The batch says nothing about each task: UNKNOWN, so the task update asks again.
    for (const i of [1, 2, 3]) expect(await writer.status(taskId(i), 'initialize')).toBe('UNKNOWN');
    expect(settled).toEqual([
      [taskId(0), 'SUCCESS'],
      [taskId(1), 'FAILURE'],
      [taskId(2), 'FAILURE'],
      [taskId(3), 'FAILURE'],
    ]);

    const again = await Promise.all(
      [1, 2, 3].map((i) => writer.requestInitialize(DEAL, i, taskId(i))),
    );
    expect(again).toEqual(Array(3).fill({ accepted: true }));
    expect(node.sent.slice(2).map((s) => [s.functionName, s.indexes])).toEqual([
      ['initialize', [1n]],
      ['initialize', [2n]],
      ['initialize', [3n]],
    ]);
    // A request for a task already sent does not send it twice.
    expect(await writer.requestInitialize(DEAL, 0, taskId(0))).toEqual({ accepted: true });
    expect(node.sent).toHaveLength(5);
  });

  it('simulates a batch once, and alone only the tasks of a batch that would revert', async () => {
    const node = stubNode([2n]);
    const { writer } = writerOn(node);
    const first = writer.requestInitialize(DEAL, 0, taskId(0));
    while (node.sent.length === 0) await new Promise((r) => setImmediate(r));
    const others = [1, 2, 3].map((i) => writer.requestInitialize(DEAL, i, taskId(i)));
    await new Promise((r) => setImmediate(r));
    node.releaseFirst();
    const results = await Promise.all([first, ...others]);
    expect(results[2]).toMatchObject({ accepted: false, transient: false });
    expect((results[2] as { reason: string }).reason).toContain('#task-exists');
    for (const i of [0, 1, 3]) expect(results[i]).toEqual({ accepted: true });
    // The doomed task does not hold back the others: they still go out together.
    expect(node.sent.map((s) => [s.functionName, s.indexes])).toEqual([
      ['initialize', [0n]],
      ['initializeArray', [1n, 3n]],
    ]);
    // [0]; [1, 2, 3] (reverts); then 1, 2 and 3 alone.
    expect(node.calls.simulations).toBe(5);
    // Two sends within one block time: one gas price read.
    expect(node.calls.gasPrices).toBe(1);
  });
});
