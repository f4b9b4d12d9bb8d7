import { encodeFunctionData, type Hex } from 'viem';
import { hubAbi } from '../poco-abi.js';
import { GAS_LIMITS } from './gas-price.js';

/**
 * Initializations waiting for the scheduler wallet go out together, in one `initializeArray`
 * (PoCo's loop over `initialize`): a deal of N tasks costs ⌈N / 10⌉ transactions instead of N, and
 * the last task no longer waits behind N − 1 sends. The gas limit is the single one times the
 * batch size, so 10 stays under 3 M, the limit of a finalize.
 */
export const MAX_INITIALIZE_BATCH = 10;

export interface InitializeRequest {
  readonly chainDealId: string;
  readonly taskIndex: number;
  readonly chainTaskId: string;
}

/**
 * The next batch to send, taken out of `pending` (in arrival order). `initializeArray` is
 * all-or-nothing: a task whose batch reverted on chain is sent alone next time, so it cannot fail
 * other tasks twice.
 */
export function takeInitializeBatch<T extends InitializeRequest>(
  pending: T[],
  sendAlone: ReadonlySet<string>,
): T[] {
  const alone = pending.findIndex((r) => sendAlone.has(r.chainTaskId));
  if (alone >= 0) return pending.splice(alone, 1);
  const batch: T[] = [];
  for (let i = 0; i < pending.length && batch.length < MAX_INITIALIZE_BATCH;) {
    if (batch.some((r) => r.chainTaskId === pending[i].chainTaskId)) i++;
    else batch.push(...pending.splice(i, 1));
  }
  return batch;
}

/** `initialize` for one task, `initializeArray` for several; with its gas limit. */
export function initializeCall(batch: readonly InitializeRequest[]): { data: Hex; gas: bigint } {
  if (batch.length === 1) {
    const [{ chainDealId, taskIndex }] = batch;
    return {
      data: encodeFunctionData({
        abi: hubAbi,
        functionName: 'initialize',
        args: [chainDealId as Hex, BigInt(taskIndex)],
      }),
      gas: GAS_LIMITS.initialize,
    };
  }
  return {
    data: encodeFunctionData({
      abi: hubAbi,
      functionName: 'initializeArray',
      args: [batch.map((r) => r.chainDealId as Hex), batch.map((r) => BigInt(r.taskIndex))],
    }),
    gas: GAS_LIMITS.initialize * BigInt(batch.length),
  };
}
