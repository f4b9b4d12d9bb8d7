// A deal made the way a requester makes one with the iExec SDK 9: app deployed, orders created
// and signed by the SDK with its defaults, `order.matchOrders`, `task.show` until a final status,
// then the scheduler's off-chain views (`task.fetchOffchainInfo`, `task.fetchLogs`, found
// through Compass). Used by the e2e tests and by `npm run sdk:deal` against `npm run dev`.
//
// SDK 9 puts the TDX tag (0x…09) on every order it creates or signs, and its matchOrders refuses
// any other resulting tag. `standard: true` re-tags the SDK's orders to 0, signs them with the
// SDK's wallets (ethers, EIP-712 as PoCo checks) and sends PoCo's matchOrders through the SDK's
// contracts client: the only way to get a standard deal out of SDK 9.
import { keccak256, stringToHex, zeroAddress, type Address, type Hex } from 'viem';
import { errors, type IExec } from 'iexec';
import { DEFAULT_APP_IMAGE, uniqueName } from '../poco/assets.js';
import { ORDER_TYPES, pocoDomain, toTag } from '../poco/orders.js';

/** The SDK's order shapes (strings for numbers, as it creates them). */
type SdkOrder = Record<string, unknown> & { tag: string };
type OrderName = keyof typeof ORDER_TYPES;
const FINAL_STATUS_NAMES = ['COMPLETED', 'FAILED', 'TIMEOUT'];

export interface SdkDealOptions {
  /** The requester's SDK: deploys the app, owns it, signs the app and request orders, matches. */
  requester: IExec;
  /** The workerpool owner's SDK (signs the workerpool order). */
  workerpoolOwner: IExec;
  workerpool: Address;
  volume?: number;
  category?: number;
  /** `iexec_args` of the request. */
  args?: string;
  /** Re-tag the SDK's orders to 0 (standard deal) instead of its TDX default. */
  standard?: boolean;
  log?: (line: string) => void;
}

export interface SdkDeal {
  app: Address;
  dealId: Hex;
  taskIds: Hex[];
  tag: string;
}

export async function makeSdkDeal(options: SdkDealOptions): Promise<SdkDeal> {
  const { requester, workerpoolOwner, workerpool } = options;
  const log = options.log ?? (() => {});
  const volume = String(options.volume ?? 1);
  const category = String(options.category ?? 0);
  const owner = await requester.wallet.getAddress();
  const { address: app } = await requester.app.deployApp({
    owner,
    name: uniqueName('sdk-app'),
    type: 'DOCKER',
    multiaddr: DEFAULT_APP_IMAGE,
    checksum: keccak256(stringToHex(DEFAULT_APP_IMAGE)),
  });
  log(`app ${app} deployed by ${owner} through the SDK`);
  const apporder = await requester.order.createApporder({ app, volume });
  const workerpoolorder = await workerpoolOwner.order.createWorkerpoolorder({
    workerpool,
    category,
    volume,
  });
  const requestorder = await requester.order.createRequestorder({
    app,
    workerpool,
    category,
    volume,
    params: { iexec_args: options.args ?? 'hello from the iExec SDK' },
  });
  const matched = options.standard
    ? await matchStandard(options, {
        apporder: { ...apporder, tag: toTag(0) },
        workerpoolorder: { ...workerpoolorder, tag: toTag(0) },
        // the SDK keeps params as an object until it signs
        requestorder: {
          ...requestorder,
          params: JSON.stringify(requestorder.params),
          tag: toTag(0),
        },
      })
    : await requester.order.matchOrders({
        apporder: await requester.order.signApporder(apporder),
        workerpoolorder: await workerpoolOwner.order.signWorkerpoolorder(workerpoolorder),
        requestorder: await requester.order.signRequestorder(requestorder),
      });
  const dealId = matched.dealid as Hex;
  const deal = await requester.deal.show(dealId);
  const taskIds: Hex[] = [];
  for (let i = 0; i < Number(volume); i++) {
    taskIds.push((await requester.deal.computeTaskId(dealId, i)) as Hex);
  }
  log(`deal ${dealId} matched (tag ${deal.tag}, ${taskIds.length} task(s))`);
  return { app: app as Address, dealId, taskIds, tag: deal.tag };
}

