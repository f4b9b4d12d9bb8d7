import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ReplicatesListRepository } from './replicates-list.repository.js';
import { ReplicatesList, ReplicatesListSchema } from './replicates-list.schema.js';

@Module({
  imports: [
    MongooseModule.forFeature([{ name: ReplicatesList.name, schema: ReplicatesListSchema }]),
  ],
  providers: [ReplicatesListRepository],
  exports: [ReplicatesListRepository],
})
export class ReplicateModule {}
