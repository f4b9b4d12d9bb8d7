import { Logger } from '@nestjs/common';
import mongoose, { Connection } from 'mongoose';
import { LeaseKeeper, LeaseKeeperOptions } from './lease-keeper.js';
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

/**
 * The process's side of the lease (issue 17 §2): waits as a standby (serving the standby
 * endpoints) until it holds the lease, then renews it; the scheduler boots only once leading, so
 * it builds every cache from the database. Losing the lease stops the process at once.
 */
export class Leadership {
  private readonly logger = new Logger('Leadership');
  private renewTimer?: NodeJS.Timeout;
  private watchdog?: NodeJS.Timeout;

  private constructor(
    readonly keeper: LeaseKeeper,
    private readonly connection: Connection,
    private readonly settings: LeadershipSettings,
  ) {}

  static async connect(settings: LeadershipSettings): Promise<Leadership> {
    const connection = await mongoose
      .createConnection(settings.mongoUrl, {
        dbName: settings.database,
        serverSelectionTimeoutMS: settings.connectTimeoutMs,
      })
      .asPromise();
    const keeper = new LeaseKeeper(new MongoLeaseStore(connection), settings);
    return new Leadership(keeper, connection, settings);
  }

  /** Resolves once this process holds the lease; serves the standby endpoints meanwhile. */
  async becomeLeader(): Promise<number> {
    const waitStarted = performance.now();
    let server;
    let reported: string | undefined;
    for (;;) {
      let role;
      try {
        role = await this.keeper.step();
      } catch (error) {
        this.logger.warn(`Reading the leader lease failed: ${(error as Error).message}`);
      }
      if (role === 'leader') break;
      const lease = this.keeper.currentLease;
      const seen = lease ? `${lease.holder} (lease version ${lease._id})` : 'nobody';
      if (seen !== reported) {
        this.logger.warn(
          `Standby: the leader lease is held by ${seen}; waiting for it to expire or be released before acting`,
        );
        reported = seen;
      }
      server ??= await startStandbyServer(
        {
          holder: this.keeper.holder,
          leader: () => {
            const l = this.keeper.currentLease;
            return l && { holder: l.holder, version: l._id };
          },
        },
        this.settings.port,
      );
      await new Promise((r) => setTimeout(r, this.settings.pollEveryMs));
    }
    installFence(this.keeper, (reason) => this.lost(reason));
    this.startRenewing();
    if (server) await stopStandbyServer(server);
    const waitedMs = Math.round(performance.now() - waitStarted);
    this.logger.log(
      `Leader: ${this.keeper.holder} holds lease version ${this.keeper.leaseVersion} (waited ${waitedMs} ms)`,
    );
    return waitedMs;
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
      await this.keeper.release();
      this.logger.log(`Lease released by ${this.keeper.holder}`);
    } finally {
      await this.connection.close();
    }
  }
}
