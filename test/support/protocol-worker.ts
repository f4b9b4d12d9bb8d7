// A worker speaking the raw REST protocol (worker-api.md §2–§7) to a running scheduler: real
// login (W1 + W2), registration, R1 / R2 / R3 with no client library between the test and the
// wire. Protocol e2e tests drive every step themselves and send the chain transactions with the
// PoCo fixtures.
import { keccak256, stringToHex, type Hex, type PrivateKeyAccount } from 'viem';
import { devPrivateKey, FIRST_WORKER_INDEX, workerAccount } from '../../devstack/chain/accounts.js';
import { emptyStatusDetails } from '../../devstack/worker/protocol.js';
import { ReplicateStatus as S } from '../../src/replicate/replicate-status.js';
import { TaskRepository } from '../../src/task/task.repository.js';
import { TaskStatus } from '../../src/task/task-status.js';
import type { TestChain } from './chain.js';
import { eventually, type RunningScheduler } from './scheduler.js';
import { exchange, type Exchange } from './services.js';
import { defaultWorkerModel, TestWorker, workerHeaders } from './worker-client.js';

export interface ProtocolWorkerOptions {
  /** The wallet string presented at login (default: the lowercase address, as the real worker). */
  wallet?: string;
  /** W4 body overrides (cpuNb, teeEnabled…); `false` skips the registration. */
  register?: Record<string, unknown> | false;
}

/** The success path a worker reports from a fresh replicate up to COMPUTED (§7.6). */
export const UP_TO_COMPUTED: readonly S[] = [
  S.STARTING,
  S.STARTED,
  S.APP_DOWNLOADING,
  S.APP_DOWNLOADED,
  S.DATA_DOWNLOADING,
  S.DATA_DOWNLOADED,
  S.COMPUTING,
  S.COMPUTED,
];

export class ProtocolWorker {
  readonly client: TestWorker;
  token = '';

  private constructor(
    readonly baseUrl: string,
    readonly account: PrivateKeyAccount,
    privateKey: Hex,
    wallet: string,
  ) {
    this.client = new TestWorker(baseUrl, privateKey, wallet);
  }

  /** Logs worker `index` (workerAccount(index)) in and registers it (unless told not to). */
  static async start(
    scheduler: Pick<RunningScheduler, 'baseUrl'>,
    index: number,
    options: ProtocolWorkerOptions = {},
  ): Promise<ProtocolWorker> {
    const account = workerAccount(index);
    const worker = new ProtocolWorker(
      scheduler.baseUrl,
      account,
      devPrivateKey(FIRST_WORKER_INDEX + index),
      options.wallet ?? account.address.toLowerCase(),
    );
    worker.token = await worker.client.login();
    if (options.register !== false) {
      const res = await worker.client.register(
        worker.token,
        defaultWorkerModel(worker.wallet, options.register ?? {}),
      );
      if (res.status !== 200) throw new Error(`register: HTTP ${res.status}`);
    }
    return worker;
  }

  get wallet(): string {
    return this.client.wallet;
  }

  private headers(token: string | null = this.token): Record<string, string> {
    return token === null ? workerHeaders() : workerHeaders(token);
  }

  /** R1. `token` null sends no Authorization header. */
  available(blockNumber: number | string, token: string | null = this.token): Promise<Exchange> {
    return exchange('GET', `${this.baseUrl}/replicates/available?blockNumber=${blockNumber}`, {
      headers: this.headers(token),
    });
  }

  /** R2. */
  interrupted(blockNumber: number, token: string | null = this.token): Promise<Exchange> {
    return exchange('GET', `${this.baseUrl}/replicates/interrupted?blockNumber=${blockNumber}`, {
      headers: this.headers(token),
    });
  }

  /** R3 with a raw body (string sent as is, anything else as JSON). */
  updateStatus(
    chainTaskId: string,
    body: unknown,
    token: string | null = this.token,
  ): Promise<Exchange> {
    return exchange('POST', `${this.baseUrl}/replicates/${chainTaskId}/updateStatus`, {
      headers: this.headers(token),
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  /** R3 with the body the real worker sends (§4.5: nulls, `success`, modifier and date). */
  report(
    chainTaskId: string,
    status: S,
    details: Record<string, unknown> | null = null,
  ): Promise<Exchange> {
    return this.updateStatus(chainTaskId, statusUpdateBody(status, details));
  }

  /** Reports each status in turn; throws unless every one is accepted (HTTP 200). */
  async reportAll(chainTaskId: string, statuses: readonly S[]): Promise<void> {
    for (const status of statuses) {
      const details =
        status === S.COMPUTED
          ? { computeLogs: { walletAddress: this.wallet, stdout: 'ok', stderr: '' } }
          : null;
      const res = await this.report(chainTaskId, status, details);
      if (res.status !== 200) throw new Error(`${status}: HTTP ${res.status} ${res.text}`);
    }
  }
}

/** The R3 body of iexec-worker 8.5, unknown properties included. */
export function statusUpdateBody(status: S, details: Record<string, unknown> | null = null) {
  const full = details === null ? null : { ...emptyStatusDetails(), ...details };
  return { status, modifier: null, date: null, details: full, success: true };
}

/** The deterministic digest a test worker computes for a task. */
/** The R3 `details` of a status carried by a transaction: its receipt block and hash. */
export const receiptOf = (tx: { receipt: { blockNumber: bigint; transactionHash: Hex } }) => ({
  chainReceipt: { blockNumber: Number(tx.receipt.blockNumber), txHash: tx.receipt.transactionHash },
});

export const digestOf = (chainTaskId: string, salt = 'protocol-e2e'): Hex =>
  keccak256(stringToHex(`${chainTaskId}/${salt}`));

export async function latestBlock(chain: TestChain): Promise<number> {
  return Number(await chain.clients.publicClient.getBlockNumber());
}

/** Waits until the scheduler holds the task in one of `statuses` (default INITIALIZED). */
export function waitForTaskStatus(
  scheduler: RunningScheduler,
  chainTaskId: string,
  statuses: readonly TaskStatus[] = [TaskStatus.INITIALIZED],
  timeoutMs = 15000,
) {
  const tasks = scheduler.get(TaskRepository);
  return eventually(
    async () => {
      const task = await tasks.findByChainTaskId(chainTaskId);
      return task && statuses.includes(task.currentStatus) ? task : undefined;
    },
    timeoutMs,
    `task ${chainTaskId} in ${statuses.join('|')}`,
  );
}

/**
 * A one-task deal of `workerpool` that only `worker` may take, initialized and handed to it by
 * R1; resolves with the task id.
 */
export async function replicateOfNewDeal(
  chain: TestChain,
  scheduler: RunningScheduler,
  workerpool: `0x${string}`,
  worker: ProtocolWorker,
): Promise<string> {
  const deal = await chain.fixtures.createDeal({ workerpool, workers: [worker.account] });
  const chainTaskId = deal.taskIds[0];
  await waitForTaskStatus(scheduler, chainTaskId);
  await eventually(async () => (await worker.available(await latestBlock(chain))).status === 200);
  return chainTaskId;
}

/** The object keys of a JSON value, recursively (arrays by their first element), for shape checks. */
export function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? [shapeOf(value[0])] : [];
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shapeOf(v)]));
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
