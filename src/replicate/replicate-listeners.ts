import { Injectable } from '@nestjs/common';
import { WorkerService } from '../worker/worker.service.js';
import { ReplicateStatusUpdate } from './replicates-list.schema.js';
import { replicateUpdateReactions } from './status-update-rules.js';
import { UnnotifiedScanTrigger } from './unnotified-scan-trigger.js';

/**
 * Side effects of an accepted replicate update on the worker registry and the detectors
 * (worker-api.md §7.4, task-lifecycle.md §11.2); the task update request is handled by the status
 * service itself.
 */
@Injectable()
export class ReplicateListeners {
  constructor(
    private readonly workers: WorkerService,
    private readonly scans: UnnotifiedScanTrigger,
  ) {}

  async onReplicateUpdated(
    chainTaskId: string,
    walletAddress: string,
    update: ReplicateStatusUpdate,
  ): Promise<void> {
    const reactions = replicateUpdateReactions(update);
    if (reactions.freeComputingSlot)
      await this.workers.removeComputingTask(walletAddress, chainTaskId);
    if (reactions.removeTaskFromWorker) await this.workers.removeTask(walletAddress, chainTaskId);
    if (reactions.triggerContributionUnnotifiedScan) this.scans.requestContributionFullScan();
  }
}
