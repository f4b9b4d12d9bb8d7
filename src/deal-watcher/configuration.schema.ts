import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export const CONFIGURATION_JAVA_CLASS = 'com.iexec.core.configuration.Configuration';
export const REPLAY_CONFIGURATION_JAVA_CLASS = 'com.iexec.core.configuration.ReplayConfiguration';

/** Collection `configuration`: the single deal cursor document (big integer stored as a decimal string). */
@Schema({ collection: 'configuration', versionKey: false, strict: false })
export class Configuration {
  @Prop({ type: String, default: CONFIGURATION_JAVA_CLASS })
  _class?: string;

  @Prop({ type: Number, default: 0 })
  version!: number;

  @Prop({ type: String, required: true })
  lastSeenBlockWithDeal!: string;
}
export const ConfigurationSchema = SchemaFactory.createForClass(Configuration);

/** Collection `replayConfiguration`: the single replay cursor document. */
@Schema({ collection: 'replayConfiguration', versionKey: false })
export class ReplayConfiguration {
  @Prop({ type: String, default: REPLAY_CONFIGURATION_JAVA_CLASS })
  _class?: string;

  @Prop({ type: Number, default: 0 })
  version!: number;

  @Prop({ type: String, required: true })
  fromBlockNumber!: string;
}
export const ReplayConfigurationSchema = SchemaFactory.createForClass(ReplayConfiguration);
