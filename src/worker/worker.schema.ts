import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export const WORKER_JAVA_CLASS = 'com.iexec.core.worker.Worker';

/** Collection `worker`: one document per registered worker wallet. */
@Schema({ collection: 'worker', versionKey: false, autoIndex: false })
export class Worker {
  @Prop({ type: String, default: WORKER_JAVA_CLASS })
  _class?: string;

  @Prop({ type: String })
  name?: string;

  @Prop({ type: String, required: true })
  walletAddress!: string;

  @Prop({ type: String })
  os?: string;

  @Prop({ type: String })
  cpu?: string;

  @Prop({ type: Number, default: 0 })
  cpuNb!: number;

  @Prop({ type: Number, default: 0 })
  maxNbTasks!: number;

  @Prop({ type: Number, default: 0 })
  memorySize!: number;

  @Prop({ type: Boolean, default: false })
  teeEnabled!: boolean;

  /** TDX-capable (iexec-core 9.2); absent from 8.5 workers and from documents they wrote. */
  @Prop({ type: Boolean, default: false })
  tdxEnabled?: boolean;

  @Prop({ type: Boolean, default: false })
  gpuEnabled!: boolean;

  @Prop({ type: [String], default: [] })
  participatingChainTaskIds!: string[];

  @Prop({ type: [String], default: [] })
  computingChainTaskIds!: string[];

  @Prop({ type: Date })
  lastAliveDate?: Date;

  @Prop({ type: Date })
  lastReplicateDemandDate?: Date;
}
export const WorkerSchema = SchemaFactory.createForClass(Worker);
WorkerSchema.index({ walletAddress: 1 }, { unique: true, name: 'walletAddress' });
