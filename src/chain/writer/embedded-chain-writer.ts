import { Logger } from '@nestjs/common';
import { encodeFunctionData, type Hex } from 'viem';
import { AppConfig } from '../../config/app-config.js';
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

/** A failed eth_call caused by the node being unreachable, not by a revert. */
function isTransportError(error: unknown): boolean {
  const name = (error as { name?: string; cause?: { name?: string } })?.name ?? '';
  return (
    /HttpRequestError|TimeoutError|FetchError/.test(name) ||
    /HttpRequestError|TimeoutError/.test(
      (error as { cause?: { name?: string } })?.cause?.name ?? '',
    )
  );
}

interface SentTransaction {
  chainTaskId: string;
  command: ChainCommand;
  data: Hex;
  nonce: number;
  gasPrice: bigint;
  hashes: Hex[];
  lastSentAt: number;
}

/**
 * Sends initialize/finalize with the scheduler wallet: one send at a time (nonces in order; an
 * automining node refuses a nonce ahead of the expected one), pre-flight simulation so a doomed
 * transaction is refused instead of wasting gas, receipts followed in a background job, and a
 * same-nonce replacement at a higher price when a transaction stays unmined.
 */
export class EmbeddedChainWriter extends ChainWriter {
  readonly mode = 'embedded';
  private readonly logger = new Logger(EmbeddedChainWriter.name);
  private readonly inFlight = new Map<string, SentTransaction>();
  private readonly outcomes = new Map<string, 'SUCCESS' | 'FAILURE'>();
  private sendQueue: Promise<unknown> = Promise.resolve();
  private nextNonce?: number;
  private readonly stuckAfterMs: number;

  constructor(
    private readonly config: AppConfig,
    private readonly chain: ChainContext,
    jobs: JobScheduler,
    pollIntervalMs: number,
  ) {
    super();
    this.stuckAfterMs = Math.max(30_000, chain.chainConfig.blockTimeMs * 12);
    jobs.register('embedded-writer-receipts', pollIntervalMs, () => this.followReceipts());
  }

  requestInitialize(
    chainDealId: string,
    taskIndex: number,
    chainTaskId: string,
  ): Promise<RequestResult> {
    const data = encodeFunctionData({
      abi: hubAbi,
      functionName: 'initialize',
      args: [chainDealId as Hex, BigInt(taskIndex)],
    });
    return this.submit(chainTaskId, 'initialize', data);
  }

  requestFinalize(
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
    return this.submit(chainTaskId, 'finalize', data);
  }

  async status(chainTaskId: string, command: ChainCommand): Promise<CommandStatus> {
    const key = `${command}:${chainTaskId}`;
    if (this.inFlight.has(key)) return 'PENDING';
    return this.outcomes.get(key) ?? 'UNKNOWN';
  }

  /** Serializes sends: the nonce of each transaction is the previous one plus one. */
  private submit(chainTaskId: string, command: ChainCommand, data: Hex): Promise<RequestResult> {
    const run = this.sendQueue.then(() => this.send(chainTaskId, command, data));
    this.sendQueue = run.catch(() => undefined);
    return run;
  }

  private async send(
    chainTaskId: string,
    command: ChainCommand,
    data: Hex,
  ): Promise<RequestResult> {
    const key = `${command}:${chainTaskId}`;
    if (this.inFlight.has(key)) return { accepted: true };
    const { publicClient, walletClient, account, chainConfig } = this.chain;
    const to = chainConfig.hubAddress;
    try {
      await publicClient.call({ account: account.address, to, data, gas: GAS_LIMITS[command] });
    } catch (error) {
      return {
        accepted: false,
        reason: `${command} would revert: ${(error as Error).message.split('\n')[0]}`,
        transient: isTransportError(error),
      };
    }
    const networkPrice = await publicClient.getGasPrice().catch(() => undefined);
    const gasPrice = schedulerGasPrice(
      networkPrice,
      this.config.chain.gasPriceMultiplier,
      this.config.chain.gasPriceCap,
    );
    try {
      const pendingNonce = () =>
        publicClient.getTransactionCount({ address: account.address, blockTag: 'pending' });
      const sendWith = (nonce: number) =>
        walletClient.sendTransaction({
          account,
          chain: this.chain.chain,
          to,
          data,
          nonce,
          gas: GAS_LIMITS[command],
          gasPrice,
          type: 'legacy',
        });
      let nonce = this.nextNonce ?? (await pendingNonce());
      let hash: Hex;
      try {
        hash = await sendWith(nonce);
      } catch (error) {
        // Someone else sent from this wallet (an operator, another tool): our count is stale.
        if (this.nextNonce === undefined || !isNonceError(error)) throw error;
        nonce = await pendingNonce();
        this.logger.warn(`${command} ${chainTaskId}: nonce out of step, resending with ${nonce}`);
        hash = await sendWith(nonce);
      }
      this.nextNonce = nonce + 1;
      this.outcomes.delete(key);
      this.inFlight.set(key, {
        chainTaskId,
        command,
        data,
        nonce,
        gasPrice,
        hashes: [hash],
        lastSentAt: Date.now(),
      });
      this.logger.debug(
        `${command} ${chainTaskId} sent (${hash}, nonce ${nonce}, gas price ${gasPrice})`,
      );
      return { accepted: true };
    } catch (error) {
      this.nextNonce = undefined; // re-read from the node next time
      return {
        accepted: false,
        reason: `${command} not sent: ${(error as Error).message.split('\n')[0]}`,
        transient: true,
      };
    }
  }

  private async followReceipts(): Promise<void> {
    const { publicClient } = this.chain;
    for (const [key, tx] of [...this.inFlight]) {
      let settled: 'SUCCESS' | 'FAILURE' | undefined;
      for (const hash of tx.hashes) {
        const receipt = await publicClient.getTransactionReceipt({ hash }).catch(() => undefined);
        if (receipt) {
          settled = receipt.status === 'success' ? 'SUCCESS' : 'FAILURE';
          break;
        }
      }
      if (settled) {
        this.inFlight.delete(key);
        this.outcomes.set(key, settled);
        this.settled(tx.chainTaskId, tx.command, settled);
      } else if (Date.now() - tx.lastSentAt > this.stuckAfterMs) {
        await this.replace(tx);
      }
    }
  }

  /** Re-sends a stuck transaction with the same nonce at a higher price (until the cap). */
  private async replace(tx: SentTransaction): Promise<void> {
    const gasPrice = replacementGasPrice(tx.gasPrice, this.config.chain.gasPriceCap);
    if (gasPrice === undefined) return; // already at the cap: keep waiting
    const { walletClient, account, chainConfig } = this.chain;
    try {
      const hash = await walletClient.sendTransaction({
        account,
        chain: this.chain.chain,
        to: chainConfig.hubAddress,
        data: tx.data,
        nonce: tx.nonce,
        gas: GAS_LIMITS[tx.command],
        gasPrice,
        type: 'legacy',
      });
      tx.hashes.push(hash);
      tx.gasPrice = gasPrice;
      this.logger.warn(
        `${tx.command} ${tx.chainTaskId} unmined for ${this.stuckAfterMs} ms: replaced by ${hash} at ${gasPrice}`,
      );
    } catch (error) {
      this.logger.warn(
        `Replacement of ${tx.command} ${tx.chainTaskId} refused: ${(error as Error).message.split('\n')[0]}`,
      );
    } finally {
      tx.lastSentAt = Date.now();
    }
  }
}

/** The node refused the nonce (already used, or not the next one). */
function isNonceError(error: unknown): boolean {
  return /nonce/i.test((error as Error)?.message ?? '');
}
