import { Module } from '@nestjs/common';
import { NotificationModule } from '../../notification/notification.module.js';
import { ReplicateModule } from '../../replicate/replicate.module.js';
import { SmsModule } from '../../sms/sms.module.js';
import { WorkerModule } from '../../worker/worker.module.js';
import { TaskModule } from '../task.module.js';
import { CompletionSteps } from './completion.steps.js';
import { InitializationSteps } from './initialization.steps.js';
import { NotificationReplayService } from './notification-replay.service.js';
import { TaskDetectors } from './task-detectors.service.js';
import { TaskEvents } from './task-events.service.js';
import { TaskStateWriter } from './task-state-writer.js';
import { TaskUpdateService } from './task-update.service.js';

/**
 * The task update engine and the task detectors (part of the task domain; a module of its own
 * because it sits above ReplicateModule, which itself needs TaskModule's repository and queue).
 */
@Module({
  imports: [TaskModule, ReplicateModule, WorkerModule, NotificationModule, SmsModule],
  providers: [
    TaskStateWriter,
    TaskEvents,
    InitializationSteps,
    CompletionSteps,
    TaskUpdateService,
    TaskDetectors,
    NotificationReplayService,
  ],
  exports: [TaskStateWriter, TaskEvents],
})
export class TaskEngineModule {}
