import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  LeaseDocument,
  LeaseTiming,
  Observation,
  leaderCertainUntil,
  mayClaim,
  nextVersion,
  observe,
} from './lease-rules.js';
import { LeaseStore } from './lease-store.js';

export interface LeaseKeeperOptions extends LeaseTiming {
  renewEveryMs: number;
  /** How often a standby reads the lease. */
  pollEveryMs: number;
  holder?: string;
  /**
   * Set once this process has bound its HTTP port: its `hostname:port` (the holder's prefix). A
   * lease held by that identity may then be taken at once (lease-rules `mayClaim`).
   */
  boundIdentity?: string;
  now?: () => number;
}

export type Role = 'standby' | 'leader' | 'lost' | 'released';

/** A name telling people which process holds the lease: `identity:pid:uuid`, unique per process. */
export function defaultHolder(identity = `${hostname()}:0`): string {
  return `${identity}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * One contender for the lease. A standby calls {@link step} to read and maybe claim; a leader
 * calls it to renew. The leader is certain of its lease only until {@link certainUntil}; past
 * it, or once a renewal finds its next version taken, the role becomes `lost` for good.
 */
export class LeaseKeeper {
  readonly holder: string;
  private readonly now: () => number;
  private roleValue: Role = 'standby';
  private version = 0;
  private certainUntilValue = -Infinity;
  private observation: Observation | undefined;
  private lastSeen: LeaseDocument | undefined;
  private stepping: Promise<Role> | undefined;

  constructor(
    private readonly store: LeaseStore,
    private options: LeaseKeeperOptions,
  ) {
    this.holder = options.holder ?? defaultHolder();
    this.now = options.now ?? (() => performance.now());
  }

  get role(): Role {
    if (this.roleValue === 'leader' && this.now() >= this.certainUntilValue)
      this.roleValue = 'lost';
    return this.roleValue;
  }

  /** Leader and still within its lease by the monotonic clock: the only state allowed to write. */
  isCertain(): boolean {
    return this.role === 'leader';
  }

  get leaseVersion(): number {
    return this.version;
  }

  get certainUntil(): number {
    return this.certainUntilValue;
  }

  /** The last lease document read (standby) or written (leader). */
  get currentLease(): LeaseDocument | undefined {
    return this.lastSeen;
  }

  /** Allows the early retake of a lease held by this identity (once the port is bound). */
  bindIdentity(identity: string | undefined): void {
    this.options = { ...this.options, boundIdentity: identity };
  }

  /** A standby stopping (SIGTERM while waiting): it claims nothing more. */
  stopWaiting(): void {
    if (this.roleValue === 'standby') this.roleValue = 'released';
  }

  /** One read-and-claim (standby) or renewal (leader); never two at once. */
  step(): Promise<Role> {
    this.stepping ??= this.doStep().finally(() => (this.stepping = undefined));
    return this.stepping;
  }

  private async doStep(): Promise<Role> {
    const role = this.role;
    if (role === 'lost' || role === 'released') return role;
    if (role === 'leader') {
      await this.claim(this.version + 1);
      return this.role;
    }
    const current = await this.store.highest();
    const now = this.now();
    this.lastSeen = current;
    this.observation = observe(this.observation, current, now);
    if (mayClaim(current, this.observation, now, this.options, this.options.boundIdentity))
      await this.claim(nextVersion(current));
    return this.role;
  }

  /** Inserts `version`; the leader loses its lease if someone else got it first. */
  private async claim(version: number): Promise<void> {
    const sentAt = this.now();
    const lease = this.leaseDocument(version, false);
    let won: boolean;
    try {
      won = await this.store.insert(lease);
    } catch (error) {
      // Unknown outcome: a leader keeps its current certainty (which runs out by itself).
      if (this.roleValue === 'leader') return;
      throw error;
    }
    if (won) {
      this.version = version;
      this.lastSeen = lease;
      this.certainUntilValue = leaderCertainUntil(sentAt, this.options);
      if (this.roleValue === 'standby') this.roleValue = 'leader';
      if (version % 10 === 0) void this.store.prune(version).catch(() => undefined);
    } else if (this.roleValue === 'leader') {
      this.roleValue = 'lost';
    }
  }

  /**
   * Steps down (graceful stop, after the last write): inserts a released successor so a
   * standby takes over at once instead of waiting for the lease to expire.
   */
  async release(): Promise<void> {
    if (this.role !== 'leader') return;
    await this.stepping;
    if (this.role !== 'leader') return;
    this.roleValue = 'released';
    await this.store.insert(this.leaseDocument(this.version + 1, true));
  }

  private leaseDocument(version: number, released: boolean): LeaseDocument {
    const wall = Date.now();
    return {
      _id: version,
      holder: this.holder,
      acquiredAt: new Date(wall),
      expiresAt: new Date(wall + (released ? 0 : this.options.durationMs)),
      durationMs: this.options.durationMs,
      ...(released ? { released: true } : {}),
    };
  }
}
