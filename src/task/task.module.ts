import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { TaskRepository } from './task.repository.js';
import { Task, TaskSchema } from './task.schema.js';

@Module({
  imports: [MongooseModule.forFeature([{ name: Task.name, schema: TaskSchema }])],
  providers: [TaskRepository],
  exports: [TaskRepository],
})
export class TaskModule {}
