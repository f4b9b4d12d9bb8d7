// Options, states and events of a SimulatedWorker.
import type { EventEmitter } from 'node:events';
import type { LocalAccount } from 'viem';
import type { TaskNotificationType } from '../../src/notification/task-notification-type.js';
import type { ReplicateStatus } from '../../src/replicate/replicate-status.js';
import type { Behaviour } from './behaviours.js';
import type { EnclaveSigner } from './enclave-signer.js';
import type { HttpClient } from './http.js';
import type { ReplicateStatusDetails } from './protocol.js';
import type { PushClientOptions } from './push-client.js';
import type { ResultUploader } from './result-uploader.js';
import type { SchedulerApi } from './scheduler-api.js';
import type { WorkerStatsSink } from './stats.js';
import type { TaskSnapshot } from './task-runner.js';
import type { WorkerChainApi } from './worker-chain.js';
import type { PushFactory } from './worker-push.js';

export interface SimulatedWorkerOptions {
  /** The scheduler, e.g. `http://127.0.0.1:13000` (REST and `/connect`). */
  schedulerUrl: string;
  /** The worker wallet (`workerAccount(i)` on the dev chain). */
  account: LocalAccount;
  name?: string;
  behaviour?: Behaviour;
  /** The worker's chain node; without one the worker can ask and ping but not contribute. */
  chain?: WorkerChainApi;
  /** Default: the Result Proxy at the configuration's `resultRepositoryURL`. */
  resultUploader?: ResultUploader;
  /** TEE tasks; registration says `teeEnabled` when present (unless `teeEnabled` is set). */
  enclaveSigner?: EnclaveSigner;
  /** 'pingAndAsk': load mode, replicates are counted and left alone (no chain work). */
  mode?: 'full' | 'pingAndAsk';
  /** Default 10 000 ms (§3.3). */
  pingIntervalMs?: number;
  /** Overrides `askForReplicatePeriod` of `/workers/config`. */
  askPeriodMs?: number;
  /** Announced version, checked against `requiredWorkerVersion` (default 8.5.0). */
  version?: string;
  cpuNb?: number;
  memorySize?: number;
  /** SGX (Scone, Gramine) at registration; default: an `enclaveSigner` is given. */
  teeEnabled?: boolean;
  /**
   * TDX at registration, as iexec-worker 9.x sends it (iexec-core 9.2 `tdxEnabled`); default
   * false, as an 8.5 worker that does not send it. TDX tasks are signed by the `enclaveSigner`.
   */
  tdxEnabled?: boolean;
  gpuEnabled?: boolean;
  /** R3 delivery loop bound (default 10 000 posts; it also stops at the final deadline). */
  maxPostAttempts?: number;
  /** Pause after an R3 post that got no HTTP answer (default 100 ms; the Java worker has none). */
  transportRetryDelayMs?: number;
  /** Pause between attempts of the 3-attempt wrapper (register, R2, W6): default 2000 ms. */
  retryDelayMs?: number;
  /** blockNumber sent without a chain (default 1). */
  fixedBlockNumber?: number;
  http?: HttpClient;
  stats?: WorkerStatsSink;
  /** Injection points (tests): REST API and push channel. */
  api?: SchedulerApi;
  push?: PushFactory;
  pushOptions?: Partial<PushClientOptions>;
  log?: (line: string) => void;
}

export type WorkerState = 'idle' | 'starting' | 'running' | 'stopped' | 'crashed';

export interface StatusEvent {
  chainTaskId: string;
  status: ReplicateStatus;
  answer?: TaskNotificationType;
  posts: number;
  details: ReplicateStatusDetails;
}

/** What waitForReport needs of a worker. */
export interface ReportSource extends EventEmitter {
  readonly name: string;
  task(chainTaskId: string): TaskSnapshot | undefined;
}

/** Resolves once `status` has been reported for the task and answered (now or later). */
export function waitForReport(
  worker: ReportSource,
  chainTaskId: string,
  status: ReplicateStatus,
  timeoutMs: number,
): Promise<void> {
  if (worker.task(chainTaskId)?.reports.some((r) => r.status === status && r.answer)) {
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    const onStatus = (event: StatusEvent) => {
      if (event.chainTaskId !== chainTaskId || event.status !== status || !event.answer) return;
      clearTimeout(timer);
      worker.off('status', onStatus);
      resolve();
    };
    const timer = setTimeout(() => {
      worker.off('status', onStatus);
      const last = worker.task(chainTaskId)?.lastStatus ?? 'nothing';
      const message = `${worker.name}: no ${status} for ${chainTaskId} in ${timeoutMs} ms`;
      reject(new Error(`${message} (last ${last})`));
    }, timeoutMs);
    worker.on('status', onStatus);
  });
}
