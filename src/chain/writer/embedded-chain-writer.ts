import { assertLeading } from '../../leadership/write-fence.js';
import { Logger } from '@nestjs/common';
import {
  encodeFunctionData,
  TransactionNotFoundError,
  TransactionReceiptNotFoundError,
  type Hex,
} from 'viem';
import { AppConfig } from '../../config/app-config.js';
import { ExpiringStore } from '../../common/expiring-store.js';
import { forEachLimit } from '../../common/for-each-limit.js';
import { JobScheduler } from '../../common/jobs/job-scheduler.js';
import { ChainContext } from '../chain-context.js';
import { hubAbi } from '../poco-abi.js';
import {
  ChainCommand,
  ChainWriter,
  CommandStatus,
  finalizeCallbackBytes,
  finalizeResultsBytes,
  RequestResult,
} from './chain-writer.js';
import { GAS_LIMITS, replacementGasPrice, schedulerGasPrice } from './gas-price.js';
import { NetworkGasPrice } from './network-gas-price.js';
import { InitializeRequest, initializeCall, takeInitializeBatch } from './initialize-batch.js';
import {
  firstLine,
  isNonceError,
  isTransportError,
  refusal,
  SimulationProblem,
} from './send-problems.js';

/** Receipt reads of one poll in flight at once (a transaction's replacements are read in turn). */
const RECEIPT_READS_AT_ONCE = 16;

/**
 * How long a settled outcome is kept for `status`: the update it triggers reads it at once; past
 * this (a long outage) the caller gets UNKNOWN and looks at the chain, as after a restart.
 */
export const OUTCOME_LIFETIME_MS = 3_600_000;

interface SentTransaction {
  /** One task, or the tasks of an `initializeArray` batch. */
  chainTaskIds: string[];
  command: ChainCommand;
  data: Hex;
  gas: bigint;
  nonce: number;
  gasPrice: bigint;
  hashes: Hex[];
  lastSentAt: number;
}

interface PendingInitialize extends InitializeRequest {
  resolve: (result: RequestResult) => void;
}

/**
 * Sends initialize/finalize with the scheduler wallet: one send at a time (nonces in order; an
 * automining node refuses a nonce ahead of the expected one), initializations waiting meanwhile
 * batched into one `initializeArray`, pre-flight simulation so a doomed transaction is refused
 * instead of wasting gas (one simulation per batch; each task alone only when the batch would
 * revert), the network gas price read at most once per block time, receipts followed in a
 * background job, and a same-nonce replacement at a higher price when a transaction stays unmined.
 */
export class EmbeddedChainWriter extends ChainWriter {
  readonly mode = 'embedded';
  private readonly logger = new Logger(EmbeddedChainWriter.name);
  private readonly inFlight = new Map<string, SentTransaction>();
  private readonly outcomes = new ExpiringStore<'SUCCESS' | 'FAILURE'>(OUTCOME_LIFETIME_MS, () =>
    Date.now(),
  );
  private readonly pendingInitializes: PendingInitialize[] = [];
  /** Tasks whose batch reverted: sent alone from now on. */
  private readonly sendAlone = new Set<string>();
  private sendQueue: Promise<unknown> = Promise.resolve();
  private nextNonce?: number;
  private readonly stuckAfterMs: number;
  /** Block number at the last receipt reads, and whether a transaction went out since. */
  private receiptsReadAt?: bigint;
  private sentSinceReceipts = false;
  private readonly networkPrice: NetworkGasPrice;

  constructor(
    private readonly config: AppConfig,
    private readonly chain: ChainContext,
    jobs: JobScheduler,
    pollIntervalMs: number,
  ) {
    super();
    this.stuckAfterMs = Math.max(30_000, chain.chainConfig.blockTimeMs * 12);
    this.networkPrice = new NetworkGasPrice(
      () => chain.publicClient.getGasPrice(),
      Math.min(chain.chainConfig.blockTimeMs, 5000),
    );
    jobs.register('embedded-writer-receipts', pollIntervalMs, () => this.followReceipts());
  }

