import type { WorkerView } from './worker.service.js';

/** W4 response body (worker-api.md §3.2): every property, nulls emitted, no `_id`/`_class`. */
export interface WorkerJson {
  id: string;
  name: string | null;
  walletAddress: string;
  os: string | null;
  cpu: string | null;
  cpuNb: number;
  maxNbTasks: number;
  memorySize: number;
  teeEnabled: boolean;
  gpuEnabled: boolean;
  /** iexec-core 9.2; 8.5 workers ignore unknown properties (Spring's lenient Jackson). */
  tdxEnabled: boolean;
  participatingChainTaskIds: string[];
  computingChainTaskIds: string[];
  lastAliveDate: string | null;
  lastReplicateDemandDate: string | null;
}

/** ISO-8601 with milliseconds and a numeric offset, as Jackson writes a `Date`. */
export function javaDate(date: Date | null | undefined): string | null {
  return date ? date.toISOString().replace(/Z$/, '+00:00') : null;
}

export function toWorkerJson(worker: WorkerView): WorkerJson {
  return {
    id: worker._id.toHexString(),
    name: worker.name ?? null,
    walletAddress: worker.walletAddress,
    os: worker.os ?? null,
    cpu: worker.cpu ?? null,
    cpuNb: worker.cpuNb ?? 0,
    maxNbTasks: worker.maxNbTasks ?? 0,
    memorySize: worker.memorySize ?? 0,
    teeEnabled: worker.teeEnabled ?? false,
    gpuEnabled: worker.gpuEnabled ?? false,
    tdxEnabled: worker.tdxEnabled ?? false,
    participatingChainTaskIds: [...(worker.participatingChainTaskIds ?? [])],
    computingChainTaskIds: [...(worker.computingChainTaskIds ?? [])],
    lastAliveDate: javaDate(worker.lastAliveDate),
    lastReplicateDemandDate: javaDate(worker.lastReplicateDemandDate),
  };
}
