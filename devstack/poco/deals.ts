// Deals: sign the four orders, fund the escrow accounts, matchOrders, and report the deal with
// its task ids. Every order field is reachable through DealOptions.
import {
  parseEventLogs,
  zeroAddress,
  type Address,
  type Hex,
  type LocalAccount,
  type TransactionReceipt,
} from 'viem';
import { devRoles } from '../chain/accounts.js';
import { DEV_TX_GAS, receiptOf, sendContractTx } from '../chain/tx.js';
import { hubAbi } from './abi.js';
import { createApp, createDataset, createWorkerpool } from './assets.js';
import type { PocoContext } from './context.js';
import { viewAccount, viewDeal } from './reads.js';
import { NRLC_PER_RLC, WORKERPOOL_STAKE_RATIO } from './deployment.js';
import { deposit } from './escrow.js';
import { noDatasetOrder, signOrder, toTag, uniqueSalt, type SignedOrders } from './orders.js';
import { taskIdOf } from './signatures.js';

export interface DealOptions {
  /** Default: a new app of `appOwner`. */
  app?: Address;
  /** An existing dataset, 'create' for a new one of `datasetOwner`, default none. */
  dataset?: Address | 'create';
  /** Default: a new workerpool of `scheduler`. */
  workerpool?: Address;
  appOwner?: LocalAccount;
  datasetOwner?: LocalAccount;
  /** Owner of the workerpool: signs the workerpool order (default: the scheduler role). */
  scheduler?: LocalAccount;
  requester?: LocalAccount;
  /** Prices in nRLC (defaults: 1, 0.5 and 2 RLC). */
  appPrice?: bigint;
  datasetPrice?: bigint;
  workerpoolPrice?: bigint;
  /** Tasks of the deal (request order volume). Default 1. */
  volume?: number | bigint;
  /** Volume of the app/dataset/workerpool orders. Default: `volume`. */
  orderVolume?: number | bigint;
  /** Default 1 (PoCo uses max(trust, 1)). */
  trust?: number | bigint;
  /** Same tag on every order: 0x0 standard, 0x3 Scone, 0x5 Gramine, 0x9 TDX. Default 0. */
  tag?: Hex | number | bigint;
  /** Category id, 0 (XS) to 4 (XL). Default 0. */
  category?: number | bigint;
  /** Deal params: a string as is, an object as JSON. Default '' . */
  params?: string | Record<string, unknown>;
  callback?: Address;
  /** Default: the requester. */
  beneficiary?: Address;
  /** Top up the requester's and the scheduler's stake for this deal. Default true. */
  fund?: boolean;
  /** Workers whose stake is topped up to contribute to every task of the deal. */
  workers?: LocalAccount[];
}

export interface MatchedDeal {
  dealId: Hex;
  /** Task ids by index: botFirst .. botFirst + volume - 1. */
  taskIds: Hex[];
  botFirst: bigint;
  volume: bigint;
  blockNumber: bigint;
  receipt: TransactionReceipt;
  orders: SignedOrders;
  app: Address;
  dataset: Address;
  workerpool: Address;
  /** Stake locked from each worker at contribute (30 % of the workerpool price). */
  workerStake: bigint;
}

/** Deposits what is missing for `account` to have at least `required` nRLC of free stake. */
export async function ensureStake(
  ctx: PocoContext,
  account: LocalAccount,
  required: bigint,
): Promise<void> {
  const { stake } = await viewAccount(ctx, account.address);
  if (stake < required) await deposit(ctx, account, required - stake);
}

/** Signs the four orders of a deal as described by the options (no transaction). */
export async function signDealOrders(
  ctx: PocoContext,
  options: DealOptions & { app: Address; workerpool: Address; dataset?: Address },
): Promise<SignedOrders> {
  const roles = devRoles();
  const requester = options.requester ?? roles.requester;
  const volume = BigInt(options.volume ?? 1);
  const orderVolume = BigInt(options.orderVolume ?? volume);
  const tag = toTag(options.tag ?? 0);
  const trust = BigInt(options.trust ?? 1);
  const category = BigInt(options.category ?? 0);
  const appPrice = options.appPrice ?? NRLC_PER_RLC;
  const datasetPrice = options.dataset ? (options.datasetPrice ?? NRLC_PER_RLC / 2n) : 0n;
  const workerpoolPrice = options.workerpoolPrice ?? 2n * NRLC_PER_RLC;
  const params =
    typeof options.params === 'object' ? JSON.stringify(options.params) : (options.params ?? '');
  const open = { requesterrestrict: zeroAddress, workerpoolrestrict: zeroAddress } as const;

  const [app, dataset, workerpool, request] = await Promise.all([
    signOrder(options.appOwner ?? roles.appOwner, ctx.domain, 'AppOrder', {
      app: options.app,
      appprice: appPrice,
      volume: orderVolume,
      tag,
      datasetrestrict: zeroAddress,
      ...open,
      salt: uniqueSalt(),
    }),
    options.dataset
      ? signOrder(options.datasetOwner ?? roles.datasetOwner, ctx.domain, 'DatasetOrder', {
          dataset: options.dataset,
          datasetprice: datasetPrice,
          volume: orderVolume,
          tag,
          apprestrict: zeroAddress,
          ...open,
          salt: uniqueSalt(),
        })
      : noDatasetOrder(),
    signOrder(options.scheduler ?? roles.scheduler, ctx.domain, 'WorkerpoolOrder', {
      workerpool: options.workerpool,
      workerpoolprice: workerpoolPrice,
      volume: orderVolume,
      tag,
      category,
      trust,
      apprestrict: zeroAddress,
      datasetrestrict: zeroAddress,
      requesterrestrict: zeroAddress,
      salt: uniqueSalt(),
    }),
    signOrder(requester, ctx.domain, 'RequestOrder', {
      app: options.app,
      appmaxprice: appPrice,
      dataset: options.dataset ?? zeroAddress,
      datasetmaxprice: datasetPrice,
      workerpool: options.workerpool,
      workerpoolmaxprice: workerpoolPrice,
      requester: requester.address,
      volume,
      tag,
      category,
      trust,
      beneficiary: options.beneficiary ?? requester.address,
      callback: options.callback ?? zeroAddress,
      params,
      salt: uniqueSalt(),
    }),
  ]);
  return { app, dataset, workerpool, request };
}

