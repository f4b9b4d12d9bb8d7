import { Inject, Injectable, Logger, OnModuleInit, Optional } from '@nestjs/common';
import { CLOCK, systemClock, type Clock } from '../common/clock.js';
import { KeyedMutex } from '../common/keyed-mutex.js';
import { AppConfig } from '../config/app-config.js';
import type { WorkerModelDto } from './worker.dto.js';
import { WorkerRepository, type WorkerRecord } from './worker.repository.js';
import { WorkerLivenessService } from './worker-liveness.service.js';
import {
  aliveWorkerMetrics,
  hasCapacity,
  maxNbTasksOf,
  type AliveWorkerMetrics,
} from './worker-rules.js';

/** A worker document as cached: never mutated, replaced on every write. */
export type WorkerView = Readonly<
  Omit<WorkerRecord, 'participatingChainTaskIds' | 'computingChainTaskIds'> & {
    participatingChainTaskIds: readonly string[];
    computingChainTaskIds: readonly string[];
  }
>;

export type AddTaskResult =
  { added: true; worker: WorkerView } | { added: false; reason: 'unknown-worker' | 'no-capacity' };

/**
 * The worker registry (worker-api.md §3). The scheduler is the only writer of the `worker`
 * collection, so every document is cached in memory (loaded at boot, written through), and reads
 * (the replicate supply reads the caller's document on every R1) cost no round trip. Registration
 * and list mutations are serialized per wallet; wallet strings are keys verbatim.
 */
@Injectable()
export class WorkerService implements OnModuleInit {
  private readonly logger = new Logger(WorkerService.name);
  private readonly cache = new Map<string, WorkerView>();
  private readonly locks = new KeyedMutex<string>();
  private loading?: Promise<void>;

  constructor(
    private readonly repository: WorkerRepository,
    private readonly liveness: WorkerLivenessService,
    private readonly config: AppConfig,
    @Optional() @Inject(CLOCK) private readonly clock: Clock = systemClock,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.ready();
  }

  /** The cached document of this exact wallet string. */
  async getWorker(walletAddress: string): Promise<WorkerView | undefined> {
    await this.ready();
    return this.cache.get(walletAddress);
  }

  /** W6: the caller's computing task ids, `[]` for an unknown worker. */
  async computingTaskIds(walletAddress: string): Promise<readonly string[]> {
    return (await this.getWorker(walletAddress))?.computingChainTaskIds ?? [];
  }

  /**
   * W4: records liveness as a ping, then upserts the document (id and task lists kept, every
   * descriptive field overwritten, `maxNbTasks` derived). `walletAddress` is the authenticated one.
   */
  async register(walletAddress: string, model: WorkerModelDto): Promise<WorkerView> {
    this.liveness.recordPing(walletAddress);
    await this.ready();
    return this.locks.run(walletAddress, async () => {
      const cpuNb = model.cpuNb ?? 0;
      const gpuEnabled = model.gpuEnabled ?? false;
      const doc = await this.repository.upsertRegistration({
        walletAddress,
        name: model.name ?? undefined,
        os: model.os ?? undefined,
        cpu: model.cpu ?? undefined,
        cpuNb,
        maxNbTasks: maxNbTasksOf({ gpuEnabled, cpuNb }),
        memorySize: model.memorySize ?? 0,
        teeEnabled: model.teeEnabled ?? false,
        tdxEnabled: model.tdxEnabled ?? false,
        gpuEnabled,
      });
      // The upsert cleared the persisted dates (reference behaviour): the next flush rewrites them.
      this.liveness.markUnpersisted(walletAddress);
      const worker = freeze(doc);
      this.cache.set(walletAddress, worker);
      this.logger.log(
        `Worker registered [wallet:${walletAddress}, cpuNb:${cpuNb}, gpu:${gpuEnabled}, tee:${worker.teeEnabled}, tdx:${worker.tdxEnabled}]`,
        { walletAddress },
      );
      return worker;
    });
  }

  /** W3: the wallet is alive now (memory only; persisted in batches). */
  recordPing(walletAddress: string): void {
    this.liveness.recordPing(walletAddress);
  }

  /**
   * R1 reservation, atomic per wallet: refuses when `|computing| >= maxNbTasks`, otherwise adds
   * the task to both lists. Idempotent: a task already computing is reported added.
   */
  async addTaskToWorker(walletAddress: string, chainTaskId: string): Promise<AddTaskResult> {
    await this.ready();
    return this.locks.run(walletAddress, async (): Promise<AddTaskResult> => {
      const worker = this.cache.get(walletAddress);
      if (!worker) return { added: false, reason: 'unknown-worker' };
      if (worker.computingChainTaskIds.includes(chainTaskId)) return { added: true, worker };
      if (!hasCapacity(worker)) return { added: false, reason: 'no-capacity' };
      await this.repository.addTask(walletAddress, chainTaskId);
      const updated = this.replace(worker, {
        participatingChainTaskIds: withId(worker.participatingChainTaskIds, chainTaskId),
        computingChainTaskIds: withId(worker.computingChainTaskIds, chainTaskId),
      });
      return { added: true, worker: updated };
    });
  }

