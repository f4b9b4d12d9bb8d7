import { Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { MetricsRegistry } from '../metrics/metrics-registry.js';

/** Every MongoDB command (driver command monitoring) into `iexec_core_mongo_commands_seconds`. */
@Injectable()
export class MongoCommandMetrics implements OnModuleInit {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    @Optional() private readonly metrics?: MetricsRegistry,
  ) {}

  onModuleInit(): void {
    const meters = this.metrics?.operations;
    if (!meters) return;
    const client = this.connection.getClient();
    client.on('commandSucceeded', (e) =>
      meters.observeMongoCommand(e.commandName, 'success', e.duration / 1000),
    );
    client.on('commandFailed', (e) =>
      meters.observeMongoCommand(e.commandName, 'failure', e.duration / 1000),
    );
  }
}
