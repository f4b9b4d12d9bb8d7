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
import { TaskStatus } from '../../src/task/task-status.js';
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

export const DEAL = '0xd82223e5feff6720792ffed1665e980da95e5d32b177332013eaba8edc07f31c';
export const taskId = (i: number) => `0x${i.toString(16).padStart(64, '0')}`;

/** A RECEIVED task of `deal` with index `i`, deadlines one and two minutes ahead. */
export function newTask(i: number, deal = DEAL): Task {
  const now = new Date();
  return {
    chainTaskId: taskId(i),
    chainDealId: deal,
    taskIndex: i,
    dealBlockNumber: 10,
    maxExecutionTime: 300000,
    tag: `0x${'0'.repeat(64)}`,
    dappType: 'DOCKER',
    dappName: 'docker.io/iexechub/app:1.0',
    commandLine: 'hello',
    initializationBlockNumber: 0,
    currentStatus: TaskStatus.RECEIVED,
    trust: 1,
    numWorkersNeeded: 0,
    consensusReachedBlockNumber: 0,
    contributionDeadline: new Date(now.getTime() + 60000),
    finalDeadline: new Date(now.getTime() + 120000),
    dateStatusList: [{ date: now, status: TaskStatus.RECEIVED }],
    version: 0,
  };
}
