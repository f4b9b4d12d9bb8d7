import { Global, Module } from '@nestjs/common';
import { DealWatcherModule } from '../deal-watcher/deal-watcher.module.js';
import { TaskModule } from '../task/task.module.js';
import { WorkerModule } from '../worker/worker.module.js';
import { HttpRequestMetrics } from './http-request-metrics.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';
import { TaskStatusCounts } from './task-status-counts.js';

/**
 * `/metrics`, `/actuator/prometheus`, task status counts. Global so that the task engine
 * (TaskModule) can inject TaskStatusCounts and MetricsService without importing this module,
 * which itself imports TaskModule. WorkerModule is imported for WORKER_FIGURES_SOURCE.
 */
@Global()
@Module({
  imports: [TaskModule, DealWatcherModule, WorkerModule],
  controllers: [MetricsController],
  providers: [TaskStatusCounts, MetricsService, HttpRequestMetrics],
  exports: [TaskStatusCounts, MetricsService],
})
export class MetricsModule {}
