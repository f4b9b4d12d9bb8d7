import { statfs } from 'node:fs/promises';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { Connection, mongo } from 'mongoose';
import { HealthContributors } from './health-contributors.js';
import { ComponentHealth } from './health-status.js';

const DISK_THRESHOLD_BYTES = 10 * 1024 * 1024;
const MONGO_CHECK_TIMEOUT_MS = 2000;
const COMMAND_NOT_FOUND = 59;

function toComponent(result: HealthIndicatorResult): ComponentHealth {
  const [{ status, ...details }] = Object.values(result);
  return {
    status: status === 'up' ? 'UP' : 'DOWN',
    ...(Object.keys(details).length > 0 ? { details } : {}),
  };
}

/** The `mongo`, `diskSpace` and `ping` components of `/actuator/health`. */
@Injectable()
export class CoreHealthIndicators implements OnModuleInit {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly contributors: HealthContributors,
    @InjectConnection() private readonly connection: Connection,
  ) {}

  onModuleInit(): void {
    // Without its database the scheduler serves nothing right: not ready (still live).
    this.contributors.register('mongo', () => this.mongo(), { groups: ['readiness'] });
    this.contributors.register('diskSpace', () => this.diskSpace());
    this.contributors.register('ping', () => toComponent(this.indicators.check('ping').up()));
  }

  async mongo(): Promise<ComponentHealth> {
    const session = this.indicators.check('mongo');
    try {
      const db = this.connection.db;
      if (!db || this.connection.readyState !== 1)
        return toComponent(session.down({ error: 'not connected' }));
      const answer = await Promise.race([
        mongoHello(db),
        new Promise<never>((_, reject) =>
          setTimeout(
            () => reject(new Error(`no answer within ${MONGO_CHECK_TIMEOUT_MS} ms`)),
            MONGO_CHECK_TIMEOUT_MS,
          ).unref(),
        ),
      ]);
      return toComponent(session.up({ maxWireVersion: answer.maxWireVersion }));
    } catch (error) {
      return toComponent(session.down({ error: (error as Error).message }));
    }
  }

  async diskSpace(): Promise<ComponentHealth> {
    const session = this.indicators.check('diskSpace');
    const path = process.cwd();
    try {
      const s = await statfs(path);
      const total = s.blocks * s.bsize;
      const free = s.bavail * s.bsize;
      const details = { total, free, threshold: DISK_THRESHOLD_BYTES, path, exists: true };
      return toComponent(
        free >= DISK_THRESHOLD_BYTES ? session.up(details) : session.down(details),
      );
    } catch (error) {
      return toComponent(session.down({ path, exists: false, error: (error as Error).message }));
    }
  }
}

/** `hello`, or the legacy `isMaster` on a server without it (mongo-java-server, MongoDB < 4.4.2). */
export async function mongoHello(db: mongo.Db): Promise<mongo.Document> {
  try {
    return await db.admin().command({ hello: 1 });
  } catch (error) {
    if ((error as { code?: number }).code !== COMMAND_NOT_FOUND) throw error;
    return db.admin().command({ isMaster: 1 });
  }
}
