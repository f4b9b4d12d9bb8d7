import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { ChainModule } from './chain/chain.module.js';
import { AppConfig } from './config/app-config.js';
import { AppConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { DealWatcherModule } from './deal-watcher/deal-watcher.module.js';
import { HealthModule } from './health/health.module.js';
import { JobsModule } from './common/jobs/jobs.module.js';
import { LogsPurgeModule } from './logs/logs-purge.module.js';
import { TaskLogsModule } from './logs/task-logs.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { MetricsRegistryModule } from './metrics/metrics-registry.js';
import { NotificationModule } from './notification/notification.module.js';
import { PlatformRegistryModule } from './platform-registry/platform-registry.module.js';
import { ReplicateModule } from './replicate/replicate.module.js';
import { ResultModule } from './result/result.module.js';
import { SmsModule } from './sms/sms.module.js';
import { TaskEngineModule } from './task/engine/task-engine.module.js';
import { TaskReadModule } from './task/task-read.module.js';
import { TaskModule } from './task/task.module.js';
import { WorkerModule } from './worker/worker.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        MetricsRegistryModule,
        ScheduleModule.forRoot(),
        DatabaseModule,
        JobsModule,
        HealthModule,
        ChainModule,
        PlatformRegistryModule,
        MetricsModule,
        DealWatcherModule,
        TaskModule,
        ReplicateModule,
        WorkerModule,
        SmsModule,
        ResultModule,
        NotificationModule,
        TaskEngineModule,
        TaskReadModule,
        TaskLogsModule,
        LogsPurgeModule,
      ],
    };
  }
}
