// The Blockchain Adapter's command engine: accepted commands are executed one at a time by one
// wallet (nonces in order), finalize before initialize, each as a real transaction sent up to 5
// times until the chain returns a receipt. SUCCESS only with a successful receipt.
import {
  encodeFunctionData,
  keccak256,
  type Hex,
  type LocalAccount,
  type TransactionReceipt,
} from 'viem';
import type { ChainClients } from '../chain/clients.js';
import { hubAbi } from '../poco/abi.js';

export type AdapterCommandKind = 'initialize' | 'finalize';
export type AdapterCommandStatus = 'RECEIVED' | 'PROCESSING' | 'SUCCESS' | 'FAILURE';

export const MAX_SEND_ATTEMPTS = 5;
/** Gas limits of the Java library (chain.md §11): the transaction is not simulated first. */
export const GAS_LIMITS: Record<AdapterCommandKind, bigint> = {
  initialize: 300_000n,
  finalize: 3_000_000n,
};

export type HubCall =
  | { functionName: 'initialize'; args: readonly [Hex, bigint] }
  | { functionName: 'finalize'; args: readonly [Hex, Hex, Hex] };

export interface AdapterCommand {
  kind: AdapterCommandKind;
  chainTaskId: Hex;
  status: AdapterCommandStatus;
  call: HubCall;
  /** Send attempts made (a reverted transaction counts as one attempt with a receipt). */
  attempts: number;
  txHash?: Hex;
  blockNumber?: bigint;
  /** Last send error, or why the command failed. */
  error?: string;
}

export interface CommandEngineOptions {
  clients: ChainClients;
  hub: Hex;
  wallet: LocalAccount;
  /** Pause between two send attempts (default 200 ms). */
  retryDelayMs?: number;
  /** Receipt wait per attempt (default 30 s; the dev chain automines). */
  receiptTimeoutMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const key = (kind: AdapterCommandKind, chainTaskId: string) =>
  `${kind}:${chainTaskId.toLowerCase()}`;

export class CommandEngine {
  private readonly commands = new Map<string, AdapterCommand>();
  /** Keys whose request is being pre-checked: a concurrent duplicate is refused meanwhile. */
  private readonly reserved = new Set<string>();
  private readonly queues: Record<AdapterCommandKind, AdapterCommand[]> = {
    finalize: [],
    initialize: [],
  };
  private readonly injectedFailures: Record<AdapterCommandKind, number> = {
    initialize: 0,
    finalize: 0,
  };
  private running: Promise<void> | undefined;
  private paused = false;
  private processingDelayMs = 0;
  private waiters: (() => void)[] = [];

  constructor(private readonly options: CommandEngineOptions) {}

  get(kind: AdapterCommandKind, chainTaskId: string): AdapterCommand | undefined {
    return this.commands.get(key(kind, chainTaskId));
  }

  all(): AdapterCommand[] {
    return [...this.commands.values()];
  }

  /** Reserves the task id for a request being checked; false when a command already exists. */
  reserve(kind: AdapterCommandKind, chainTaskId: string): boolean {
    const k = key(kind, chainTaskId);
    if (this.commands.has(k) || this.reserved.has(k)) return false;
    this.reserved.add(k);
    return true;
  }

  release(kind: AdapterCommandKind, chainTaskId: string): void {
    this.reserved.delete(key(kind, chainTaskId));
  }

  /** Stores the command as RECEIVED and schedules it. */
  submit(kind: AdapterCommandKind, chainTaskId: Hex, call: HubCall): AdapterCommand {
    const k = key(kind, chainTaskId);
    this.reserved.delete(k);
    const command: AdapterCommand = { kind, chainTaskId, status: 'RECEIVED', call, attempts: 0 };
    this.commands.set(k, command);
    this.queues[kind].push(command);
    // answer the request before the first transaction goes out
    setImmediate(() => this.kick());
    return command;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.kick();
  }

  failNext(kind: AdapterCommandKind, count = 1): void {
    this.injectedFailures[kind] += count;
  }

  setProcessingDelay(ms: number): void {
    this.processingDelayMs = ms;
  }

  /** Resolves once no command is queued or running (never while paused with work queued). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Stops picking commands and waits for the one being executed, if any. */
  async halt(): Promise<void> {
    this.paused = true;
    await this.running;
  }

  /** Forgets the commands that are settled (SUCCESS / FAILURE). */
  clearSettled(): void {
    for (const [k, command] of this.commands) {
      if (command.status === 'SUCCESS' || command.status === 'FAILURE') this.commands.delete(k);
    }
  }

  private isIdle(): boolean {
    return !this.running && this.queues.finalize.length + this.queues.initialize.length === 0;
  }

  private kick(): void {
    if (this.running || this.paused) return;
    const next = this.queues.finalize.shift() ?? this.queues.initialize.shift();
    if (!next) {
      const waiters = this.waiters;
      this.waiters = [];
      waiters.forEach((resolve) => resolve());
      return;
    }
    this.running = this.execute(next).finally(() => {
      this.running = undefined;
      this.kick();
    });
  }

  private async execute(command: AdapterCommand): Promise<void> {
    command.status = 'PROCESSING';
    if (this.processingDelayMs > 0) await sleep(this.processingDelayMs);
    const injected = this.injectedFailures[command.kind] > 0;
    if (injected) this.injectedFailures[command.kind]--;
    for (let attempt = 1; attempt <= MAX_SEND_ATTEMPTS; attempt++) {
      command.attempts = attempt;
      try {
        if (injected) throw new Error('send failure injected by failNext()');
        const receipt = await this.send(command);
        command.txHash = receipt.transactionHash;
        command.blockNumber = receipt.blockNumber;
        command.status = receipt.status === 'success' ? 'SUCCESS' : 'FAILURE';
        if (receipt.status !== 'success') command.error = 'transaction reverted';
        return;
      } catch (error) {
        command.error = error instanceof Error ? error.message.split('\n')[0] : String(error);
        if (attempt < MAX_SEND_ATTEMPTS) await sleep(this.options.retryDelayMs ?? 200);
      }
    }
    command.status = 'FAILURE';
  }

  /**
   * Signs locally to know the hash before sending: Hardhat answers an error to a reverting
   * transaction it has nevertheless mined, whose receipt then says FAILURE.
   */
  private async send(command: AdapterCommand): Promise<TransactionReceipt> {
    const { clients, wallet, hub } = this.options;
    const client = clients.publicClient;
    const [nonce, gasPrice] = await Promise.all([
      client.getTransactionCount({ address: wallet.address, blockTag: 'pending' }),
      client.getGasPrice(),
    ]);
    if (!wallet.signTransaction) throw new Error('the adapter wallet cannot sign transactions');
    const serialized = await wallet.signTransaction({
      type: 'legacy',
      chainId: clients.chain.id,
      to: hub,
      data: encodeFunctionData({ abi: hubAbi, ...command.call }),
      gas: GAS_LIMITS[command.kind],
      gasPrice,
      nonce,
    });
    const hash = keccak256(serialized);
    try {
      await client.sendRawTransaction({ serializedTransaction: serialized });
    } catch (error) {
      const known = await client.getTransaction({ hash }).catch(() => undefined);
      if (!known) throw error;
    }
    return client.waitForTransactionReceipt({
      hash,
      timeout: this.options.receiptTimeoutMs ?? 30_000,
    });
  }
}
