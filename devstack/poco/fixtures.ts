// One object over a deployment for tests, the dev stack and the simulated workers: assets,
// escrow, deals, task operations and typed reads. The functions live in the sibling files.
import { zeroAddress, type Address, type Hex, type LocalAccount } from 'viem';
import { devRoles, type DevRoles } from '../chain/accounts.js';
import { createChainClients, type ChainClients } from '../chain/clients.js';
import {
  createApp,
  createDataset,
  createWorkerpool,
  type CreateAppOptions,
  type CreateDatasetOptions,
  type CreateWorkerpoolOptions,
} from './assets.js';
import { pocoContext, type PocoContext } from './context.js';
import * as reads from './reads.js';
import {
  createDeal,
  ensureStake,
  matchOrders,
  matchOrdersInOneBlock,
  prepareDeal,
  signDealOrders,
  type DealOptions,
  type MatchedDeal,
} from './deals.js';
import type { PocoDeployment } from './deployment.js';
import { deposit } from './escrow.js';
import type { SignedOrders } from './orders.js';
import { signWorkerpoolAuthorization } from './signatures.js';
import * as tasks from './tasks.js';

export class PocoFixtures {
  readonly ctx: PocoContext;
  readonly roles: DevRoles = devRoles();

  constructor(
    readonly deployment: PocoDeployment,
    readonly clients: ChainClients = createChainClients(deployment),
  ) {
    this.ctx = pocoContext(deployment, clients);
  }

  // assets
  createApp(options?: CreateAppOptions): Promise<Address> {
    return createApp(this.ctx, options);
  }
  createDataset(options?: CreateDatasetOptions): Promise<Address> {
    return createDataset(this.ctx, options);
  }
  createWorkerpool(options?: CreateWorkerpoolOptions): Promise<Address> {
    return createWorkerpool(this.ctx, options);
  }

  // escrow (nRLC)
  deposit(account: LocalAccount, amount: bigint): Promise<void> {
    return deposit(this.ctx, account, amount);
  }
  ensureStake(account: LocalAccount, required: bigint): Promise<void> {
    return ensureStake(this.ctx, account, required);
  }

  // deals
  signDealOrders(
    options: DealOptions & { app: Address; workerpool: Address; dataset?: Address },
  ): Promise<SignedOrders> {
    return signDealOrders(this.ctx, options);
  }
  matchOrders(orders: SignedOrders, sender?: LocalAccount): Promise<MatchedDeal> {
    return matchOrders(this.ctx, orders, sender);
  }
  createDeal(options?: DealOptions): Promise<MatchedDeal> {
    return createDeal(this.ctx, options);
  }
  /** Assets created, parties funded, orders signed: ready for matchOrders(InOneBlock). */
  prepareDeal(options?: DealOptions): Promise<SignedOrders> {
    return prepareDeal(this.ctx, options);
  }
  matchOrdersInOneBlock(ordersList: SignedOrders[], sender?: LocalAccount): Promise<MatchedDeal[]> {
    return matchOrdersInOneBlock(this.ctx, ordersList, sender);
  }

  // tasks
  initialize(
    dealId: Hex,
    index: number | bigint,
    sender?: LocalAccount,
  ): Promise<tasks.TaskTx & { taskId: Hex }> {
    return tasks.initialize(this.ctx, dealId, index, sender);
  }
  /** The scheduler's (workerpool owner's) WorkerpoolAuthorization signature for a worker. */
  async authorize(
    worker: Address,
    taskId: Hex,
    enclaveChallenge: Address = zeroAddress,
    workerpoolOwner: LocalAccount = this.roles.scheduler,
  ): Promise<Hex> {
    return (await signWorkerpoolAuthorization(workerpoolOwner, worker, taskId, enclaveChallenge))
      .sign;
  }
  contribute(
    worker: LocalAccount,
    taskId: Hex,
    resultDigest: Hex,
    authorizationSign: Hex,
    enclave?: LocalAccount,
  ): Promise<tasks.ContributeTx> {
    return tasks.contribute(this.ctx, worker, taskId, resultDigest, authorizationSign, enclave);
  }
  reveal(worker: LocalAccount, taskId: Hex, resultDigest: Hex): Promise<tasks.TaskTx> {
    return tasks.reveal(this.ctx, worker, taskId, resultDigest);
  }
  finalize(
    scheduler: LocalAccount,
    taskId: Hex,
    results?: Hex,
    resultsCallback?: Hex,
  ): Promise<tasks.TaskTx> {
    return tasks.finalize(this.ctx, scheduler, taskId, results, resultsCallback);
  }
  contributeAndFinalize(
    worker: LocalAccount,
    taskId: Hex,
    resultDigest: Hex,
    authorizationSign: Hex,
    options?: tasks.ContributeAndFinalizeOptions,
  ): Promise<tasks.ContributeTx> {
    return tasks.contributeAndFinalize(
      this.ctx,
      worker,
      taskId,
      resultDigest,
      authorizationSign,
      options,
    );
  }
  claim(taskId: Hex, sender?: LocalAccount): Promise<tasks.TaskTx> {
    return tasks.claim(this.ctx, taskId, sender);
  }

  // reads
  viewDeal(dealId: Hex): Promise<reads.DealView> {
    return reads.viewDeal(this.ctx, dealId);
  }
  viewTask(taskId: Hex): Promise<reads.TaskView> {
    return reads.viewTask(this.ctx, taskId);
  }
  viewContribution(taskId: Hex, worker: Address): Promise<reads.ContributionView> {
    return reads.viewContribution(this.ctx, taskId, worker);
  }
  viewCategory(category: number | bigint): Promise<reads.CategoryView> {
    return reads.viewCategory(this.ctx, category);
  }
  viewAccount(account: Address): Promise<reads.AccountView> {
    return reads.viewAccount(this.ctx, account);
  }
  viewScore(worker: Address): Promise<bigint> {
    return reads.viewScore(this.ctx, worker);
  }
}
