// Typed reads of the hub (viem infers the PoCo structs from abi.ts).
import type { Address, ContractFunctionReturnType, Hex } from 'viem';
import { hubAbi } from './abi.js';
import type { PocoContext } from './context.js';

type HubView<
  F extends 'viewDeal' | 'viewTask' | 'viewContribution' | 'viewCategory' | 'viewAccount',
> = ContractFunctionReturnType<typeof hubAbi, 'view', F>;

export type DealView = HubView<'viewDeal'>;
export type TaskView = HubView<'viewTask'>;
export type ContributionView = HubView<'viewContribution'>;
export type CategoryView = HubView<'viewCategory'>;
export type AccountView = HubView<'viewAccount'>;

export function viewDeal(ctx: PocoContext, dealId: Hex): Promise<DealView> {
  return ctx.clients.publicClient.readContract({
    address: ctx.deployment.hub,
    abi: hubAbi,
    functionName: 'viewDeal',
    args: [dealId],
  });
}

export function viewTask(ctx: PocoContext, taskId: Hex): Promise<TaskView> {
  return ctx.clients.publicClient.readContract({
    address: ctx.deployment.hub,
    abi: hubAbi,
    functionName: 'viewTask',
    args: [taskId],
  });
}

export function viewContribution(
  ctx: PocoContext,
  taskId: Hex,
  worker: Address,
): Promise<ContributionView> {
  return ctx.clients.publicClient.readContract({
    address: ctx.deployment.hub,
    abi: hubAbi,
    functionName: 'viewContribution',
    args: [taskId, worker],
  });
}

export function viewCategory(ctx: PocoContext, category: number | bigint): Promise<CategoryView> {
  return ctx.clients.publicClient.readContract({
    address: ctx.deployment.hub,
    abi: hubAbi,
    functionName: 'viewCategory',
    args: [BigInt(category)],
  });
}

/** Stake (free) and locked amounts of an account in the escrow, in nRLC. */
export function viewAccount(ctx: PocoContext, account: Address): Promise<AccountView> {
  return ctx.clients.publicClient.readContract({
    address: ctx.deployment.hub,
    abi: hubAbi,
    functionName: 'viewAccount',
    args: [account],
  });
}

export function viewScore(ctx: PocoContext, worker: Address): Promise<bigint> {
  return ctx.clients.publicClient.readContract({
    address: ctx.deployment.hub,
    abi: hubAbi,
    functionName: 'viewScore',
    args: [worker],
  });
}
