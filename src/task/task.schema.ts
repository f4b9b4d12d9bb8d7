import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { TaskStatus } from './task-status.js';

export const TASK_JAVA_CLASS = 'com.iexec.core.task.Task';

@Schema({ _id: false, versionKey: false })
export class ChainReceipt {
  @Prop({ type: Number, required: true })
  blockNumber!: number;

  @Prop({ type: String })
  txHash?: string;
}
export const ChainReceiptSchema = SchemaFactory.createForClass(ChainReceipt);

@Schema({ _id: false, versionKey: false })
export class TaskStatusChange {
  @Prop({ type: Date, required: true })
  date!: Date;

  @Prop({ type: String, enum: Object.values(TaskStatus), required: true })
  status!: TaskStatus;

  @Prop({ type: ChainReceiptSchema })
  chainReceipt?: ChainReceipt;

  /** Why the task failed, on the failure status (not in Java's model: Spring ignores it on read). */
  @Prop({ type: String })
  cause?: string;
}
export const TaskStatusChangeSchema = SchemaFactory.createForClass(TaskStatusChange);

/** Collection `task`: one document per task, field names as the Java scheduler writes them. */
@Schema({ collection: 'task', versionKey: false, autoIndex: false })
export class Task {
  @Prop({ type: String, default: TASK_JAVA_CLASS })
  _class?: string;

  @Prop({ type: Number, default: 0 })
  version!: number;

  @Prop({ type: String, required: true })
  chainTaskId!: string;

  @Prop({ type: String, required: true })
  chainDealId!: string;

  @Prop({ type: Number, required: true })
  taskIndex!: number;

  @Prop({ type: Number, default: 0 })
  dealBlockNumber!: number;

  @Prop({ type: Number, default: 0 })
  maxExecutionTime!: number;

  @Prop({ type: String })
  tag!: string;

  @Prop({ type: String, default: 'DOCKER' })
  dappType!: string;

  @Prop({ type: String })
  dappName?: string;

  @Prop({ type: String })
  commandLine?: string;

  @Prop({ type: Number, default: 0 })
  initializationBlockNumber!: number;

  @Prop({ type: String, enum: Object.values(TaskStatus), required: true })
  currentStatus!: TaskStatus;

  @Prop({ type: Number, default: 0 })
  trust!: number;

  @Prop({ type: Number, default: 0 })
  numWorkersNeeded!: number;

  @Prop({ type: String })
  uploadingWorkerWalletAddress?: string;

  @Prop({ type: String })
  consensus?: string;

  @Prop({ type: Number, default: 0 })
  consensusReachedBlockNumber!: number;

  @Prop({ type: Date })
  contributionDeadline!: Date;

  @Prop({ type: Date })
  revealDeadline?: Date;

  @Prop({ type: Date })
  finalDeadline!: Date;

  @Prop({ type: String })
  resultLink?: string;

  @Prop({ type: String })
  chainCallbackData?: string;

  @Prop({ type: [TaskStatusChangeSchema], default: [] })
  dateStatusList!: TaskStatusChange[];

  @Prop({ type: String })
  enclaveChallenge?: string;

  @Prop({ type: String })
  smsUrl?: string;
}

export const TaskSchema = SchemaFactory.createForClass(Task);
// Spring Data names an index after its field (iexec-core 8.5 @Indexed); syncJavaIndexes builds them.
TaskSchema.index({ chainTaskId: 1 }, { unique: true, name: 'chainTaskId' });
TaskSchema.index({ currentStatus: 1 }, { name: 'currentStatus' });
TaskSchema.index({ chainDealId: 1, taskIndex: 1 }, { unique: true, name: 'unique_deal_idx' });
