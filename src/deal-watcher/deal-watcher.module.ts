import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { TaskModule } from '../task/task.module.js';
import { BlockCursorRepository } from './block-cursor.repository.js';
import {
  Configuration,
  ConfigurationSchema,
  ReplayConfiguration,
  ReplayConfigurationSchema,
} from './configuration.schema.js';
import { DealAdminController } from './deal-admin.controller.js';
import { DealIngestionService } from './deal-ingestion.service.js';
import { DealWatcherMetrics } from './deal-watcher-metrics.js';
import { DealWatcherService } from './deal-watcher.service.js';
import { SkippedDealRepository } from './skipped-deal.repository.js';
import { SkippedDeal, SkippedDealSchema } from './skipped-deal.schema.js';

@Module({
  imports: [
    TaskModule,
    MongooseModule.forFeature([
      { name: Configuration.name, schema: ConfigurationSchema },
      { name: ReplayConfiguration.name, schema: ReplayConfigurationSchema },
      { name: SkippedDeal.name, schema: SkippedDealSchema },
    ]),
  ],
  controllers: [DealAdminController],
  providers: [
    BlockCursorRepository,
    SkippedDealRepository,
    DealIngestionService,
    DealWatcherService,
    DealWatcherMetrics,
  ],
  exports: [BlockCursorRepository, DealWatcherService, DealWatcherMetrics],
})
export class DealWatcherModule {}
