import type { MongooseModuleFactoryOptions } from '@nestjs/mongoose';
import { redactCredentials } from '../common/redact.js';
import type { AppConfig } from '../config/app-config.js';
import { fenceConnection } from '../leadership/write-fence.js';

/** How the driver polls a server it lost: often enough that a restarted database is seen in seconds. */
export const MONGO_HEARTBEAT_MS = 2_000;

/** The scheduler's MongoDB connection options (database `iexec` unless MONGO_URL names another). */
export function mongoConnectionOptions(config: AppConfig): MongooseModuleFactoryOptions {
  return {
    uri: config.mongo.url,
    dbName: config.mongo.database,
    autoIndex: true,
    autoCreate: true,
    // Command events feed iexec_core_mongo_commands_seconds (MongoCommandMetrics).
    monitorCommands: true,
    serverSelectionTimeoutMS: config.mongo.connectTimeoutMs,
    // The streaming monitor keeps waiting on the socket of a server that restarted (the chaos
    // table's database row stalled on it once in three runs); polling notices the new server on
    // the next heartbeat.
    serverMonitoringMode: 'poll',
    heartbeatFrequencyMS: MONGO_HEARTBEAT_MS,
    // The driver already waits serverSelectionTimeoutMS; one attempt keeps the bound exact.
    retryAttempts: 0,
    // Every write command asks the lease first (a no-op until main.ts installs the fence).
    connectionFactory: fenceConnection,
    connectionErrorFactory: (error: Error) =>
      new Error(
        `MongoDB unreachable at ${redactCredentials(config.mongo.url)} after ${config.mongo.connectTimeoutMs} ms (${error.message})`,
      ),
  };
}
