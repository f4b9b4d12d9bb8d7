import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { BlockCursorRepository } from './block-cursor.repository.js';
import {
  Configuration,
  ConfigurationSchema,
  ReplayConfiguration,
  ReplayConfigurationSchema,
} from './configuration.schema.js';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Configuration.name, schema: ConfigurationSchema },
      { name: ReplayConfiguration.name, schema: ReplayConfigurationSchema },
    ]),
  ],
  providers: [BlockCursorRepository],
  exports: [BlockCursorRepository],
})
export class DealWatcherModule {}
