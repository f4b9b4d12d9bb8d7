import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { WorkerRepository } from './worker.repository.js';
import { Worker, WorkerSchema } from './worker.schema.js';

@Module({
  imports: [MongooseModule.forFeature([{ name: Worker.name, schema: WorkerSchema }])],
  providers: [WorkerRepository],
  exports: [WorkerRepository],
})
export class WorkerModule {}
