import { Module } from '@nestjs/common';
import { TaskModule } from '../task/task.module.js';
import { ComputeLogsModule } from './compute-logs.module.js';
import { LogsPurgeService } from './logs-purge.service.js';

/** The periodic purge of compute logs (persistence-and-ops.md §3.3). */
@Module({
  imports: [ComputeLogsModule, TaskModule],
  providers: [LogsPurgeService],
  exports: [LogsPurgeService],
})
export class LogsPurgeModule {}
