// Task operations on chain, as the scheduler, the workers and anyone else send them. A revert
// without reason is explained from chain state (task-checks.ts) before it is thrown.
import {
  zeroAddress,
  type Address,
  type Hex,
  type LocalAccount,
  type TransactionReceipt,
} from 'viem';
import { devRoles } from '../chain/accounts.js';
import { explained, sendContractTx } from '../chain/tx.js';
import { hubAbi } from './abi.js';
import type { PocoContext } from './context.js';
import { resultHashOf, resultSealOf, signEnclaveResult } from './signatures.js';
import {
  explainClaimFailure,
  explainContributeFailure,
  explainFinalizeFailure,
  explainRevealFailure,
} from './task-checks.js';

export interface TaskTx {
  receipt: TransactionReceipt;
}

export interface ContributeTx extends TaskTx {
  resultHash: Hex;
  resultSeal: Hex;
  enclaveChallenge: Address;
}

function hubCall(
  ctx: PocoContext,
  sender: LocalAccount,
  functionName: string,
  args: readonly unknown[],
) {
  return sendContractTx<Hex>(ctx.clients, sender, {
    address: ctx.deployment.hub,
    abi: hubAbi,
    functionName,
    args,
  });
}

/** initialize(dealid, idx): anyone may call it; returns the chain task id. */
export async function initialize(
  ctx: PocoContext,
  dealId: Hex,
  index: number | bigint,
  sender: LocalAccount = devRoles().scheduler,
): Promise<TaskTx & { taskId: Hex }> {
  const { receipt, result } = await hubCall(ctx, sender, 'initialize', [dealId, BigInt(index)]);
  return { receipt, taskId: result };
}

/**
 * contribute() as `worker`, with the scheduler's WorkerpoolAuthorization signature. For a TEE
 * task pass the enclave key: its address is the enclave challenge and it signs the result.
 */
export async function contribute(
  ctx: PocoContext,
  worker: LocalAccount,
  taskId: Hex,
  resultDigest: Hex,
  authorizationSign: Hex,
  enclave?: LocalAccount,
): Promise<ContributeTx> {
  const resultHash = resultHashOf(taskId, resultDigest);
  const resultSeal = resultSealOf(worker.address, taskId, resultDigest);
  const enclaveChallenge = enclave?.address ?? zeroAddress;
  const enclaveSign = enclave ? await signEnclaveResult(enclave, resultHash, resultSeal) : '0x';
  const { receipt } = await explained(
    () =>
      hubCall(ctx, worker, 'contribute', [
        taskId,
        resultHash,
        resultSeal,
        enclaveChallenge,
        enclaveSign,
        authorizationSign,
      ]),
    () =>
      explainContributeFailure(ctx, {
        worker: worker.address,
        taskId,
        enclaveChallenge,
        authorizationSign,
        resultHash,
        resultSeal,
        enclaveSign,
      }),
  );
  return { receipt, resultHash, resultSeal, enclaveChallenge };
}

export async function reveal(
  ctx: PocoContext,
  worker: LocalAccount,
  taskId: Hex,
  resultDigest: Hex,
): Promise<TaskTx> {
  return explained(
    () => hubCall(ctx, worker, 'reveal', [taskId, resultDigest]),
    () => explainRevealFailure(ctx, worker.address, taskId, resultHashOf(taskId, resultDigest)),
  );
}

/** finalize() by the workerpool owner; `results` is what the task's result link encodes. */
export async function finalize(
  ctx: PocoContext,
  scheduler: LocalAccount,
  taskId: Hex,
  results: Hex = '0x',
  resultsCallback: Hex = '0x',
): Promise<TaskTx> {
  return explained(
    () => hubCall(ctx, scheduler, 'finalize', [taskId, results, resultsCallback]),
    () => explainFinalizeFailure(ctx, scheduler.address, taskId, resultsCallback),
  );
}

export interface ContributeAndFinalizeOptions {
  /** The enclave key (required by TEE-tagged deals). */
  enclave?: LocalAccount;
  results?: Hex;
  resultsCallback?: Hex;
}

/**
 * One-step completion of a TEE trust-1 task by its first worker: the task goes straight from
 * ACTIVE to COMPLETED, the contribution to PROVED, without locking the worker's stake.
 */
export async function contributeAndFinalize(
  ctx: PocoContext,
  worker: LocalAccount,
  taskId: Hex,
  resultDigest: Hex,
  authorizationSign: Hex,
  options: ContributeAndFinalizeOptions = {},
): Promise<ContributeTx> {
  const resultHash = resultHashOf(taskId, resultDigest);
  const resultSeal = resultSealOf(worker.address, taskId, resultDigest);
  const enclaveChallenge = options.enclave?.address ?? zeroAddress;
  const enclaveSign = options.enclave
    ? await signEnclaveResult(options.enclave, resultHash, resultSeal)
    : '0x';
  const args = [
    taskId,
    resultDigest,
    options.results ?? '0x',
    options.resultsCallback ?? '0x',
    enclaveChallenge,
    enclaveSign,
    authorizationSign,
  ] as const;
  const { receipt } = await explained(
    () => hubCall(ctx, worker, 'contributeAndFinalize', args),
    () =>
      explainContributeFailure(ctx, {
        worker: worker.address,
        taskId,
        enclaveChallenge,
        authorizationSign,
        resultHash,
        resultSeal,
        enclaveSign,
        andFinalize: true,
      }),
  );
  return { receipt, resultHash, resultSeal, enclaveChallenge };
}

/** claim(): past the final deadline anyone can fail an unfinished task (refunds, unlocks). */
export async function claim(
  ctx: PocoContext,
  taskId: Hex,
  sender: LocalAccount = devRoles().requester,
): Promise<TaskTx> {
  return explained(
    () => hubCall(ctx, sender, 'claim', [taskId]),
    () => explainClaimFailure(ctx, taskId),
  );
}
