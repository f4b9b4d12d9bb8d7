import { Test, TestingModule } from '@nestjs/testing';
import { MongooseModule } from '@nestjs/mongoose';
import { AppConfigModule } from '../../src/config/config.module.js';
import { DatabaseModule } from '../../src/database/database.module.js';
import { BlockCursorRepository } from '../../src/deal-watcher/block-cursor.repository.js';
import {
  Configuration,
  ConfigurationSchema,
  ReplayConfiguration,
  ReplayConfigurationSchema,
} from '../../src/deal-watcher/configuration.schema.js';
import { TaskLogsRepository } from '../../src/logs/task-logs.repository.js';
import { TaskLogs, TaskLogsSchema } from '../../src/logs/task-logs.schema.js';
import { ReplicatesListRepository } from '../../src/replicate/replicates-list.repository.js';
import {
  ReplicatesList,
  ReplicatesListSchema,
} from '../../src/replicate/replicates-list.schema.js';
import { TaskRepository } from '../../src/task/task.repository.js';
import { Task, TaskSchema } from '../../src/task/task.schema.js';
import { WorkerRepository } from '../../src/worker/worker.repository.js';
import { Worker, WorkerSchema } from '../../src/worker/worker.schema.js';
import { testConfig } from './config.js';

/**
 * The schemas and their repositories only, on the database at `url` (the domain modules around
 * them need the chain). Call `init()` on the result.
 */
export function repositoriesModule(url: string): Promise<TestingModule> {
  return Test.createTestingModule({
    imports: [
      AppConfigModule.forRoot(testConfig({ MONGO_URL: url })),
      DatabaseModule,
      MongooseModule.forFeature([
        { name: Task.name, schema: TaskSchema },
        { name: ReplicatesList.name, schema: ReplicatesListSchema },
        { name: Worker.name, schema: WorkerSchema },
        { name: TaskLogs.name, schema: TaskLogsSchema },
        { name: Configuration.name, schema: ConfigurationSchema },
        { name: ReplayConfiguration.name, schema: ReplayConfigurationSchema },
      ]),
    ],
    providers: [
      TaskRepository,
      ReplicatesListRepository,
      WorkerRepository,
      TaskLogsRepository,
      BlockCursorRepository,
    ],
  }).compile();
}
