// Helpers of the service stand-in tests: raw HTTP exchanges (no client library between the test
// and the wire) and tasks driven on the dev chain to a given status.
import { keccak256, stringToHex, type Hex, type LocalAccount } from 'viem';
import { workerAccount } from '../../devstack/chain/accounts.js';
import type { DealOptions, MatchedDeal } from '../../devstack/poco/deals.js';
import { NRLC_PER_RLC } from '../../devstack/poco/deployment.js';
import { REASON_HEADER } from '../../devstack/services/http.js';
import type { TestChain } from './chain.js';

export interface Exchange {
  status: number;
  text: string;
  contentType: string | null;
  /** Why a stand-in refused the request (its debug header). */
  reason: string | null;
  bytes: Buffer;
}

export interface ExchangeOptions {
  headers?: Record<string, string>;
  /** Sent as JSON with `Content-Type: application/json`. */
  json?: unknown;
  /** Sent as is. */
  body?: string;
}

export async function exchange(
  method: string,
  url: string,
  options: ExchangeOptions = {},
): Promise<Exchange> {
  const headers: Record<string, string> = { ...options.headers };
  let body = options.body;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  const res = await fetch(url, { method, headers, body });
  const bytes = Buffer.from(await res.arrayBuffer());
  return {
    status: res.status,
    text: bytes.toString('utf8'),
    contentType: res.headers.get('content-type'),
    reason: res.headers.get(REASON_HEADER),
    bytes,
  };
}

export const basic = (username: string, password: string) =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

export const digestOf = (label: string): Hex => keccak256(stringToHex(label));

/**
 * Once per file (call after isolateChainPerFile): an app and a workerpool every deal of the file
 * reuses, and stakes large enough that deals need no deposit. Saves ~100 ms per deal. Returns
 * the DealOptions to spread into each deal.
 */
export function sharedDealSetup(chain: TestChain, workers: LocalAccount[] = []): () => DealOptions {
  let assets: DealOptions = {};
  beforeAll(async () => {
    const { fixtures, roles } = chain;
    const app = await fixtures.createApp();
    const workerpool = await fixtures.createWorkerpool();
    for (const account of [roles.requester, roles.scheduler, ...workers]) {
      await fixtures.ensureStake(account, 1000n * NRLC_PER_RLC);
    }
    assets = { app, workerpool };
  });
  return () => assets;
}

export interface DrivenTask {
  deal: MatchedDeal;
  taskId: Hex;
}

/** A new deal of one task (unless `volume`) and its first task initialized by the scheduler. */
export async function initializedTask(
  chain: TestChain,
  options: DealOptions = {},
): Promise<DrivenTask> {
  const deal = await chain.fixtures.createDeal(options);
  const { taskId } = await chain.fixtures.initialize(deal.dealId, deal.botFirst);
  return { deal, taskId };
}

/** Contributes `digest` for `worker` (authorized by the scheduler), which puts a trust-1 task in REVEALING. */
export async function contributeTask(
  chain: TestChain,
  taskId: Hex,
  digest: Hex,
  worker: LocalAccount = workerAccount(0),
): Promise<void> {
  const authorization = await chain.fixtures.authorize(worker.address, taskId);
  await chain.fixtures.contribute(worker, taskId, digest, authorization);
}

/** Initialized, contributed and revealed by `worker`: ready to be finalized. */
export async function revealedTask(
  chain: TestChain,
  digest: Hex,
  worker: LocalAccount = workerAccount(0),
  options: DealOptions = {},
): Promise<DrivenTask> {
  const task = await initializedTask(chain, { workers: [worker], ...options });
  await contributeTask(chain, task.taskId, digest, worker);
  await chain.fixtures.reveal(worker, task.taskId, digest);
  return task;
}

/** Polls `read` until `done` holds (every 20 ms, at most `timeoutMs`); returns every distinct value seen. */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T[]> {
  const seen: T[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (seen.length === 0 || seen[seen.length - 1] !== value) seen.push(value);
    if (done(value)) return seen;
    if (Date.now() > deadline) throw new Error(`timed out; seen ${JSON.stringify(seen)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
