import type { MongooseModuleFactoryOptions } from '@nestjs/mongoose';
import { redactCredentials } from '../common/redact.js';
import type { AppConfig } from '../config/app-config.js';
import { fenceConnection } from '../leadership/write-fence.js';

/** How the driver polls a server it lost: often enough that a restarted database is seen in seconds. */
export const MONGO_HEARTBEAT_MS = 2_000;

/**
 * How the driver follows its server. The streaming monitor keeps waiting on the socket of a
 * server that restarted (the chaos table's database row stalled on it once in three runs);
 * polling notices the new server on the next heartbeat.
 */
export const MONGO_SERVER_MONITORING = {
  serverMonitoringMode: 'poll',
  heartbeatFrequencyMS: MONGO_HEARTBEAT_MS,
} as const;

/** The boot error of a database that did not answer within IEXEC_MONGO_CONNECT_TIMEOUT (password redacted). */
export function mongoUnreachableError(url: string, timeoutMs: number, cause: Error): Error {
  return new Error(
    `MongoDB unreachable at ${redactCredentials(url)} after ${timeoutMs} ms (${cause.message})`,
  );
}

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
    ...MONGO_SERVER_MONITORING,
    // The driver already waits serverSelectionTimeoutMS; one attempt keeps the bound exact.
    retryAttempts: 0,
    // Every write command asks the lease first (a no-op until main.ts installs the fence).
    connectionFactory: fenceConnection,
    connectionErrorFactory: (error: Error) =>
      mongoUnreachableError(config.mongo.url, config.mongo.connectTimeoutMs, error),
  };
}
