import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { TaskLogsRepository } from './task-logs.repository.js';
import { TaskLogs, TaskLogsSchema } from './task-logs.schema.js';

/** Compute logs storage and their periodic purge. */
@Module({
  imports: [MongooseModule.forFeature([{ name: TaskLogs.name, schema: TaskLogsSchema }])],
  providers: [TaskLogsRepository],
  exports: [TaskLogsRepository],
})
export class LogsPurgeModule {}
