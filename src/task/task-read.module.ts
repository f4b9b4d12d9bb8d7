import { Module } from '@nestjs/common';
import { ReplicateModule } from '../replicate/replicate.module.js';
import { TaskController } from './task.controller.js';
import { TaskModule } from './task.module.js';

/**
 * The public task read endpoints (T1, T2). A module of its own because it reads both tasks and
 * replicates, while ReplicateModule itself depends on TaskModule: keeping this controller out of
 * TaskModule avoids a TaskModule <-> ReplicateModule import cycle.
 */
@Module({
  imports: [TaskModule, ReplicateModule],
  controllers: [TaskController],
})
export class TaskReadModule {}
