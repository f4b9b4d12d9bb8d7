import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * Collection `skippedDeal` (ours, not in Java 8.5, which never reads it): deals given up after
 * MAX_DEAL_ATTEMPTS failed attempts, with the reason, so the cursor can move on.
 */
@Schema({ collection: 'skippedDeal', versionKey: false })
export class SkippedDeal {
  @Prop({ type: String, required: true, unique: true })
  chainDealId!: string;

  @Prop({ type: Number, required: true })
  dealBlockNumber!: number;

  @Prop({ type: String, required: true })
  reason!: string;

  @Prop({ type: Number, required: true })
  attempts!: number;

  @Prop({ type: Date, required: true })
  skippedAt!: Date;
}
export const SkippedDealSchema = SchemaFactory.createForClass(SkippedDeal);
