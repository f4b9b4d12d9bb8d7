import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnModuleInit,
  Optional,
} from '@nestjs/common';
import { CLOCK, systemClock, type Clock } from '../common/clock.js';
import { JobScheduler } from '../common/jobs/job-scheduler.js';
import { WorkerRepository } from './worker.repository.js';
import { isDemandAccepted, livenessOf, resumeLastPings, type Liveness } from './worker-rules.js';

/** How often the in-memory liveness is written to the `worker` documents. */
export const LIVENESS_FLUSH_PERIOD_MS = 5_000;
export const LIVENESS_FLUSH_JOB = 'worker-liveness-flush';
/**
 * The periodic flush writes a wallet's ping time only once it moved this far from the stored one
 * (its last demand time goes along): thousands of workers pinging every 10 s and asking every
 * second would otherwise mean a write per worker per flush. A restart after a crash so sees pings
 * up to this much older (of the 60 s lost threshold); a graceful shutdown writes everything.
 */
export const LIVENESS_PERSIST_STEP_MS = 30_000;

/**
 * Worker liveness and R1 demand times (worker-api.md §3.3, §5.1), authoritative in memory: a ping
 * is one map write. A periodic job (and the shutdown) writes what changed to `lastAliveDate` /
 * `lastReplicateDemandDate` in bulk; at boot the persisted ping times are loaded back (see
 * {@link resumeLastPings}), so a restart neither forgets nor loses anybody.
 */
@Injectable()
export class WorkerLivenessService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(WorkerLivenessService.name);
  private readonly lastPing = new Map<string, number>();
  private readonly lastDemand = new Map<string, number>();
  /** What the documents hold, so a flush only writes what changed since. */
  private readonly persistedPing = new Map<string, number>();
  private readonly persistedDemand = new Map<string, number>();
  private flushing: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly repository: WorkerRepository,
    private readonly jobs: JobScheduler,
    @Optional() @Inject(CLOCK) private readonly clock: Clock = systemClock,
  ) {}

  onModuleInit(): void {
    this.jobs.register(LIVENESS_FLUSH_JOB, LIVENESS_FLUSH_PERIOD_MS, () =>
      this.stopped ? Promise.resolve() : this.flush(LIVENESS_PERSIST_STEP_MS),
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    try {
      await this.flush();
    } catch (error) {
      this.logger.warn(`Liveness not saved at shutdown: ${(error as Error).message}`);
    }
  }

  /** Boot: the persisted ping times of the registered workers, downtime taken out. */
  restore(workers: readonly { walletAddress: string; lastAliveDate?: Date | null }[]): void {
    const persisted = new Map<string, number>();
    for (const { walletAddress, lastAliveDate } of workers) {
      if (lastAliveDate) persisted.set(walletAddress, lastAliveDate.getTime());
    }
    for (const [wallet, time] of resumeLastPings(persisted, this.clock())) {
      if (this.lastPing.has(wallet)) continue; // pinged already: fresher than the document
      this.lastPing.set(wallet, time);
      // The shifted time is not written back: the document keeps the last real ping.
      this.persistedPing.set(wallet, time);
    }
  }

  recordPing(walletAddress: string, nowMs: number = this.clock()): void {
    this.lastPing.set(walletAddress, nowMs);
  }

  /** The document's dates were cleared (re-registration): write them again at the next flush. */
  markUnpersisted(walletAddress: string): void {
    this.persistedPing.delete(walletAddress);
    this.persistedDemand.delete(walletAddress);
  }

  lastPingOf(walletAddress: string): number | undefined {
    return this.lastPing.get(walletAddress);
  }

  livenessOf(walletAddress: string, nowMs: number = this.clock()): Liveness {
    return livenessOf(this.lastPing.get(walletAddress), nowMs);
  }

  isAlive(walletAddress: string, nowMs: number = this.clock()): boolean {
    return this.livenessOf(walletAddress, nowMs) === 'alive';
  }

  /**
   * R1 throttle bookkeeping: false (and nothing recorded) when the previous accepted demand is too
   * recent; otherwise records `now` as the last accepted demand and returns true.
   */
  tryAcceptReplicateDemand(walletAddress: string, nowMs: number, periodMs: number): boolean {
    if (!isDemandAccepted(this.lastDemand.get(walletAddress), nowMs, periodMs)) return false;
    this.lastDemand.set(walletAddress, nowMs);
    return true;
  }

  lastAcceptedDemandOf(walletAddress: string): number | undefined {
    return this.lastDemand.get(walletAddress);
  }

  /**
   * Writes the changed times now (serialized with the periodic job); with `stepMs`, only those
   * at least that much newer than the stored ones (or never stored).
   */
  flush(stepMs = 0): Promise<void> {
    const run = this.flushing.then(() => this.writeChanges(stepMs));
    this.flushing = run.catch(() => undefined);
    return run;
  }

  private async writeChanges(stepMs: number): Promise<void> {
    const pings = changes(this.lastPing, this.persistedPing, stepMs);
    let demands = changes(this.lastDemand, this.persistedDemand, 0);
    // The stored demand date is informational (the R1 throttle is in memory): on the periodic
    // flush it rides along with a ping write and never costs a write of its own.
    if (stepMs > 0) demands = new Map([...demands].filter(([wallet]) => pings.has(wallet)));
    if (pings.size === 0 && demands.size === 0) return;
    await this.repository.saveDates(toDates(pings), toDates(demands));
    for (const [wallet, time] of pings) this.persistedPing.set(wallet, time);
    for (const [wallet, time] of demands) this.persistedDemand.set(wallet, time);
  }
}

function changes(
  current: ReadonlyMap<string, number>,
  persisted: ReadonlyMap<string, number>,
  stepMs: number,
) {
  const changed = new Map<string, number>();
  for (const [wallet, time] of current) {
    const stored = persisted.get(wallet);
    if (stored === undefined || (time !== stored && Math.abs(time - stored) >= stepMs))
      changed.set(wallet, time);
  }
  return changed;
}

function toDates(times: ReadonlyMap<string, number>): Map<string, Date> {
  return new Map([...times].map(([wallet, time]) => [wallet, new Date(time)]));
}
