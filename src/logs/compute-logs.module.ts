import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ComputeLogsService } from './compute-logs.service.js';
import { TaskLogsRepository } from './task-logs.repository.js';
import { TaskLogs, TaskLogsSchema } from './task-logs.schema.js';

/**
 * Compute logs storage (`taskLogs`). Depends on no domain module, so that ReplicateModule (the
 * status pipeline stores logs through ComputeLogsService) can import it without a cycle.
 */
@Module({
  imports: [MongooseModule.forFeature([{ name: TaskLogs.name, schema: TaskLogsSchema }])],
  providers: [TaskLogsRepository, ComputeLogsService],
  exports: [TaskLogsRepository, ComputeLogsService],
})
export class ComputeLogsModule {}
