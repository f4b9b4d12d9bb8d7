// The worker's own view of the chain: latest block, task description (task + deal) and the three
// transactions a worker sends. One instance is shared by a fleet (one viem public client, one
// block-number cache); transactions of one wallet are serialized (no nonce races).
import type { Address, Hex, LocalAccount, TransactionReceipt } from 'viem';
import { isTeeTag } from '../../src/chain/tee-tag.js';
import { createChainClients, type ChainClients } from '../chain/clients.js';
import { explained, sendContractTx } from '../chain/tx.js';
import { hubAbi } from '../poco/abi.js';
import { pocoContext, type PocoContext } from '../poco/context.js';
import type { PocoDeployment } from '../poco/deployment.js';
import { viewDeal, viewTask } from '../poco/reads.js';
import { resultHashOf } from '../poco/signatures.js';
import { explainContributeFailure, explainRevealFailure } from '../poco/task-checks.js';
import type { ChainReceipt } from './protocol.js';
import { isCallbackAddress } from './result.js';

/** What the worker reads of a task on its node (immutable once the task is initialized). */
export interface TaskFacts {
  chainTaskId: Hex;
  dealId: Hex;
  trust: bigint;
  tag: Hex;
  isTee: boolean;
  /** null when the deal has no callback (zero address). */
  callback: Address | null;
  category: bigint;
  /** seconds since the epoch */
  contributionDeadline: number;
  finalDeadline: number;
}

export interface ContributeArgs {
  chainTaskId: Hex;
  resultHash: Hex;
  resultSeal: Hex;
  enclaveChallenge: Address;
  enclaveSign: Hex;
  authorizationSign: Hex;
}

export interface ContributeAndFinalizeArgs {
  chainTaskId: Hex;
  resultDigest: Hex;
  results: Hex;
  resultsCallback: Hex;
  enclaveChallenge: Address;
  enclaveSign: Hex;
  authorizationSign: Hex;
  /** for failure explanations only */
  resultHash: Hex;
  resultSeal: Hex;
}

export interface WorkerChainApi {
  latestBlockNumber(): Promise<number>;
  /** undefined when the task is not readable (not initialized, unknown, node down). */
  readTask(chainTaskId: string): Promise<TaskFacts | undefined>;
  contribute(account: LocalAccount, args: ContributeArgs): Promise<ChainReceipt>;
  reveal(account: LocalAccount, chainTaskId: Hex, resultDigest: Hex): Promise<ChainReceipt>;
  contributeAndFinalize(
    account: LocalAccount,
    args: ContributeAndFinalizeArgs,
  ): Promise<ChainReceipt>;
}

export interface WorkerChainOptions {
  /** How long a latest-block read is reused across workers (default 250 ms). */
  blockCacheMs?: number;
}

function receiptOf(receipt: TransactionReceipt): ChainReceipt {
  return { blockNumber: Number(receipt.blockNumber), txHash: receipt.transactionHash };
}

export class WorkerChain implements WorkerChainApi {
  readonly ctx: PocoContext;
  private readonly blockCacheMs: number;
  private block?: { value: Promise<number>; at: number };
  private readonly facts = new Map<string, Promise<TaskFacts | undefined>>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    readonly deployment: PocoDeployment,
    readonly clients: ChainClients = createChainClients(deployment),
    options: WorkerChainOptions = {},
  ) {
    this.ctx = pocoContext(deployment, clients);
    this.blockCacheMs = options.blockCacheMs ?? 250;
  }

  latestBlockNumber(): Promise<number> {
    const now = Date.now();
    if (!this.block || now - this.block.at > this.blockCacheMs) {
      const value = this.clients.publicClient.getBlockNumber({ cacheTime: 0 }).then(Number);
      this.block = { value, at: now };
      value.catch(() => (this.block = undefined));
    }
    return this.block.value;
  }

  readTask(chainTaskId: string): Promise<TaskFacts | undefined> {
    let facts = this.facts.get(chainTaskId);
    if (!facts) {
      facts = this.loadTask(chainTaskId as Hex);
      this.facts.set(chainTaskId, facts);
      // only a successful read is immutable
      void facts.then((f) => f ?? this.facts.delete(chainTaskId)).catch(() => undefined);
    }
    return facts;
  }

  contribute(account: LocalAccount, args: ContributeArgs): Promise<ChainReceipt> {
    return this.serialized(account.address, async () => {
      const { receipt } = await explained(
        () =>
          this.hubTx(account, 'contribute', [
            args.chainTaskId,
            args.resultHash,
            args.resultSeal,
            args.enclaveChallenge,
            args.enclaveSign,
            args.authorizationSign,
          ]),
        () =>
          explainContributeFailure(this.ctx, {
            ...args,
            taskId: args.chainTaskId,
            worker: account.address,
          }),
      );
      return receiptOf(receipt);
    });
  }

  reveal(account: LocalAccount, chainTaskId: Hex, resultDigest: Hex): Promise<ChainReceipt> {
    return this.serialized(account.address, async () => {
      const { receipt } = await explained(
        () => this.hubTx(account, 'reveal', [chainTaskId, resultDigest]),
        () =>
          explainRevealFailure(
            this.ctx,
            account.address,
            chainTaskId,
            resultHashOf(chainTaskId, resultDigest),
          ),
      );
      return receiptOf(receipt);
    });
  }

  contributeAndFinalize(
    account: LocalAccount,
    args: ContributeAndFinalizeArgs,
  ): Promise<ChainReceipt> {
    return this.serialized(account.address, async () => {
      const { receipt } = await explained(
        () =>
          this.hubTx(account, 'contributeAndFinalize', [
            args.chainTaskId,
            args.resultDigest,
            args.results,
            args.resultsCallback,
            args.enclaveChallenge,
            args.enclaveSign,
            args.authorizationSign,
          ]),
        () =>
          explainContributeFailure(this.ctx, {
            ...args,
            taskId: args.chainTaskId,
            worker: account.address,
            andFinalize: true,
          }),
      );
      return receiptOf(receipt);
    });
  }

  private async loadTask(chainTaskId: Hex): Promise<TaskFacts | undefined> {
    try {
      const task = await viewTask(this.ctx, chainTaskId);
      if (BigInt(task.dealid) === 0n) return undefined;
      const deal = await viewDeal(this.ctx, task.dealid);
      return {
        chainTaskId,
        dealId: task.dealid,
        trust: deal.trust,
        tag: deal.tag,
        isTee: isTeeTag(deal.tag),
        callback: isCallbackAddress(deal.callback) ? deal.callback : null,
        category: deal.category,
        contributionDeadline: Number(task.contributionDeadline),
        finalDeadline: Number(task.finalDeadline),
      };
    } catch {
      return undefined;
    }
  }

  private hubTx(account: LocalAccount, functionName: string, args: readonly unknown[]) {
    return sendContractTx(this.clients, account, {
      address: this.deployment.hub,
      abi: hubAbi,
      functionName,
      args,
    });
  }

  private serialized<T>(key: string, run: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.then(run, run);
    const settled = next.catch(() => undefined);
    this.queues.set(key, settled);
    void settled.then(() => {
      if (this.queues.get(key) === settled) this.queues.delete(key);
    });
    return next;
  }
}
