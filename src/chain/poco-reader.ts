import { Injectable, Logger } from '@nestjs/common';
import { hexToString, type AbiEvent, type Hex } from 'viem';
import { AppConfig } from '../config/app-config.js';
import { ChainContext, GAS_LIMIT_CAP } from './chain-context.js';
import { getLogsChunked, type LogsClient } from './chunked-logs.js';
import {
  chainAddress,
  ChainApp,
  ChainCategory,
  ChainContribution,
  ChainDataset,
  ChainDeal,
  isNonZeroAddress,
  ZERO_BYTES32,
} from './chain-models.js';
import { ChainContributionStatus, ChainTaskStatus } from './chain-status.js';
import type { ChainTask } from './chain-task.js';
import { appAbi, datasetAbi, hubAbi, workerpoolAbi } from './poco-abi.js';
import { chainTaskId as computeChainTaskId } from './task-id.js';

export interface EventReceipt {
  blockNumber: number;
  txHash?: Hex;
}

export type TaskEvent = 'TaskConsensus' | 'TaskContribute' | 'TaskReveal' | 'TaskFinalize';

const toMs = (seconds: bigint) => Number(seconds) * 1000;

/**
 * Typed reads of the PoCo hub and its registries (chain.md §5–§9). Reads that fail answer
 * `undefined` ("absent"); callers decide what absence means. Event lookups (findTaskEvent)
 * throw instead: there "absent" would be taken for "no event".
 */
@Injectable()
export class PocoReader {
  private readonly logger = new Logger(PocoReader.name);
  private contributionDeadlineRatio?: number;

  constructor(
    private readonly chain: ChainContext,
    private readonly config: AppConfig,
  ) {}

  private get hub() {
    return this.chain.chainConfig.hubAddress;
  }

  private get client() {
    return this.chain.publicClient;
  }

  async latestBlockNumber(): Promise<bigint | undefined> {
    try {
      return await this.client.getBlockNumber({ cacheTime: 0 });
    } catch {
      return undefined;
    }
  }

  async latestBlock(): Promise<{ number: bigint; timestamp: bigint } | undefined> {
    try {
      const block = await this.client.getBlock({ blockTag: 'latest' });
      return { number: block.number, timestamp: block.timestamp };
    } catch {
      return undefined;
    }
  }

  async getChainTask(chainTaskId: string): Promise<ChainTask | undefined> {
    try {
      const [
        status,
        dealid,
        idx,
        timeref,
        contributionDeadline,
        revealDeadline,
        finalDeadline,
        consensusValue,
        revealCounter,
        winnerCounter,
        contributors,
        results,
      ] = await this.client.readContract({
        address: this.hub,
        abi: hubAbi,
        functionName: 'viewTaskABILegacy',
        args: [chainTaskId as Hex],
      });
      if (dealid === ZERO_BYTES32) return undefined;
      return {
        chainTaskId: computeChainTaskId(dealid, idx),
        status: status as ChainTaskStatus,
        dealid,
        idx: Number(idx),
        timeref: Number(timeref),
        contributionDeadline: toMs(contributionDeadline),
        revealDeadline: toMs(revealDeadline),
        finalDeadline: toMs(finalDeadline),
        consensusValue,
        revealCounter: Number(revealCounter),
        winnerCounter: Number(winnerCounter),
        contributors: [...contributors],
        results,
      };
    } catch (error) {
      this.logger.debug(`viewTask ${chainTaskId} failed: ${(error as Error).message}`, {
        chainTaskId,
      });
      return undefined;
    }
  }

  async getChainContribution(
    chainTaskId: string,
    worker: string,
  ): Promise<ChainContribution | undefined> {
    try {
      const [status, resultHash, resultSeal, enclaveChallenge] = await this.client.readContract({
        address: this.hub,
        abi: hubAbi,
        functionName: 'viewContributionABILegacy',
        args: [chainTaskId as Hex, chainAddress(worker)],
      });
      return {
        status: status as ChainContributionStatus,
        resultHash,
        resultSeal,
        enclaveChallenge,
      };
    } catch (error) {
      this.logger.debug(
        `viewContribution ${chainTaskId}/${worker} failed: ${(error as Error).message}`,
        { chainTaskId },
      );
      return undefined;
    }
  }