  async requestInitialize(
    chainDealId: string,
    taskIndex: number,
    chainTaskId: string,
  ): Promise<RequestResult> {
    if (this.inFlight.has(`initialize:${chainTaskId}`)) return { accepted: true };
    const request = { chainDealId, taskIndex, chainTaskId };
    const result = new Promise<RequestResult>((resolve) =>
      this.pendingInitializes.push({ ...request, resolve }),
    );
    this.enqueue(() => this.sendInitializeBatch()).catch((error: unknown) =>
      this.logger.error(`initialize batch not sent: ${(error as Error).message}`),
    );
    return result;
  }

  async requestFinalize(
    chainTaskId: string,
    resultLink: string | undefined,
    callbackData: string | undefined,
  ): Promise<RequestResult> {
    const data = encodeFunctionData({
      abi: hubAbi,
      functionName: 'finalize',
      args: [
        chainTaskId as Hex,
        finalizeResultsBytes(resultLink),
        finalizeCallbackBytes(callbackData),
      ],
    });
    const call = { data, gas: GAS_LIMITS.finalize };
    const checked = await this.preflight(chainTaskId, 'finalize', call);
    if ('accepted' in checked) return checked;
    return this.enqueue(() => this.send([chainTaskId], 'finalize', call, checked.gasPrice));
  }

  async status(chainTaskId: string, command: ChainCommand): Promise<CommandStatus> {
    const key = `${command}:${chainTaskId}`;
    if (this.inFlight.has(key)) return 'PENDING';
    return this.outcomes.get(key) ?? 'UNKNOWN';
  }

  /**
   * A finalize's simulation and gas price need no nonce: they run beside other sends. Only signing
   * and handing the transaction to the node are serialized.
   */
  private async preflight(
    chainTaskId: string,
    command: ChainCommand,
    call: { data: Hex; gas: bigint },
  ): Promise<RequestResult | { gasPrice: bigint }> {
    if (this.inFlight.has(`${command}:${chainTaskId}`)) return { accepted: true };
    const [problem, gasPrice] = await Promise.all([this.simulate(call), this.gasPrice()]);
    return problem ? refusal(command, problem) : { gasPrice };
  }

  /** eth_call of the transaction from the scheduler wallet: what would make it fail, if anything. */
  private async simulate(call: { data: Hex; gas: bigint }): Promise<SimulationProblem | undefined> {
    const { publicClient, account, chainConfig } = this.chain;
    try {
      await publicClient.call({ account: account.address, to: chainConfig.hubAddress, ...call });
      return undefined;
    } catch (error) {
      return {
        message: firstLine(error),
        transient: isTransportError(error),
      };
    }
  }

  /** chain.md §11's price. */
  private async gasPrice(): Promise<bigint> {
    return schedulerGasPrice(
      await this.networkPrice.get(),
      this.config.chain.gasPriceMultiplier,
      this.config.chain.gasPriceCap,
    );
  }

  /**
   * Splits a batch into what can be sent and what would revert: one simulation of the whole
   * batch, and one per task only when that one fails (`initializeArray` is all-or-nothing, so a
   * single doomed task must not hold back the others).
   */
  private async checkInitializes(
    batch: PendingInitialize[],
  ): Promise<{ sendable: PendingInitialize[]; refused: [PendingInitialize, RequestResult][] }> {
    const problem = await this.simulate(initializeCall(batch));
    if (!problem) return { sendable: batch, refused: [] };
    if (batch.length === 1 || problem.transient)
      return { sendable: [], refused: batch.map((r) => [r, refusal('initialize', problem)]) };
    const alone = await Promise.all(batch.map((r) => this.simulate(initializeCall([r]))));
    const sendable: PendingInitialize[] = [];
    const refused: [PendingInitialize, RequestResult][] = [];
    batch.forEach((request, i) => {
      const own = alone[i];
      if (own) refused.push([request, refusal('initialize', own)]);
      else sendable.push(request);
    });
    return { sendable, refused };
  }

  /** Runs `send` when the wallet's previous send is done (the nonce of each is the previous + 1). */
  private enqueue<T>(send: () => Promise<T>): Promise<T> {
    const run = this.sendQueue.then(send);
    this.sendQueue = run.catch(() => undefined);
    return run;
  }

