// N simulated workers in one process: one keep-alive HTTP agent, one chain client and one stats
// aggregate for all of them, one wallet each (`workerAccount(i)`), staggered starts, per-worker
// behaviours. For benchmarks, `mode: 'pingAndAsk'` keeps only the ping and R1 cadence.
import type { LocalAccount } from 'viem';
import { workerAccount } from '../chain/accounts.js';
import { createChainClients } from '../chain/clients.js';
import { ensureStake } from '../poco/deals.js';
import type { PocoDeployment } from '../poco/deployment.js';
import { parseBehaviour, type Behaviour } from './behaviours.js';
import type { EnclaveSigner } from './enclave-signer.js';
import { HttpClient, keepAliveAgent } from './http.js';
import { HttpResultUploader, type ResultUploader } from './result-uploader.js';
import { SimulatedWorker, type SimulatedWorkerOptions } from './simulated-worker.js';
import { WorkerStats, type WorkerStatsSnapshot } from './stats.js';
import type { TaskSnapshot } from './task-runner.js';
import { WorkerChain, type WorkerChainApi } from './worker-chain.js';

export interface WorkerFleetOptions {
  /** The scheduler, e.g. `http://127.0.0.1:13000`. */
  schedulerUrl: string;
  /** PoCo on the workers' chain node; the node is `rpcUrl` or the deployment's. */
  deployment?: PocoDeployment;
  rpcUrl?: string;
  /** A chain view to share instead of one built from the deployment. */
  chain?: WorkerChainApi;
  resultUploader?: ResultUploader | ((index: number) => ResultUploader);
  /** Result Proxy URL overriding `resultRepositoryURL` (when no `resultUploader` is given). */
  resultProxyUrl?: string;
  enclaveSigner?: EnclaveSigner | ((index: number) => EnclaveSigner | undefined);
  /** TEE technologies worker `index` registers with (over `worker`): SGX, TDX, both, none. */
  capabilities?: (index: number) => Pick<SimulatedWorkerOptions, 'teeEnabled' | 'tdxEnabled'>;
  /** Behaviour of worker `index` (an object, or a spec such as `slow:2000+wrongResult`). */
  behaviour?: (index: number) => Behaviour | string | undefined;
  /** Wallet of worker `index` (default `workerAccount(index)`). */
  account?: (index: number) => LocalAccount;
  /**
   * Escrow stake (nRLC) each worker must hold before it starts: what is missing is deposited
   * (PoCo locks the deal's workerStake at every contribution). Needs `deployment`.
   */
  stake?: bigint;
  /** Delay between two worker starts (default 50 ms). */
  staggerMs?: number;
  mode?: 'full' | 'pingAndAsk';
  /** Options common to every worker (ping period, cpuNb, retries…). */
  worker?: Partial<Omit<SimulatedWorkerOptions, 'schedulerUrl' | 'account'>>;
  log?: (line: string) => void;
}

export interface FleetStatsSnapshot extends WorkerStatsSnapshot {
  workers: number;
  running: number;
  crashed: number;
  byBehaviour: Record<string, number>;
}

export class WorkerFleet {
  readonly workers: SimulatedWorker[] = [];
  readonly stats = new WorkerStats();
  readonly http: HttpClient;
  readonly chain?: WorkerChainApi;
  private readonly agent = keepAliveAgent();

  constructor(private readonly options: WorkerFleetOptions) {
    this.http = new HttpClient({ agent: this.agent, stats: this.stats });
    const { deployment, rpcUrl } = options;
    this.chain =
      options.chain ??
      (deployment
        ? new WorkerChain(
            deployment,
            createChainClients({
              rpcUrl: rpcUrl ?? deployment.rpcUrl,
              chainId: deployment.chainId,
            }),
          )
        : undefined);
  }

  /** Starts `n` more workers (indexes continue after the existing ones), `staggerMs` apart. */
  async start(n: number): Promise<SimulatedWorker[]> {
    const first = this.workers.length;
    const created = Array.from({ length: n }, (_, k) => this.create(first + k));
    this.workers.push(...created);
    if (this.options.stake) await this.fund(created, this.options.stake);
    const stagger = this.options.staggerMs ?? 50;
    const results = await Promise.allSettled(
      created.map(async (worker, k) => {
        if (k > 0 && stagger > 0) await new Promise((r) => setTimeout(r, k * stagger));
        await worker.start();
      }),
    );
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failures.length > 0) {
      throw new AggregateError(
        failures.map((f) => f.reason),
        `${failures.length}/${n} simulated workers failed to start`,
      );
    }
    return created;
  }

  /** Stops every worker (STOMP DISCONNECT, timers) and closes the shared sockets. */
  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.stop().catch(() => undefined)));
    this.agent.destroy();
  }

  worker(index: number): SimulatedWorker {
    const worker = this.workers[index];
    if (!worker) throw new Error(`no simulated worker ${index}`);
    return worker;
  }

  /** The worker holding `wallet` (any casing). */
  byWallet(wallet: string): SimulatedWorker | undefined {
    return this.workers.find((w) => w.wallet === wallet.toLowerCase());
  }

  /** The tasks every worker holds, then those it finished (its last 1,000). */
  taskSnapshots(): TaskSnapshot[] {
    return this.workers.flatMap((w) => [...w.tasks(), ...w.finishedTasks()]);
  }

  snapshot(): FleetStatsSnapshot {
    const byBehaviour: Record<string, number> = {};
    for (const w of this.workers)
      byBehaviour[w.behaviour.name] = (byBehaviour[w.behaviour.name] ?? 0) + 1;
    return {
      ...this.stats.snapshot(),
      workers: this.workers.length,
      running: this.workers.filter((w) => w.state === 'running').length,
      crashed: this.workers.filter((w) => w.state === 'crashed').length,
      byBehaviour,
    };
  }

  /** One after the other: the deployer sends the RLC of every deposit (one nonce). */
  private async fund(workers: SimulatedWorker[], stake: bigint): Promise<void> {
    if (!(this.chain instanceof WorkerChain)) throw new Error('stake needs a deployment');
    for (const worker of workers) await ensureStake(this.chain.ctx, worker.account, stake);
  }

  private create(index: number): SimulatedWorker {
    const { options } = this;
    const pick = <T>(value: T | ((i: number) => T) | undefined) =>
      typeof value === 'function' ? (value as (i: number) => T)(index) : value;
    const behaviour = options.behaviour?.(index);
    return new SimulatedWorker({
      ...options.worker,
      ...options.capabilities?.(index),
      schedulerUrl: options.schedulerUrl,
      account: options.account?.(index) ?? workerAccount(index),
      name: `sim-worker-${index}`,
      behaviour: typeof behaviour === 'string' ? parseBehaviour(behaviour) : behaviour,
      chain: this.chain,
      resultUploader:
        pick(options.resultUploader) ??
        (options.resultProxyUrl
          ? new HttpResultUploader(this.http, options.resultProxyUrl)
          : undefined),
      enclaveSigner: pick(options.enclaveSigner),
      mode: options.mode ?? options.worker?.mode,
      http: this.http,
      stats: this.stats,
      log: options.log ?? options.worker?.log,
    });
  }
}