  /** Frees the computing slot (the replicate finished computing, §3.1). */
  async removeComputingTask(walletAddress: string, chainTaskId: string): Promise<void> {
    await this.ready();
    await this.locks.run(walletAddress, async () => {
      const worker = this.cache.get(walletAddress);
      if (!worker?.computingChainTaskIds.includes(chainTaskId)) return;
      await this.repository.removeComputingTask(walletAddress, chainTaskId);
      this.replace(worker, {
        computingChainTaskIds: withoutId(worker.computingChainTaskIds, chainTaskId),
      });
    });
  }

  /** Removes the task from both lists (replicate COMPLETED/FAILED, task ended, §3.1). */
  async removeTask(walletAddress: string, chainTaskId: string): Promise<void> {
    await this.ready();
    await this.locks.run(walletAddress, async () => {
      const worker = this.cache.get(walletAddress);
      if (
        !worker ||
        (!worker.participatingChainTaskIds.includes(chainTaskId) &&
          !worker.computingChainTaskIds.includes(chainTaskId))
      )
        return;
      await this.repository.removeTask(walletAddress, chainTaskId);
      this.replace(worker, {
        participatingChainTaskIds: withoutId(worker.participatingChainTaskIds, chainTaskId),
        computingChainTaskIds: withoutId(worker.computingChainTaskIds, chainTaskId),
      });
    });
  }

  /** {@link removeTask} for every wallet holding a replicate of an ended task. */
  async removeTaskFromAll(walletAddresses: Iterable<string>, chainTaskId: string): Promise<void> {
    await Promise.all([...new Set(walletAddresses)].map((w) => this.removeTask(w, chainTaskId)));
  }

  /** True when the wallet pinged less than 60 s ago (registered or not). */
  isAlive(walletAddress: string): boolean {
    return this.liveness.isAlive(walletAddress, this.clock());
  }

  /** Registered workers whose last ping is less than 60 s old. */
  async aliveWorkers(): Promise<WorkerView[]> {
    return this.withLiveness('alive');
  }

  /** Registered workers whose last ping is more than 60 s old (never-pinged ones excluded). */
  async lostWorkers(): Promise<WorkerView[]> {
    return this.withLiveness('lost');
  }

  /** PlatformMetric worker figures (§9.4). */
  async aliveMetrics(): Promise<AliveWorkerMetrics> {
    return aliveWorkerMetrics(await this.aliveWorkers());
  }

  /**
   * R1 throttle (§5.1): false when the wallet's previous accepted demand is too recent; otherwise
   * records `now` (in memory, and in `lastReplicateDemandDate` at the next flush) and returns true.
   */
  tryAcceptReplicateDemand(
    walletAddress: string,
    nowMs: number = this.clock(),
    periodMs: number = this.config.workers.askForReplicatePeriodMs,
  ): boolean {
    return this.liveness.tryAcceptReplicateDemand(walletAddress, nowMs, periodMs);
  }

  private async withLiveness(wanted: 'alive' | 'lost'): Promise<WorkerView[]> {
    await this.ready();
    const now = this.clock();
    return [...this.cache.values()].filter(
      (w) => this.liveness.livenessOf(w.walletAddress, now) === wanted,
    );
  }

  private ready(): Promise<void> {
    this.loading ??= this.load();
    return this.loading;
  }

  private async load(): Promise<void> {
    const workers = await this.repository.findAll();
    for (const worker of workers) this.cache.set(worker.walletAddress, freeze(worker));
    this.liveness.restore(workers);
    this.logger.log(`Loaded ${workers.length} registered worker(s)`);
  }

  private replace(worker: WorkerView, changes: Partial<WorkerView>): WorkerView {
    const updated = Object.freeze({ ...worker, ...changes });
    this.cache.set(worker.walletAddress, updated);
    return updated;
  }
}

function freeze(doc: WorkerRecord): WorkerView {
  return Object.freeze({
    ...doc,
    participatingChainTaskIds: Object.freeze([...(doc.participatingChainTaskIds ?? [])]),
    computingChainTaskIds: Object.freeze([...(doc.computingChainTaskIds ?? [])]),
  });
}

function withId(list: readonly string[], id: string): readonly string[] {
  return Object.freeze(list.includes(id) ? list : [...list, id]);
}

function withoutId(list: readonly string[], id: string): readonly string[] {
  return Object.freeze(list.filter((x) => x !== id));
}