  /**
   * Sends what waits to be initialized. Each request queues one of these; the first takes up to a
   * batch, so later ones may find nothing left.
   */
  private async sendInitializeBatch(): Promise<void> {
    const taken = takeInitializeBatch(this.pendingInitializes, this.sendAlone);
    // A same-task request simulated before the first one was mined must not send it twice.
    const batch = taken.filter((r) => !this.sentOrDone('initialize', r.chainTaskId));
    for (const request of taken) if (!batch.includes(request)) request.resolve({ accepted: true });
    if (batch.length === 0) return;
    let sendable: PendingInitialize[] = batch;
    let result: RequestResult = { accepted: false, reason: 'initialize not sent', transient: true };
    try {
      const checked = await this.checkInitializes(batch);
      for (const [request, refused] of checked.refused) request.resolve(refused);
      sendable = checked.sendable;
      if (sendable.length === 0) return;
      const ids = sendable.map((r) => r.chainTaskId);
      result = await this.send(ids, 'initialize', initializeCall(sendable), await this.gasPrice());
    } finally {
      for (const request of sendable) request.resolve(result);
    }
  }

  private sentOrDone(command: ChainCommand, chainTaskId: string): boolean {
    const key = `${command}:${chainTaskId}`;
    return this.inFlight.has(key) || this.outcomes.get(key) === 'SUCCESS';
  }

  private async send(
    ids: string[],
    command: ChainCommand,
    call: { data: Hex; gas: bigint },
    gasPrice: bigint,
  ): Promise<RequestResult> {
    if (ids.every((id) => this.sentOrDone(command, id))) return { accepted: true };
    const { publicClient, account } = this.chain;
    try {
      const pendingNonce = () =>
        publicClient.getTransactionCount({ address: account.address, blockTag: 'pending' });
      const sendWith = (nonce: number) => this.sign(call, nonce, gasPrice);
      let nonce = this.nextNonce ?? (await pendingNonce());
      let hash: Hex;
      try {
        hash = await sendWith(nonce);
      } catch (error) {
        // Someone else sent from this wallet (an operator, another tool): our count is stale.
        if (this.nextNonce === undefined || !isNonceError(error)) throw error;
        nonce = await pendingNonce();
        this.logger.warn(`${command} ${ids[0]}: nonce out of step, resending with ${nonce}`);
        hash = await sendWith(nonce);
      }
      this.nextNonce = nonce + 1;
      this.sentSinceReceipts = true;
      const tx: SentTransaction = {
        chainTaskIds: ids,
        command,
        ...call,
        nonce,
        gasPrice,
        hashes: [hash],
        lastSentAt: Date.now(),
      };
      for (const id of ids) {
        this.outcomes.delete(`${command}:${id}`);
        this.inFlight.set(`${command}:${id}`, tx);
      }
      this.logger.debug(
        `${command} ${ids.join(', ')} sent (${hash}, nonce ${nonce}, gas price ${gasPrice})`,
      );
      return { accepted: true };
    } catch (error) {
      this.nextNonce = undefined; // re-read from the node next time
      return {
        accepted: false,
        reason: `${command} not sent: ${firstLine(error)}`,
        transient: true,
      };
    }
  }

  /**
   * Signs locally and hands the transaction to the node: one RPC. (viem's sendTransaction would
   * also ask the node for its chain id each time, inside the serialized section.)
   */
  private async sign(call: { data: Hex; gas: bigint }, nonce: number, gasPrice: bigint) {
    const { publicClient, account, chain, chainConfig } = this.chain;
    const serializedTransaction = await account.signTransaction({
      chainId: chain.id,
      to: chainConfig.hubAddress,
      ...call,
      nonce,
      gasPrice,
      type: 'legacy',
    });
    // The last moment before the transaction leaves: a leader past its lease stops here.
    assertLeading('a chain transaction');
    return publicClient.sendRawTransaction({ serializedTransaction });
  }