async function matchStandard(
  options: SdkDealOptions,
  orders: { apporder: SdkOrder; workerpoolorder: SdkOrder; requestorder: SdkOrder },
): Promise<{ dealid: string }> {
  const contracts = await options.requester.config.resolveContractsClient();
  const ownerContracts = await options.workerpoolOwner.config.resolveContractsClient();
  const domain = pocoDomain(Number(contracts.chainId), contracts.hubAddress as Address);
  const salted = (order: SdkOrder) => ({
    ...order,
    salt: stringToHex(uniqueName('salt'), { size: 32 }),
  });
  const sign = async (signer: typeof contracts.signer, type: OrderName, order: SdkOrder) => {
    const message = salted(order);
    const types = { [type]: ORDER_TYPES[type].map((field) => ({ ...field })) };
    return { ...message, sign: await signer!.signTypedData(domain, types, message) };
  };
  const apporder = await sign(contracts.signer, 'AppOrder', orders.apporder);
  const workerpoolorder = await sign(
    ownerContracts.signer,
    'WorkerpoolOrder',
    orders.workerpoolorder,
  );
  const requestorder = await sign(contracts.signer, 'RequestOrder', orders.requestorder);
  const noDataset = {
    dataset: zeroAddress,
    datasetprice: 0,
    volume: 0,
    tag: toTag(0),
    apprestrict: zeroAddress,
    workerpoolrestrict: zeroAddress,
    requesterrestrict: zeroAddress,
    salt: toTag(0),
    sign: '0x',
  };
  const hub = contracts.getIExecContract();
  const tx = (await hub.matchOrders(apporder, noDataset, workerpoolorder, requestorder)) as {
    wait(): Promise<{ logs: { topics: string[]; data: string }[] }>;
  };
  const receipt = await tx.wait();
  for (const entry of receipt.logs) {
    const parsed = hub.interface.parseLog(entry);
    if (parsed?.name === 'OrdersMatched') return { dealid: String(parsed.args.dealid) };
  }
  throw new Error('matchOrders: no OrdersMatched event');
}

export interface SdkTaskOutcome {
  taskId: Hex;
  /** `task.show`'s statusName when it stopped waiting (or the scheduler's FAILED). */
  statusName: string;
  /** The scheduler's status of the task (its T1 `currentStatus`) when it stopped waiting. */
  schedulerStatus: string | undefined;
  offchain: Awaited<ReturnType<IExec['task']['fetchOffchainInfo']>> | undefined;
  logs: Awaited<ReturnType<IExec['task']['fetchLogs']>>;
}

/**
 * `task.show` every `pollMs` until the task is final on chain and COMPLETED on the scheduler, or
 * the scheduler gave it up (FAILED off chain: a task it never initializes stays UNSET on chain), or
 * `timeoutMs` passed (then throws with both views); then its off-chain views through the SDK.
 */
export async function followSdkTask(
  requester: IExec,
  workerpool: Address,
  taskId: Hex,
  timeoutMs: number,
  pollMs = 1000,
): Promise<SdkTaskOutcome> {
  const apiUrl = await requester.workerpool.getWorkerpoolApiUrl(workerpool);
  if (!apiUrl) throw new Error(`Compass knows no API for workerpool ${workerpool}`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const statusName = await requester.task.show(taskId).then(
      (task) => task.statusName,
      (error: unknown) => {
        // a task not initialized yet is "not found" to the SDK
        if (error instanceof errors.ObjectNotFoundError) return 'UNSET';
        throw error;
      },
    );
    const schedulerStatus = await schedulerTaskStatus(apiUrl, taskId);
    const chainFinal = FINAL_STATUS_NAMES.includes(statusName);
    // the scheduler marks a task COMPLETED just after the chain does
    if ((chainFinal && schedulerStatus === 'COMPLETED') || schedulerStatus === 'FAILED') {
      // the SDK reads the scheduler only for tasks the chain knows
      const offchain =
        statusName === 'UNSET' ? undefined : await requester.task.fetchOffchainInfo(taskId);
      const logs = statusName === 'COMPLETED' ? await requester.task.fetchLogs(taskId) : [];
      return { taskId, statusName, schedulerStatus, offchain, logs };
    }
    if (Date.now() > deadline) {
      throw new Error(
        `task ${taskId} still ${statusName} on chain after ${timeoutMs} ms, ${schedulerStatus ?? 'unknown'} on the scheduler`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** The scheduler's `currentStatus` of the task (T1), undefined while it does not know it. */
async function schedulerTaskStatus(apiUrl: string, taskId: Hex): Promise<string | undefined> {
  const response = await fetch(new URL(`/tasks/${taskId}`, apiUrl));
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`GET ${apiUrl}/tasks/${taskId} answered ${response.status}`);
  return ((await response.json()) as { currentStatus: string }).currentStatus;
}
