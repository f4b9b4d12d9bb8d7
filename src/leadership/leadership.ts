import type { Server } from 'node:http';
import { hostname } from 'node:os';
import { Logger } from '@nestjs/common';
import mongoose, { Connection } from 'mongoose';
import type { AppConfig } from '../config/app-config.js';
import { MONGO_SERVER_MONITORING, mongoUnreachableError } from '../database/mongo-options.js';
import { defaultHolder, LeaseKeeper, LeaseKeeperOptions } from './lease-keeper.js';
import { instanceIdentity } from './lease-rules.js';
import { MongoLeaseStore } from './lease-store.js';
import { startStandbyServer, stopStandbyServer } from './standby-server.js';
import { installFence } from './write-fence.js';

/** Exit status of a leader that lost its lease (EX_TEMPFAIL): restart it, it comes back as standby. */
export const LEASE_LOST_EXIT_CODE = 75;
/** How often the leader checks its own certainty between renewals. */
const WATCHDOG_EVERY_MS = 100;

export interface LeadershipSettings extends LeaseKeeperOptions {
  mongoUrl: string;
  database: string;
  connectTimeoutMs: number;
  port: number;
}

/** The lease settings of a scheduler process: identity `hostname:port`, timing from the config. */
export function leadershipSettings(config: AppConfig): LeadershipSettings {
  const identity = instanceIdentity(hostname(), config.server.port);
  return {
    mongoUrl: config.mongo.url,
    database: config.mongo.database,
    connectTimeoutMs: config.mongo.connectTimeoutMs,
    port: config.server.port,
    durationMs: config.leadership.leaseDurationMs,
    marginMs: config.leadership.marginMs,
    renewEveryMs: config.leadership.renewEveryMs,
    pollEveryMs: config.leadership.pollEveryMs,
    holder: defaultHolder(identity),
    // Only passed to the keeper once the port is bound (becomeLeader).
    boundIdentity: identity,
  };
}

/**
 * The process's side of the lease (issue 17 §2): waits as a standby (serving the standby
 * endpoints) until it holds the lease, then renews it; the scheduler boots only once leading, so
 * it builds every cache from the database. Losing the lease stops the process at once.
 */
export class Leadership {
  private readonly logger = new Logger('Leadership');
  private renewTimer?: NodeJS.Timeout;
  private watchdog?: NodeJS.Timeout;
  /** The standby server: holds the port from before the first claim until the app listens. */
  private server?: Server;

  private constructor(
    readonly keeper: LeaseKeeper,
    private readonly connection: Connection,
    private readonly settings: LeadershipSettings,
  ) {}

  /**
   * Connects the lease's own connection. The keeper only gets the bound identity once the port
   * is bound ({@link becomeLeader}); before that it could not take a lease early.
   */
  static async connect(settings: LeadershipSettings): Promise<Leadership> {
    let connection: Connection;
    try {
      connection = await mongoose
        .createConnection(settings.mongoUrl, {
          dbName: settings.database,
          serverSelectionTimeoutMS: settings.connectTimeoutMs,
          ...MONGO_SERVER_MONITORING,
        })
        .asPromise();
    } catch (error) {
      throw mongoUnreachableError(settings.mongoUrl, settings.connectTimeoutMs, error as Error);
    }
    const keeper = new LeaseKeeper(new MongoLeaseStore(connection), {
      ...settings,
      boundIdentity: undefined,
    });
    return new Leadership(keeper, connection, settings);
  }

  /**
   * Binds the scheduler port (standby endpoints), then resolves once this process holds the
   * lease. The port stays bound (standby server) until {@link handOverPort}, right before the
   * application listens: while it is bound no other process of this identity can start.
   */
  async becomeLeader(): Promise<number> {
    const waitStarted = performance.now();
    this.server = await this.bindPort();
    // The bind proves no process of this identity is alive (a frozen one still holds the port).
    this.keeper.bindIdentity(this.settings.boundIdentity);
    let reported: string | undefined;
    for (;;) {
      let role;
      try {
        role = await this.keeper.step();
      } catch (error) {
        this.logger.warn(`Reading the leader lease failed: ${(error as Error).message}`);
      }
      if (role === 'leader') break;
      if (role === 'released') throw new Error('stopped while waiting as standby');
      // Said again only when the holder changes (each renewal is a new version).
      const lease = this.keeper.currentLease;
      const holder = lease?.holder ?? 'nobody';
      if (holder !== reported) {
        const version = lease ? ` (lease version ${lease._id})` : '';
        this.logger.warn(
          `Standby: the leader lease is held by ${holder}${version}; waiting for it to expire or be released before acting`,
        );
        reported = holder;
      }
      await new Promise((r) => setTimeout(r, this.settings.pollEveryMs));
    }
    installFence(this.keeper, (reason) => this.lost(reason));
    this.startRenewing();
    const waitedMs = Math.round(performance.now() - waitStarted);
    this.logger.log(
      `Leader: ${this.keeper.holder} holds lease version ${this.keeper.leaseVersion} (waited ${waitedMs} ms)`,
    );
    return waitedMs;
  }

  private async bindPort(): Promise<Server> {
    try {
      return await startStandbyServer(
        {
          holder: this.keeper.holder,
          role: () => this.keeper.role,
          leader: () => {
            const l = this.keeper.currentLease;
            return l && { holder: l.holder, version: l._id };
          },
        },
        this.settings.port,
      );
    } catch (error) {
      throw new Error(
        `IEXEC_CORE_PORT=${this.settings.port} cannot be bound (${(error as Error).message}); is another scheduler of this host still running on it?`,
      );
    }
  }

  /** Frees the port for the application, which listens on it right after. */
  async handOverPort(): Promise<void> {
    if (this.server) await stopStandbyServer(this.server);
    this.server = undefined;
  }

  private startRenewing(): void {
    this.renewTimer = setInterval(() => {
      this.keeper.step().then(
        (role) => {
          if (role === 'lost') this.lost('a renewal found the next lease version taken');
        },
        (error: unknown) => this.logger.warn(`Lease renewal failed: ${(error as Error).message}`),
      );
    }, this.settings.renewEveryMs);
    this.watchdog = setInterval(() => {
      if (this.keeper.role === 'lost') this.lost('no renewal within the lease');
    }, WATCHDOG_EVERY_MS);
  }

  /** Fail-stop: nothing more leaves this process. A supervisor restarts it as a standby. */
  lost(reason: string): never {
    process.stderr.write(
      `Leadership lost (${reason}); ${this.keeper.holder} stops now without another write\n`,
    );
    process.exit(LEASE_LOST_EXIT_CODE);
  }

  /** Graceful stop, after the scheduler's last write: hands the lease over at once. */
  async stepDown(): Promise<void> {
    clearInterval(this.renewTimer);
    clearInterval(this.watchdog);
    try {
      if (this.keeper.role === 'leader') {
        await this.keeper.release();
        this.logger.log(`Lease released by ${this.keeper.holder}`);
      } else this.keeper.stopWaiting();
    } finally {
      await this.handOverPort();
      await this.connection.close();
    }
  }
}
