// Simulated workers wired to the in-memory scheduler, push hub and chain of the unit tests.
import { keccak256, toHex, type Hex, type LocalAccount } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { workerAccount } from '../../../devstack/chain/accounts.js';
import type { ChainReceipt } from '../../../devstack/worker/protocol.js';
import { InMemoryResultUploader } from '../../../devstack/worker/result-uploader.js';
import {
  SimulatedWorker,
  type SimulatedWorkerOptions,
} from '../../../devstack/worker/simulated-worker.js';
import type {
  ContributeAndFinalizeArgs,
  ContributeArgs,
  TaskFacts,
  WorkerChainApi,
} from '../../../devstack/worker/worker-chain.js';
import { TaskNotificationType } from '../../../src/notification/task-notification-type.js';
import type {
  TaskNotification,
  TaskNotificationExtra,
} from '../../../src/notification/task-notification.js';
import { FakePushHub, FakeScheduler } from '../../support/fake-scheduler.js';

export const FAR_FUTURE = Math.floor(Date.now() / 1000) + 3600;

export function taskId(n: number): Hex {
  return keccak256(toHex(`simulated task ${n}`));
}

/** The worker's node: blocks, task descriptions, and the transactions it was sent. */
export class FakeChain implements WorkerChainApi {
  block = 100;
  readonly facts = new Map<string, Partial<TaskFacts>>();
  readonly unreadable = new Set<string>();
  readonly contributions: (ContributeArgs & { worker: string })[] = [];
  readonly reveals: { worker: string; chainTaskId: Hex; resultDigest: Hex }[] = [];
  readonly finalized: (ContributeAndFinalizeArgs & { worker: string })[] = [];

  async latestBlockNumber(): Promise<number> {
    return this.block;
  }

  async readTask(chainTaskId: string): Promise<TaskFacts | undefined> {
    if (this.unreadable.has(chainTaskId)) return undefined;
    return {
      chainTaskId: chainTaskId as Hex,
      dealId: `0x${'de'.repeat(32)}`,
      trust: 1n,
      tag: `0x${'00'.repeat(32)}`,
      isTee: false,
      callback: null,
      category: 0n,
      contributionDeadline: FAR_FUTURE,
      finalDeadline: FAR_FUTURE,
      ...this.facts.get(chainTaskId),
    };
  }

  private receipt(): ChainReceipt {
    this.block++;
    return { blockNumber: this.block, txHash: keccak256(toHex(this.block)) };
  }

  async contribute(account: LocalAccount, args: ContributeArgs): Promise<ChainReceipt> {
    this.contributions.push({ ...args, worker: account.address });
    return this.receipt();
  }

  async reveal(account: LocalAccount, chainTaskId: Hex, resultDigest: Hex): Promise<ChainReceipt> {
    this.reveals.push({ worker: account.address, chainTaskId, resultDigest });
    return this.receipt();
  }

  async contributeAndFinalize(
    account: LocalAccount,
    args: ContributeAndFinalizeArgs,
  ): Promise<ChainReceipt> {
    this.finalized.push({ ...args, worker: account.address });
    return this.receipt();
  }
}

export interface Harness {
  scheduler: FakeScheduler;
  hub: FakePushHub;
  chain: FakeChain;
  uploader: InMemoryResultUploader;
  schedulerKey: LocalAccount;
  workers: SimulatedWorker[];
  worker(index?: number, options?: Partial<SimulatedWorkerOptions>): SimulatedWorker;
  push(
    chainTaskId: string,
    type: TaskNotificationType,
    workersAddress: string[],
    extra?: Partial<TaskNotificationExtra>,
  ): void;
  stopAll(): Promise<void>;
}

export function harness(): Harness {
  const schedulerKey = privateKeyToAccount(generatePrivateKey());
  const scheduler = new FakeScheduler(schedulerKey);
  const hub = new FakePushHub();
  const chain = new FakeChain();
  const uploader = new InMemoryResultUploader();
  const workers: SimulatedWorker[] = [];
  return {
    scheduler,
    hub,
    chain,
    uploader,
    schedulerKey,
    workers,
    worker(index = 0, options = {}) {
      const worker = new SimulatedWorker({
        schedulerUrl: 'http://scheduler.invalid',
        account: workerAccount(index),
        api: scheduler,
        push: hub.factory,
        chain,
        resultUploader: uploader,
        askPeriodMs: 5,
        pingIntervalMs: 20,
        retryDelayMs: 5,
        ...options,
      });
      workers.push(worker);
      return worker;
    },
    push(chainTaskId, type, workersAddress, extra) {
      const notification: TaskNotification = {
        chainTaskId,
        workersAddress,
        taskNotificationType: type,
        taskNotificationExtra: extra
          ? {
              workerpoolAuthorization: null,
              smsUrl: null,
              blockNumber: 0,
              taskAbortCause: null,
              ...extra,
            }
          : null,
      };
      hub.publish(notification);
    },
    async stopAll() {
      await Promise.all(workers.map((w) => w.stop()));
      for (const w of workers) w.dispose();
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every 5 ms (fake timers are not used: the worker's loops are real). */
export async function until(condition: () => boolean, timeoutMs = 5000, what = 'condition') {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timeout waiting for ${what}`);
    await sleep(5);
  }
}

export { TaskNotificationType };
