import { Module } from '@nestjs/common';
import { ComputeLogsModule } from './compute-logs.module.js';

/** Compute logs storage and their periodic purge. */
@Module({
  imports: [ComputeLogsModule],
  exports: [ComputeLogsModule],
})
export class LogsPurgeModule {}
