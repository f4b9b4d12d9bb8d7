import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { ChainReceipt, ChainReceiptSchema } from '../task/task.schema.js';
import {
  ReplicateStatus,
  ReplicateStatusCause,
  ReplicateStatusModifier,
} from './replicate-status.js';

export const REPLICATES_LIST_JAVA_CLASS = 'com.iexec.core.replicate.ReplicatesList';

@Schema({ _id: false, versionKey: false })
export class ComputeLogs {
  @Prop({ type: String })
  walletAddress?: string;

  @Prop({ type: String })
  stdout?: string;

  @Prop({ type: String })
  stderr?: string;
}
export const ComputeLogsSchema = SchemaFactory.createForClass(ComputeLogs);

@Schema({ _id: false, versionKey: false })
export class ReplicateStatusDetails {
  @Prop({ type: ChainReceiptSchema })
  chainReceipt?: ChainReceipt;

  @Prop({ type: String })
  resultLink?: string;

  @Prop({ type: String })
  chainCallbackData?: string;

  @Prop({ type: String })
  errorMessage?: string;

  @Prop({ type: String, enum: Object.values(ReplicateStatusCause) })
  cause?: ReplicateStatusCause;

  @Prop({ type: ComputeLogsSchema })
  computeLogs?: ComputeLogs;

  @Prop({ type: Number })
  exitCode?: number;

  @Prop({ type: String })
  teeSessionGenerationError?: string;
}
export const ReplicateStatusDetailsSchema = SchemaFactory.createForClass(ReplicateStatusDetails);

@Schema({ _id: false, versionKey: false })
export class ReplicateStatusUpdate {
  @Prop({ type: String, enum: Object.values(ReplicateStatus), required: true })
  status!: ReplicateStatus;

  @Prop({ type: String, enum: Object.values(ReplicateStatusModifier), required: true })
  modifier!: ReplicateStatusModifier;

  @Prop({ type: Date, required: true })
  date!: Date;

  @Prop({ type: ReplicateStatusDetailsSchema })
  details?: ReplicateStatusDetails;
}
export const ReplicateStatusUpdateSchema = SchemaFactory.createForClass(ReplicateStatusUpdate);

@Schema({ _id: false, versionKey: false })
export class Replicate {
  @Prop({ type: [ReplicateStatusUpdateSchema], default: [] })
  statusUpdateList!: ReplicateStatusUpdate[];

  @Prop({ type: String, required: true })
  walletAddress!: string;

  @Prop({ type: String })
  resultLink?: string;

  @Prop({ type: String })
  chainCallbackData?: string;

  @Prop({ type: String, required: true })
  chainTaskId!: string;

  @Prop({ type: String, default: '' })
  contributionHash!: string;

  @Prop({ type: Number, default: 0 })
  workerWeight!: number;

  @Prop({ type: Boolean, default: false })
  appComputeLogsPresent!: boolean;
}
export const ReplicateSchema = SchemaFactory.createForClass(Replicate);

/** Collection `replicatesList`: one document per task holding every replicate of it. */
@Schema({ collection: 'replicatesList', versionKey: false, autoIndex: false })
export class ReplicatesList {
  @Prop({ type: String, default: REPLICATES_LIST_JAVA_CLASS })
  _class?: string;

  @Prop({ type: Number, default: 0 })
  version!: number;

  @Prop({ type: String, required: true })
  chainTaskId!: string;

  @Prop({ type: [ReplicateSchema], default: [] })
  replicates!: Replicate[];
}
export const ReplicatesListSchema = SchemaFactory.createForClass(ReplicatesList);
ReplicatesListSchema.index({ chainTaskId: 1 }, { unique: true, name: 'chainTaskId' });

/** Fields of one replicate that a status update may set. */
export type ReplicateFieldUpdate = Partial<
  Pick<
    Replicate,
    | 'contributionHash'
    | 'workerWeight'
    | 'resultLink'
    | 'chainCallbackData'
    | 'appComputeLogsPresent'
  >
>;
