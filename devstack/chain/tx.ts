// Sending transactions on the local chain: simulate first (a revert surfaces with its decoded
// reason instead of a bare failed receipt), then send and fetch the receipt at once (automine).
import {
  BaseError,
  ContractFunctionRevertedError,
  type Abi,
  type Account,
  type Address,
  type Hex,
  type SimulateContractParameters,
  type TransactionReceipt,
  type WriteContractParameters,
} from 'viem';
import type { ChainClients } from './clients.js';

/**
 * Gas limit of dev-stack transactions. The simulation already proved the call succeeds, and an
 * extra eth_estimateGas round trip costs ~20 ms per transaction on the Hardhat node.
 */
export const DEV_TX_GAS = 10_000_000n;
const DEV_DEPLOY_GAS = 15_000_000n;

export interface ContractCall {
  address: Address;
  abi: Abi;
  functionName: string;
  args?: readonly unknown[];
  value?: bigint;
  /** Gas limit (default DEV_TX_GAS). */
  gas?: bigint;
}

export interface SentTx<R = unknown> {
  receipt: TransactionReceipt;
  /** What the function returned in the simulation (e.g. the new app address of createApp). */
  result: R;
}

/** A transaction refused by the chain, with the most readable reason available. */
export class ChainTxError extends Error {
  constructor(
    readonly functionName: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${functionName} reverted: ${reason}`, options);
    this.name = 'ChainTxError';
  }
}

/** What revertReason says of a bare `require(condition)` (PoCo's task functions use many). */
export const NO_REVERT_REASON = 'no reason given (plain require)';

/** The decoded revert reason (custom error, require string) or viem's short message. */
export function revertReason(error: unknown): string {
  if (error instanceof BaseError) {
    const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError) {
      const decoded = reverted.data;
      // Error(string) and Panic(uint256): viem already turned them into a sentence
      if (decoded && decoded.errorName !== 'Error' && decoded.errorName !== 'Panic') {
        return `${decoded.errorName}(${decoded.args?.map(String).join(', ') ?? ''})`;
      }
      if (!decoded && (!reverted.raw || reverted.raw === '0x')) return NO_REVERT_REASON;
      if (reverted.reason) return reverted.reason;
    }
    return error.shortMessage;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * PoCo reverts without reason on a plain `require`: on such a failure, `explain` replays the
 * preconditions to say which one broke; other failures pass through.
 */
export async function explained<T>(
  send: () => Promise<T>,
  explain: () => Promise<string | undefined>,
): Promise<T> {
  try {
    return await send();
  } catch (error) {
    if (!(error instanceof ChainTxError) || error.reason !== NO_REVERT_REASON) throw error;
    const reason = await explain().catch(() => undefined);
    throw new ChainTxError(error.functionName, reason ?? NO_REVERT_REASON, { cause: error });
  }
}

/**
 * With automine the transaction is mined when eth_sendRawTransaction answers: ask for the
 * receipt directly, and poll only if it is not there yet (interval mining).
 */
export async function receiptOf(clients: ChainClients, hash: Hex): Promise<TransactionReceipt> {
  const receipt = await clients.publicClient.getTransactionReceipt({ hash }).catch(() => undefined);
  return receipt ?? clients.publicClient.waitForTransactionReceipt({ hash });
}

export async function sendContractTx<R = unknown>(
  clients: ChainClients,
  account: Account,
  call: ContractCall,
): Promise<SentTx<R>> {
  let simulated: { request: unknown; result: unknown };
  try {
    simulated = await clients.publicClient.simulateContract({
      ...call,
      gas: call.gas ?? DEV_TX_GAS,
      account,
    } as unknown as SimulateContractParameters);
  } catch (error) {
    throw new ChainTxError(call.functionName, revertReason(error), { cause: error });
  }
  const hash = await clients
    .wallet(account)
    .writeContract(simulated.request as WriteContractParameters);
  const receipt = await receiptOf(clients, hash);
  if (receipt.status !== 'success') {
    throw new ChainTxError(call.functionName, `transaction ${hash} failed on chain`);
  }
  return { receipt, result: simulated.result as R };
}

/** Deploys raw init code (bytecode + encoded constructor arguments); returns the address. */
export async function deployCode(
  clients: ChainClients,
  account: Account,
  name: string,
  data: Hex,
): Promise<{ address: Address; gasUsed: bigint }> {
  const hash = await clients.wallet(account).sendTransaction({ data, gas: DEV_DEPLOY_GAS });
  const receipt = await receiptOf(clients, hash);
  if (receipt.status !== 'success' || !receipt.contractAddress) {
    throw new ChainTxError(`deploy ${name}`, `transaction ${hash} failed on chain`);
  }
  return { address: receipt.contractAddress, gasUsed: receipt.gasUsed };
}
