// PoCo's task functions revert with bare `require`s: no reason reaches the caller. When one
// fails, these checks replay PoCo's preconditions against chain state to say which one broke.
import {
  encodePacked,
  keccak256,
  recoverMessageAddress,
  zeroAddress,
  type Address,
  type Hex,
} from 'viem';
import { ChainContributionStatus, ChainTaskStatus } from '../../src/chain/chain-status.js';
import { hubAbi } from './abi.js';
import type { PocoContext } from './context.js';
import { viewContribution, viewDeal, viewTask } from './reads.js';
import { isTeeTag } from './orders.js';
import { workerpoolAuthorizationHash } from './signatures.js';

const taskStatus = (status: number) => ChainTaskStatus[status] ?? String(status);

async function chainTime(ctx: PocoContext): Promise<bigint> {
  return (await ctx.clients.publicClient.getBlock({ blockTag: 'latest' })).timestamp;
}

export interface ContributionAttempt {
  worker: Address;
  taskId: Hex;
  enclaveChallenge: Address;
  authorizationSign: Hex;
  resultHash: Hex;
  resultSeal: Hex;
  enclaveSign: Hex;
  /** contributeAndFinalize also needs trust 1 and no earlier contributor */
  andFinalize?: boolean;
}

/** Why contribute / contributeAndFinalize would revert, or undefined if no check fails. */
export async function explainContributeFailure(
  ctx: PocoContext,
  attempt: ContributionAttempt,
): Promise<string | undefined> {
  const task = await viewTask(ctx, attempt.taskId);
  if (task.status !== ChainTaskStatus.ACTIVE) {
    return `task is ${taskStatus(task.status)}, not ACTIVE (initialized? already in consensus?)`;
  }
  const now = await chainTime(ctx);
  if (task.contributionDeadline <= now) {
    return `contribution deadline ${task.contributionDeadline} passed (chain time ${now})`;
  }
  const contribution = await viewContribution(ctx, attempt.taskId, attempt.worker);
  if (contribution.status !== ChainContributionStatus.UNSET) {
    return `worker ${attempt.worker} already contributed`;
  }
  const deal = await viewDeal(ctx, task.dealid);
  if (attempt.andFinalize && task.contributors.length > 0)
    return 'the task already has contributors';
  if (attempt.andFinalize && deal.trust !== 1n)
    return `deal trust is ${deal.trust}, contributeAndFinalize needs 1`;
  if (attempt.enclaveChallenge === zeroAddress && isTeeTag(deal.tag)) {
    return `deal tag ${deal.tag} is TEE: an enclave challenge is required`;
  }
  const teebroker = await ctx.clients.publicClient.readContract({
    address: ctx.deployment.hub,
    abi: hubAbi,
    functionName: 'teebroker',
  });
  const expected =
    attempt.enclaveChallenge !== zeroAddress && teebroker !== zeroAddress
      ? teebroker
      : deal.workerpool.owner;
  const hash = workerpoolAuthorizationHash(
    attempt.worker,
    attempt.taskId,
    attempt.enclaveChallenge,
  );
  const signer = await recoverMessageAddress({
    message: { raw: hash },
    signature: attempt.authorizationSign,
  }).catch(() => undefined);
  if (signer?.toLowerCase() !== expected.toLowerCase()) {
    return (
      `workerpool authorization recovers to ${signer ?? 'nobody (malformed signature)'}, not ${expected}: ` +
      'signed by another key, or for another worker, task or enclave'
    );
  }
  if (attempt.enclaveChallenge !== zeroAddress) {
    const sealed = keccak256(
      encodePacked(['bytes32', 'bytes32'], [attempt.resultHash, attempt.resultSeal]),
    );
    const enclave = await recoverMessageAddress({
      message: { raw: sealed },
      signature: attempt.enclaveSign,
    }).catch(() => undefined);
    if (enclave?.toLowerCase() !== attempt.enclaveChallenge.toLowerCase()) {
      return `enclave signature recovers to ${enclave ?? 'nobody'}, not the enclave challenge ${attempt.enclaveChallenge}`;
    }
  }
  return undefined;
}

/** Why reveal would revert. */
export async function explainRevealFailure(
  ctx: PocoContext,
  worker: Address,
  taskId: Hex,
  resultHash: Hex,
): Promise<string | undefined> {
  const task = await viewTask(ctx, taskId);
  if (task.status !== ChainTaskStatus.REVEALING)
    return `task is ${taskStatus(task.status)}, not REVEALING`;
  const now = await chainTime(ctx);
  if (task.revealDeadline <= now)
    return `reveal deadline ${task.revealDeadline} passed (chain time ${now})`;
  const contribution = await viewContribution(ctx, taskId, worker);
  if (contribution.status !== ChainContributionStatus.CONTRIBUTED) {
    return `contribution of ${worker} is ${ChainContributionStatus[contribution.status]}, not CONTRIBUTED`;
  }
  if (contribution.resultHash !== task.consensusValue)
    return 'the contribution is not the consensus value';
  if (contribution.resultHash !== resultHash)
    return 'digest does not match the contributed result hash';
  return undefined;
}

/** Why finalize would revert. */
export async function explainFinalizeFailure(
  ctx: PocoContext,
  sender: Address,
  taskId: Hex,
  resultsCallback: Hex,
): Promise<string | undefined> {
  const task = await viewTask(ctx, taskId);
  const deal = await viewDeal(ctx, task.dealid);
  if (sender.toLowerCase() !== deal.workerpool.owner.toLowerCase()) {
    return `sender ${sender} is not the workerpool owner ${deal.workerpool.owner}`;
  }
  if (task.status !== ChainTaskStatus.REVEALING)
    return `task is ${taskStatus(task.status)}, not REVEALING`;
  const now = await chainTime(ctx);
  if (task.finalDeadline <= now)
    return `final deadline ${task.finalDeadline} passed (chain time ${now})`;
  if (
    task.revealCounter !== task.winnerCounter &&
    !(task.revealCounter > 0n && task.revealDeadline <= now)
  ) {
    return `only ${task.revealCounter}/${task.winnerCounter} winners revealed and the reveal deadline is not reached`;
  }
  if (deal.callback === zeroAddress && resultsCallback !== '0x') {
    return 'resultsCallback must be empty: the deal has no callback';
  }
  if (deal.callback !== zeroAddress)
    return 'keccak256(resultsCallback) must equal the result digest';
  return undefined;
}

/** Why claim would revert. */
export async function explainClaimFailure(
  ctx: PocoContext,
  taskId: Hex,
): Promise<string | undefined> {
  const task = await viewTask(ctx, taskId);
  if (task.status !== ChainTaskStatus.ACTIVE && task.status !== ChainTaskStatus.REVEALING) {
    return `task is ${taskStatus(task.status)}: only ACTIVE or REVEALING tasks can be claimed`;
  }
  const now = await chainTime(ctx);
  if (task.finalDeadline > now)
    return `final deadline ${task.finalDeadline} not reached (chain time ${now})`;
  return undefined;
}
