import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { TaskRepository } from './task.repository.js';
import { TaskUpdateRequests } from './task-update-requests.js';
import { Task, TaskSchema } from './task.schema.js';

@Module({
  imports: [MongooseModule.forFeature([{ name: Task.name, schema: TaskSchema }])],
  providers: [TaskRepository, TaskUpdateRequests],
  exports: [TaskRepository, TaskUpdateRequests],
})
export class TaskModule {}
