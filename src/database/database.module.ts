import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AppConfig } from '../config/app-config.js';
import { MigrationsService } from './migrations.service.js';
import { MongoCommandMetrics } from './mongo-command-metrics.js';
import { mongoConnectionOptions } from './mongo-options.js';

/** The MongoDB connection and the migrations. */
@Module({
  imports: [
    MongooseModule.forRootAsync({
      inject: [AppConfig],
      useFactory: mongoConnectionOptions,
    }),
  ],
  providers: [MigrationsService, MongoCommandMetrics],
})
export class DatabaseModule {}
