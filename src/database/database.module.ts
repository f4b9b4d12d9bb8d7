import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { redactCredentials } from '../common/redact.js';
import { AppConfig } from '../config/app-config.js';
import { MigrationsService } from './migrations.service.js';
import { MongoCommandMetrics } from './mongo-command-metrics.js';

/** The MongoDB connection (database `iexec` unless MONGO_URL names another) and the migrations. */
@Module({
  imports: [
    MongooseModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        uri: config.mongo.url,
        dbName: config.mongo.database,
        autoIndex: true,
        autoCreate: true,
        // Command events feed iexec_core_mongo_commands_seconds (MongoCommandMetrics).
        monitorCommands: true,
        serverSelectionTimeoutMS: config.mongo.connectTimeoutMs,
        // The driver already waits serverSelectionTimeoutMS; one attempt keeps the bound exact.
        retryAttempts: 0,
        connectionErrorFactory: (error: Error) =>
          new Error(
            `MongoDB unreachable at ${redactCredentials(config.mongo.url)} after ${config.mongo.connectTimeoutMs} ms (${error.message})`,
          ),
      }),
    }),
  ],
  providers: [MigrationsService, MongoCommandMetrics],
})
export class DatabaseModule {}
