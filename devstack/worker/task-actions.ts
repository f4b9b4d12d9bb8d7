// The work behind each notification of a simulated replicate: compute (a deterministic digest),
// contribute / contributeAndFinalize / reveal on chain, upload. Each answers an Outcome: success
// with the details of the result report, or failure with its cause.
import { zeroAddress, type Address, type Hex } from 'viem';
import { TaskNotificationType } from '../../src/notification/task-notification-type.js';
import type { TaskNotificationExtra } from '../../src/notification/task-notification.js';
import { ReplicateStatusCause } from '../../src/replicate/replicate-status.js';
import type { BehaviourContext } from './behaviours.js';
import type { ReplicateStatusDetails } from './protocol.js';
import {
  HONEST_RESULT_SALT,
  resultArchive,
  resultLinkBytes,
  sealResult,
  simulatedResult,
  simulatedStdout,
  web3ResultLink,
  type SealedResult,
} from './result.js';
import type { TaskHost, TaskRunner } from './task-runner.js';
import { Halted, type WorkerSession } from './worker-session.js';

export interface Outcome {
  ok: boolean;
  details?: Partial<ReplicateStatusDetails>;
}

export interface ActionContext {
  task: TaskRunner;
  host: TaskHost;
  session: WorkerSession;
  behaviour: BehaviourContext;
}

export const fail = (cause: ReplicateStatusCause, errorMessage?: string): Outcome => ({
  ok: false,
  details: { cause, errorMessage: errorMessage ?? null },
});

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A cause for a refused contribution, from the explanation of the dev-stack fixtures. */
function contributeCause(error: unknown): ReplicateStatusCause {
  const text = messageOf(error);
  if (/not ACTIVE/.test(text)) return ReplicateStatusCause.TASK_NOT_ACTIVE;
  if (/contribution deadline/.test(text)) return ReplicateStatusCause.CONTRIBUTION_TIMEOUT;
  if (/already contributed/.test(text)) return ReplicateStatusCause.CONTRIBUTION_ALREADY_SET;
  if (/already has contributors/.test(text)) return ReplicateStatusCause.TASK_ALREADY_CONTRIBUTED;
  if (/trust is/.test(text)) return ReplicateStatusCause.TRUST_NOT_1;
  if (/balance|stake/i.test(text)) return ReplicateStatusCause.STAKE_TOO_LOW;
  return ReplicateStatusCause.CHAIN_RECEIPT_NOT_VALID;
}

/** Runs the action of `type`; exceptions other than Halted become an UNKNOWN failure. */
export async function perform(
  ctx: ActionContext,
  type: TaskNotificationType,
  extra: TaskNotificationExtra | null,
): Promise<Outcome> {
  try {
    switch (type) {
      case TaskNotificationType.PLEASE_START:
        return ctx.task.facts?.isTee && !ctx.host.enclaveSigner
          ? fail(ReplicateStatusCause.TEE_NOT_SUPPORTED)
          : { ok: true };
      case TaskNotificationType.PLEASE_COMPUTE:
        return compute(ctx);
      case TaskNotificationType.PLEASE_CONTRIBUTE:
        return await contribute(ctx, false);
      case TaskNotificationType.PLEASE_CONTRIBUTE_AND_FINALIZE:
        return await contribute(ctx, true);
      case TaskNotificationType.PLEASE_REVEAL:
        return await reveal(ctx, extra?.blockNumber ?? 0);
      case TaskNotificationType.PLEASE_UPLOAD:
        return await upload(ctx);
      default:
        // downloads and completion have nothing to simulate
        return { ok: true };
    }
  } catch (error) {
    if (error instanceof Halted) throw error;
    return fail(ReplicateStatusCause.UNKNOWN, messageOf(error));
  }
}

function compute({ task, host, behaviour }: ActionContext): Outcome {
  const outcome = host.behaviour.compute?.(behaviour) ?? { ok: true };
  const walletAddress = host.wallet;
  const stderr = outcome.stderr ?? '';
  if (!outcome.ok) {
    const computeLogs = { walletAddress, stdout: outcome.stdout ?? '', stderr };
    return {
      ok: false,
      details: { cause: outcome.cause, exitCode: outcome.exitCode, computeLogs },
    };
  }
  const salt = host.behaviour.resultSalt?.(behaviour) ?? HONEST_RESULT_SALT;
  const result = simulatedResult(task.chainTaskId as Hex, salt, task.facts?.callback);
  host.localResults.set(task.chainTaskId, result);
  const stdout = outcome.stdout ?? simulatedStdout(task.chainTaskId, result.digest);
  return { ok: true, details: { computeLogs: { walletAddress, stdout, stderr } } };
}

/** The local result (if computed, possibly before a crash) with its hash and seal. */
function sealed({ task, host }: ActionContext): SealedResult | undefined {
  const local = host.localResults.get(task.chainTaskId);
  if (!local) return undefined;
  task.result = sealResult(local, host.account.address, task.chainTaskId as Hex);
  return task.result;
}