  async getCategory(id: bigint | number): Promise<ChainCategory | undefined> {
    try {
      const [name, description, workClockTimeRef] = await this.client.readContract({
        address: this.hub,
        abi: hubAbi,
        functionName: 'viewCategoryABILegacy',
        args: [BigInt(id)],
      });
      const maxExecutionTime = toMs(workClockTimeRef);
      return maxExecutionTime > 0
        ? { id: Number(id), name, description, maxExecutionTime }
        : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * The deal with its category ("light"), and with `details` the app and dataset reads too.
   * Undefined when unreadable, when its start time is 0, or (details) when the app is unreadable.
   */
  async getChainDeal(
    chainDealId: string,
    options: { details: boolean },
  ): Promise<ChainDeal | undefined> {
    try {
      const deal = await this.client.readContract({
        address: this.hub,
        abi: hubAbi,
        functionName: 'viewDeal',
        args: [chainDealId as Hex],
      });
      if (deal.startTime <= 0n) return undefined;
      const category = await this.getCategory(deal.category);
      if (!category) return undefined;
      const result: ChainDeal = {
        chainDealId: chainDealId.toLowerCase() as Hex,
        app: { ...deal.app },
        dataset: { ...deal.dataset },
        workerpool: { ...deal.workerpool },
        trust: deal.trust,
        category,
        tag: deal.tag,
        requester: deal.requester,
        beneficiary: deal.beneficiary,
        callback: deal.callback,
        params: deal.params,
        startTime: Number(deal.startTime),
        botFirst: Number(deal.botFirst),
        botSize: Number(deal.botSize),
        workerStake: deal.workerStake,
        schedulerRewardRatio: deal.schedulerRewardRatio,
      };
      if (!options.details) return result;
      const chainApp = await this.getApp(deal.app.pointer);
      if (!chainApp) return undefined;
      result.chainApp = chainApp;
      if (isNonZeroAddress(deal.dataset.pointer))
        result.chainDataset = await this.getDataset(deal.dataset.pointer);
      return result;
    } catch (error) {
      this.logger.debug(`viewDeal ${chainDealId} failed: ${(error as Error).message}`, {
        chainDealId,
      });
      return undefined;
    }
  }

  async getApp(address: string): Promise<ChainApp | undefined> {
    if (!isNonZeroAddress(address)) return undefined;
    const read = <
      F extends 'm_appName' | 'm_appType' | 'm_appMultiaddr' | 'm_appChecksum' | 'm_appMREnclave',
    >(
      functionName: F,
    ) => this.client.readContract({ address: address as Hex, abi: appAbi, functionName });
    try {
      const [name, type, multiaddr, checksum, mrenclave] = await Promise.all([
        read('m_appName'),
        read('m_appType'),
        read('m_appMultiaddr'),
        read('m_appChecksum'),
        read('m_appMREnclave'),
      ]);
      const enclaveText = mrenclave === '0x' ? '' : hexToString(mrenclave as Hex);
      let enclaveConfiguration: Record<string, unknown> | undefined;
      if (enclaveText.trim() !== '') {
        const parsed: unknown = JSON.parse(enclaveText);
        if (typeof parsed !== 'object' || parsed === null) return undefined;
        enclaveConfiguration = parsed as Record<string, unknown>;
      }
      return {
        address,
        name,
        type,
        uri: hexToString(multiaddr as Hex),
        checksum: checksum as Hex,
        enclaveConfiguration,
      };
    } catch (error) {
      this.logger.warn(`App ${address} is unreadable: ${(error as Error).message}`);
      return undefined;
    }
  }

  async getDataset(address: string): Promise<ChainDataset | undefined> {
    try {
      const [owner, name, multiaddr, checksum] = await Promise.all([
        this.client.readContract({
          address: address as Hex,
          abi: datasetAbi,
          functionName: 'owner',
        }),
        this.client.readContract({
          address: address as Hex,
          abi: datasetAbi,
          functionName: 'm_datasetName',
        }),
        this.client.readContract({
          address: address as Hex,
          abi: datasetAbi,
          functionName: 'm_datasetMultiaddr',
        }),
        this.client.readContract({
          address: address as Hex,
          abi: datasetAbi,
          functionName: 'm_datasetChecksum',
        }),
      ]);
      return { address, owner, name, uri: multiaddr, checksum };
    } catch {
      return undefined;
    }
  }

  async getWorkerScore(worker: string): Promise<bigint | undefined> {
    try {
      return await this.client.readContract({
        address: this.hub,
        abi: hubAbi,
        functionName: 'viewScore',
        args: [chainAddress(worker)],
      });
    } catch {
      return undefined;
    }
  }

  /** PoCo's contribution deadline ratio (7 on v5/v6), cached once read. */
  async getContributionDeadlineRatio(): Promise<number | undefined> {
    if (this.contributionDeadlineRatio !== undefined) return this.contributionDeadlineRatio;
    try {
      const ratio = await this.client.readContract({
        address: this.hub,
        abi: hubAbi,
        functionName: 'contribution_deadline_ratio',
      });
      this.contributionDeadlineRatio = Number(ratio);
      return this.contributionDeadlineRatio;
    } catch {
      return undefined;
    }
  }

  async getWorkerpoolOwner(workerpool: string): Promise<string | undefined> {
    try {
      return await this.client.readContract({
        address: workerpool as Hex,
        abi: workerpoolAbi,
        functionName: 'owner',
      });
    } catch {
      return undefined;
    }
  }

  async getBalance(address: string): Promise<bigint | undefined> {
    try {
      return await this.client.getBalance({ address: chainAddress(address) });
    } catch {
      return undefined;
    }
  }

  /**
   * chain.md §11: on a sidechain always true; otherwise the balance must pay at least one
   * transaction at the capped gas price and gas limit.
   */
  async hasEnoughGas(address: string, gasPriceCap: bigint): Promise<boolean> {
    if (this.chain.chainConfig.sidechain) return true;
    const balance = await this.getBalance(address);
    if (balance === undefined) return false;
    const estimated = balance / (GAS_LIMIT_CAP * gasPriceCap);
    if (estimated < 1n) {
      this.logger.error(
        `Wallet ${address} cannot pay one transaction (balance ${balance} wei): refill it`,
      );
      return false;
    }
    if (estimated < 10n)
      this.logger.warn(`Wallet ${address} can pay only ${estimated} more transactions`);
    return true;
  }

  /**
   * The first log of a task event from `fromBlock` to the latest block (undefined when there is
   * none, or when `fromBlock` is in the future), read in chunks of IEXEC_MAX_LOG_RANGE blocks.
   * Indexed topics narrow the query (chain.md §9). Throws when a read fails: a failed read is
   * never "no event", so callers store nothing derived from it.
   */
  async findTaskEvent(
    event: TaskEvent,
    chainTaskId: string,
    fromBlock: bigint,
    worker?: string,
  ): Promise<EventReceipt | undefined> {
    const latest = await this.client.getBlockNumber({ cacheTime: 0 });
    if (fromBlock > latest) return undefined;
    const eventAbi = hubAbi.find((x) => x.type === 'event' && x.name === event) as AbiEvent;
    const args: Record<string, unknown> = { taskid: chainTaskId as Hex };
    if (worker && (event === 'TaskContribute' || event === 'TaskReveal'))
      args.worker = chainAddress(worker);
    const logs = await getLogsChunked(
      this.client as unknown as LogsClient,
      { address: this.hub, event: eventAbi, args },
      fromBlock,
      latest,
      { maxRange: this.config.chain.maxLogRange, firstOnly: true },
    );
    const first = logs[0];
    return first
      ? {
          blockNumber: Number(first.blockNumber ?? 0n),
          txHash: first.transactionHash ?? undefined,
        }
      : undefined;
  }
}