  /**
   * Polled a few times per block time: a receipt can only appear with a new block, so the
   * receipts are read again only when the block number moved or a transaction went out since.
   */
  private async followReceipts(): Promise<void> {
    if (this.inFlight.size === 0) return;
    const sent = this.sentSinceReceipts;
    this.sentSinceReceipts = false;
    const latest = await this.chain.publicClient
      .getBlockNumber({ cacheTime: 0 })
      .catch(() => undefined);
    // Taken after the block number: a transaction sent meanwhile (already mined, on an automining
    // node) is read now, and one sent from here on sets `sentSinceReceipts` for the next poll.
    const txs = new Set(this.inFlight.values());
    if (latest !== undefined && latest === this.receiptsReadAt && !sent) {
      for (const tx of txs) if (this.isStuck(tx)) await this.replace(tx);
      return;
    }
    this.receiptsReadAt = latest;
    // One after the other, a poll took a round trip per transaction in flight: ~100 ms with 5 of
    // them on a busy node, longer than a 250 ms block, and it delayed every settle behind it.
    await forEachLimit(txs, RECEIPT_READS_AT_ONCE, (tx) => this.followReceipt(tx));
  }

  private isStuck(tx: SentTransaction): boolean {
    return Date.now() - tx.lastSentAt > this.stuckAfterMs;
  }

  private async followReceipt(tx: SentTransaction): Promise<void> {
    let settled: 'SUCCESS' | 'FAILURE' | undefined;
    for (const hash of tx.hashes) {
      const receipt = await this.chain.publicClient
        .getTransactionReceipt({ hash })
        .catch((error: unknown) => {
          // Only "no receipt yet" is an answer; after a failed read, read again next poll even
          // if no block comes (an automining node makes none without a transaction).
          if (!(error instanceof TransactionReceiptNotFoundError)) this.receiptsReadAt = undefined;
          return undefined;
        });
      if (receipt) {
        settled = receipt.status === 'success' ? 'SUCCESS' : 'FAILURE';
        break;
      }
    }
    if (settled) this.settle(tx, settled);
    else if (this.isStuck(tx)) await this.replace(tx);
  }

  private settle(tx: SentTransaction, outcome: 'SUCCESS' | 'FAILURE'): void {
    // A reverted batch says nothing about each of its tasks: they stay UNKNOWN (the task update
    // then asks again, after its own checks) and go alone next time.
    const batchReverted = outcome === 'FAILURE' && tx.chainTaskIds.length > 1;
    if (batchReverted)
      this.logger.warn(
        `initializeArray of ${tx.chainTaskIds.length} tasks reverted: retried one by one`,
      );
    for (const id of tx.chainTaskIds) {
      const key = `${tx.command}:${id}`;
      this.inFlight.delete(key);
      if (batchReverted) this.sendAlone.add(id);
      else {
        this.outcomes.set(key, outcome);
        this.sendAlone.delete(id);
      }
      this.settled(id, tx.command, outcome);
    }
  }

  /**
   * A stuck transaction is re-sent with the same nonce at a higher price, up to the cap. At the
   * cap it is sent again as it is once the node no longer knows it (dropped from its mempool):
   * every later nonce waits behind it.
   */
  private async replace(tx: SentTransaction): Promise<void> {
    const bumped = replacementGasPrice(tx.gasPrice, this.config.chain.gasPriceCap);
    const what = `${tx.command} ${tx.chainTaskIds.join(', ')}`;
    try {
      if (bumped === undefined && !(await this.droppedByNode(tx))) return; // pending: wait
      const gasPrice = bumped ?? tx.gasPrice;
      const hash = await this.sign({ data: tx.data, gas: tx.gas }, tx.nonce, gasPrice);
      if (!tx.hashes.includes(hash)) tx.hashes.push(hash);
      tx.gasPrice = gasPrice;
      this.sentSinceReceipts = true;
      this.logger.warn(
        bumped === undefined
          ? `${what} dropped by the node at the gas price cap: sent again (${hash}, nonce ${tx.nonce})`
          : `${what} unmined for ${this.stuckAfterMs} ms: replaced by ${hash} at ${gasPrice}`,
      );
    } catch (error) {
      this.logger.warn(`Replacement of ${what} not sent: ${firstLine(error)}`);
    } finally {
      tx.lastSentAt = Date.now();
    }
  }

  /** The node no longer knows the last version of `tx` (neither pending nor mined). */
  private async droppedByNode(tx: SentTransaction): Promise<boolean> {
    try {
      await this.chain.publicClient.getTransaction({ hash: tx.hashes[tx.hashes.length - 1] });
      return false;
    } catch (error) {
      if (error instanceof TransactionNotFoundError) return true;
      throw error;
    }
  }
}
