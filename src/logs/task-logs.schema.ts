import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { ComputeLogs, ComputeLogsSchema } from '../replicate/replicates-list.schema.js';

export const TASK_LOGS_JAVA_CLASS = 'com.iexec.core.logs.TaskLogs';

/** Collection `taskLogs`: compute logs of a task, one entry per worker wallet. */
@Schema({ collection: 'taskLogs', versionKey: false, autoIndex: false })
export class TaskLogs {
  @Prop({ type: String, default: TASK_LOGS_JAVA_CLASS })
  _class?: string;

  @Prop({ type: Number, default: 0 })
  version!: number;

  @Prop({ type: String, required: true })
  chainTaskId!: string;

  @Prop({ type: [ComputeLogsSchema], default: [] })
  computeLogsList!: ComputeLogs[];
}
export const TaskLogsSchema = SchemaFactory.createForClass(TaskLogs);
TaskLogsSchema.index({ chainTaskId: 1 }, { unique: true, name: 'chainTaskId' });