/** matchOrders sent by `sender` (default: the requester); anyone may match. */
export async function matchOrders(
  ctx: PocoContext,
  orders: SignedOrders,
  sender: LocalAccount = devRoles().requester,
): Promise<MatchedDeal> {
  const { receipt } = await sendContractTx(ctx.clients, sender, {
    address: ctx.deployment.hub,
    abi: hubAbi,
    functionName: 'matchOrders',
    args: [orders.app, orders.dataset, orders.workerpool, orders.request],
  });
  return matchedDeal(ctx, receipt, orders);
}

/**
 * Matches several sets of orders in one block, in that order (automine paused meanwhile), e.g. an
 * unreadable deal next to a good one. The orders must be funded already (see createDeal).
 */
export async function matchOrdersInOneBlock(
  ctx: PocoContext,
  ordersList: SignedOrders[],
  sender: LocalAccount = devRoles().requester,
): Promise<MatchedDeal[]> {
  const { publicClient, testClient } = ctx.clients;
  const nonce = await publicClient.getTransactionCount({
    address: sender.address,
    blockTag: 'pending',
  });
  const hashes: Hex[] = [];
  await testClient.setAutomine(false);
  try {
    for (const [i, orders] of ordersList.entries()) {
      hashes.push(
        await ctx.clients.wallet(sender).writeContract({
          address: ctx.deployment.hub,
          abi: hubAbi,
          functionName: 'matchOrders',
          args: [orders.app, orders.dataset, orders.workerpool, orders.request],
          gas: DEV_TX_GAS,
          nonce: nonce + i,
        }),
      );
    }
    await testClient.mine({ blocks: 1 });
  } finally {
    await testClient.setAutomine(true);
  }
  const deals: MatchedDeal[] = [];
  for (const [i, hash] of hashes.entries()) {
    const receipt = await receiptOf(ctx.clients, hash);
    if (receipt.status !== 'success') throw new Error(`matchOrders ${hash} failed on chain`);
    deals.push(await matchedDeal(ctx, receipt, ordersList[i]));
  }
  return deals;
}

async function matchedDeal(
  ctx: PocoContext,
  receipt: TransactionReceipt,
  orders: SignedOrders,
): Promise<MatchedDeal> {
  const [matched] = parseEventLogs({ abi: hubAbi, eventName: 'OrdersMatched', logs: receipt.logs });
  if (!matched) throw new Error(`matchOrders ${receipt.transactionHash}: no OrdersMatched event`);
  const { dealid: dealId, volume } = matched.args;
  const deal = await viewDeal(ctx, dealId);
  const taskIds = Array.from({ length: Number(volume) }, (_, i) =>
    taskIdOf(dealId, deal.botFirst + BigInt(i)),
  );
  return {
    dealId,
    taskIds,
    botFirst: deal.botFirst,
    volume,
    blockNumber: receipt.blockNumber,
    receipt,
    orders,
    app: orders.app.app,
    dataset: orders.dataset.dataset,
    workerpool: orders.workerpool.workerpool,
    workerStake: deal.workerStake,
  };
}

/** Creates what is missing (app, dataset, workerpool), funds the parties, signs and matches. */
export async function createDeal(
  ctx: PocoContext,
  options: DealOptions = {},
): Promise<MatchedDeal> {
  return matchOrders(ctx, await prepareDeal(ctx, options), options.requester);
}

/** Everything createDeal does but the match: assets created, parties funded, orders signed. */
export async function prepareDeal(
  ctx: PocoContext,
  options: DealOptions = {},
): Promise<SignedOrders> {
  const roles = devRoles();
  const scheduler = options.scheduler ?? roles.scheduler;
  const requester = options.requester ?? roles.requester;
  const app = options.app ?? (await createApp(ctx, { owner: options.appOwner }));
  const dataset =
    options.dataset === 'create'
      ? await createDataset(ctx, { owner: options.datasetOwner })
      : options.dataset;
  const workerpool = options.workerpool ?? (await createWorkerpool(ctx, { owner: scheduler }));
  const orders = await signDealOrders(ctx, { ...options, app, dataset, workerpool });

  const volume = BigInt(options.volume ?? 1);
  const workerpoolPrice = orders.workerpool.workerpoolprice;
  if (options.fund ?? true) {
    const dealPrice = orders.app.appprice + orders.dataset.datasetprice + workerpoolPrice;
    await ensureStake(ctx, requester, dealPrice * volume);
    await ensureStake(ctx, scheduler, ((workerpoolPrice * WORKERPOOL_STAKE_RATIO) / 100n) * volume);
  }
  // the workerpool's default worker stake policy is 30 % of its price as well
  for (const worker of options.workers ?? []) {
    await ensureStake(ctx, worker, ((workerpoolPrice * WORKERPOOL_STAKE_RATIO) / 100n) * volume);
  }
  return orders;
}
