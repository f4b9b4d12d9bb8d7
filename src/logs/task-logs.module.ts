import { Module } from '@nestjs/common';
import { TaskModule } from '../task/task.module.js';
import { ComputeLogsModule } from './compute-logs.module.js';
import { LogsChallengeStore } from './logs-challenge.store.js';
import { TaskLogsController } from './task-logs.controller.js';
import { TaskRequesters } from './task-requesters.js';

/** The logs read endpoints T3–T7 and their EIP-712 challenges (ChainContext and PocoReader come from the global ChainModule). */
@Module({
  imports: [ComputeLogsModule, TaskModule],
  controllers: [TaskLogsController],
  providers: [LogsChallengeStore, TaskRequesters],
  exports: [LogsChallengeStore],
})
export class TaskLogsModule {}
