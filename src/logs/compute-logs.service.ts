import { Injectable } from '@nestjs/common';
import type { ReplicateStatus, ReplicateStatusCause } from '../replicate/replicate-status.js';
import type { ComputeLogs } from '../replicate/replicates-list.schema.js';
import { computeLogsToStore, SubmittedComputeLogs } from './compute-logs-rules.js';
import { TaskLogsRepository } from './task-logs.repository.js';

/** Compute logs storage (persistence-and-ops.md §3). */
@Injectable()
export class ComputeLogsService {
  constructor(private readonly repository: TaskLogsRepository) {}

  /**
   * Called by the replicate status pipeline for an ACCEPTED update, before it writes the
   * history element (from which it then removes `computeLogs`). Stores the logs when the rules
   * say so: COMPUTED, or COMPUTE_FAILED with APP_COMPUTE_FAILED; each stream tailed to its last
   * 100,000 characters; `walletAddress` forced to the authenticated worker; the first logs of a
   * wallet win. Returns true when the replicate should be marked `appComputeLogsPresent` (logs
   * were given for a capturing status, whether stored now or already stored before).
   */
  async storeFromStatusUpdate(
    chainTaskId: string,
    walletAddress: string,
    status: ReplicateStatus,
    cause: ReplicateStatusCause | null | undefined,
    computeLogs: SubmittedComputeLogs | null | undefined,
  ): Promise<boolean> {
    const logs = computeLogsToStore(walletAddress, status, cause, computeLogs);
    if (!logs) return false;
    await this.repository.addComputeLogs(chainTaskId, logs);
    return true;
  }

  /** Every worker's logs of a task; undefined when nothing was captured. */
  async getTaskLogs(chainTaskId: string): Promise<ComputeLogs[] | undefined> {
    const doc = await this.repository.findByChainTaskId(chainTaskId);
    return doc && doc.computeLogsList.length > 0 ? doc.computeLogsList : undefined;
  }

  /** One worker's logs (exact wallet string); undefined when absent. */
  async getComputeLogs(
    chainTaskId: string,
    walletAddress: string,
  ): Promise<ComputeLogs | undefined> {
    const doc = await this.repository.findByChainTaskId(chainTaskId);
    return doc?.computeLogsList.find((l) => l.walletAddress === walletAddress);
  }
}