/** contribute, or contributeAndFinalize (TEE, trust 1, no callback). */
async function contribute(ctx: ActionContext, andFinalize: boolean): Promise<Outcome> {
  const { task, host } = ctx;
  const { chain, account } = host;
  if (!chain) return fail(ReplicateStatusCause.CHAIN_UNREACHABLE, 'no chain');
  const result = sealed(ctx);
  if (!result) return fail(ReplicateStatusCause.DETERMINISM_HASH_NOT_FOUND);
  const authorization = task.authorization;
  if (!authorization) return fail(ReplicateStatusCause.WORKERPOOL_AUTHORIZATION_NOT_FOUND);
  const enclaveChallenge = (authorization.enclaveChallenge || zeroAddress) as Address;
  let enclaveSign: Hex = '0x';
  if (BigInt(enclaveChallenge) !== 0n) {
    if (!host.enclaveSigner) return fail(ReplicateStatusCause.TEE_NOT_SUPPORTED);
    const signed = await host.enclaveSigner
      .enclaveSign(task.chainTaskId, result.resultHash, result.resultSeal)
      .catch(() => undefined);
    if (!signed || signed.enclaveAddress.toLowerCase() !== enclaveChallenge.toLowerCase()) {
      return fail(ReplicateStatusCause.ENCLAVE_SIGNATURE_NOT_FOUND);
    }
    enclaveSign = signed.signature;
  }
  const common = {
    chainTaskId: task.chainTaskId as Hex,
    resultHash: result.resultHash,
    resultSeal: result.resultSeal,
    enclaveChallenge,
    enclaveSign,
    authorizationSign: authorization.signature.value as Hex,
  };
  try {
    if (!andFinalize) {
      const receipt = await chain.contribute(account, common);
      task.receipts.contribute = receipt;
      return { ok: true, details: { chainReceipt: receipt } };
    }
    const resultLink = await resultLinkFor(
      ctx,
      result,
      enclaveSign === '0x' ? undefined : enclaveSign,
    );
    const receipt = await chain.contributeAndFinalize(account, {
      ...common,
      resultDigest: result.digest,
      results: resultLinkBytes(resultLink),
      resultsCallback: result.callbackData ?? '0x',
    });
    task.receipts.contributeAndFinalize = receipt;
    const chainCallbackData = result.callbackData;
    return { ok: true, details: { chainReceipt: receipt, resultLink, chainCallbackData } };
  } catch (error) {
    if (error instanceof Halted) throw error;
    return fail(contributeCause(error), messageOf(error));
  }
}

/** §8.5: PLEASE_REVEAL needs the consensus block, reached on the worker's own node. */
async function reveal(ctx: ActionContext, consensusBlock: number): Promise<Outcome> {
  const { task, host, session } = ctx;
  const { chain, account } = host;
  if (!(consensusBlock > 0)) return fail(ReplicateStatusCause.CONSENSUS_BLOCK_MISSING);
  if (!chain) return fail(ReplicateStatusCause.CHAIN_UNREACHABLE, 'no chain');
  const result = sealed(ctx);
  if (!result) return fail(ReplicateStatusCause.DETERMINISM_HASH_NOT_FOUND);
  for (let i = 0; (await chain.latestBlockNumber()) < consensusBlock; i++) {
    if (i >= 40) return fail(ReplicateStatusCause.BLOCK_NOT_REACHED);
    await session.sleep(250);
  }
  try {
    const receipt = await chain.reveal(account, task.chainTaskId as Hex, result.digest);
    task.receipts.reveal = receipt;
    return { ok: true, details: { chainReceipt: receipt } };
  } catch (error) {
    if (error instanceof Halted) throw error;
    return fail(ReplicateStatusCause.CANNOT_REVEAL, messageOf(error));
  }
}

async function upload(ctx: ActionContext): Promise<Outcome> {
  const result = sealed(ctx);
  if (!result) return fail(ReplicateStatusCause.RESULT_LINK_MISSING, 'no local result');
  try {
    const resultLink = await resultLinkFor(ctx, result);
    return { ok: true, details: { resultLink, chainCallbackData: result.callbackData } };
  } catch (error) {
    if (error instanceof Halted) throw error;
    return fail(ReplicateStatusCause.RESULT_LINK_MISSING, messageOf(error));
  }
}

/** Callback deals upload nothing (web3 link); the others go to the result repository. */
async function resultLinkFor(
  { task, host, session }: ActionContext,
  result: SealedResult,
  enclaveSignature?: Hex,
) {
  const callback = task.facts?.callback;
  if (callback) {
    task.resultLink = web3ResultLink(callback);
    return task.resultLink;
  }
  if (!task.authorization) throw new Error('no workerpool authorization to upload with');
  const { wallet, account, resultRepositoryUrl } = host;
  task.resultLink = await host.uploader.upload(
    task.chainTaskId,
    task.authorization,
    resultArchive(task.chainTaskId as Hex, wallet, result),
    {
      account,
      wallet,
      resultRepositoryUrl,
      resultDigest: result.digest,
      enclaveSignature,
      signal: session.signal,
    },
  );
  return task.resultLink;
}
