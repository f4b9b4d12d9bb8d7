import { Injectable, Logger } from '@nestjs/common';
import { ChainClock } from '../../chain/chain-clock.js';
import { ChainContext } from '../../chain/chain-context.js';
import { ChainTaskStatus } from '../../chain/chain-status.js';
import type { ChainTask } from '../../chain/chain-task.js';
import { GasCheckCache } from '../../chain/gas-check-cache.js';
import { PocoReader } from '../../chain/poco-reader.js';
import { callbackDataProblem, ChainWriter } from '../../chain/writer/chain-writer.js';
import { ReplicateStatus } from '../../replicate/replicate-status.js';
import { ReplicateStatusService } from '../../replicate/replicate-status.service.js';
import { Replicate } from '../../replicate/replicates-list.schema.js';
import { ReplicatesListRepository } from '../../replicate/replicates-list.repository.js';
import { canFinalize, finalizePrecondition } from '../rules/finalize.js';
import {
  chooseUploader,
  hasRevealedReplicate,
  resultUploadingDecision,
} from '../rules/result-upload-rules.js';
import { TaskStatus } from '../task-status.js';
import { TaskFieldUpdate, TaskRecord } from '../task.repository.js';
import { TaskEvents } from './task-events.service.js';
import { TaskStateWriter } from './task-state-writer.js';

/**
 * CONSENSUS_REACHED → … → COMPLETED (task-lifecycle.md §7.5–§7.9): reveal, upload request,
 * uploaded result, finalize, and the chain confirming it.
 */
@Injectable()
export class CompletionSteps {
  private readonly logger = new Logger(CompletionSteps.name);

  constructor(
    private readonly chain: ChainContext,
    private readonly reader: PocoReader,
    private readonly gas: GasCheckCache,
    private readonly writer: ChainWriter,
    private readonly replicates: ReplicatesListRepository,
    private readonly replicateStatus: ReplicateStatusService,
    private readonly state: TaskStateWriter,
    private readonly events: TaskEvents,
    private readonly clock: ChainClock,
  ) {}

  private async replicatesOf(task: TaskRecord): Promise<Replicate[]> {
    return (await this.replicates.findByChainTaskId(task.chainTaskId))?.replicates ?? [];
  }

  async consensusReached(task: TaskRecord): Promise<boolean> {
    const replicates = await this.replicatesOf(task);
    if (!hasRevealedReplicate(replicates)) return false;
    // The upload is asked at once (§7.6): both statuses in one write, in the reference's order.
    const wallet = chooseUploader(replicates);
    if (!wallet) return this.state.transition(task, [TaskStatus.AT_LEAST_ONE_REVEALED]);
    return this.askUpload(
      task,
      [TaskStatus.AT_LEAST_ONE_REVEALED, TaskStatus.RESULT_UPLOADING],
      wallet,
    );
  }

  /** §7.6: one revealed worker is asked to upload the result. */
  async requestUpload(task: TaskRecord): Promise<boolean> {
    const wallet = chooseUploader(await this.replicatesOf(task));
    if (!wallet) return false;
    return this.askUpload(task, [TaskStatus.RESULT_UPLOADING], wallet);
  }

  /** RESULT_UPLOADING with its uploader, then the uploader's RESULT_UPLOAD_REQUESTED. */
  private async askUpload(
    task: TaskRecord,
    statuses: TaskStatus[],
    wallet: string,
  ): Promise<boolean> {
    if (
      !(await this.state.transition(task, statuses, {
        uploadingWorkerWalletAddress: wallet,
      }))
    )
      return false;
    const outcome = await this.replicateStatus.updateFromPoolManager(
      task.chainTaskId,
      wallet,
      ReplicateStatus.RESULT_UPLOAD_REQUESTED,
    );
    if ('accepted' in outcome) this.events.pleaseUpload(task.chainTaskId, wallet);
    return false;
  }

  async resultUploading(task: TaskRecord): Promise<boolean> {
    const decision = resultUploadingDecision(task, await this.replicatesOf(task), this.clock.now());
    switch (decision.kind) {
      case 'RESULT_UPLOADED':
        return this.state.transition(task, [TaskStatus.RESULT_UPLOADED], {
          resultLink: decision.replicate.resultLink,
          chainCallbackData: decision.replicate.chainCallbackData,
        });
      case 'REQUEST_UPLOAD':
        return this.requestUpload(task);
      case 'RESULT_UPLOAD_TIMEOUT':
        return this.fail(
          task,
          TaskStatus.RESULT_UPLOAD_TIMEOUT,
          'final deadline reached while uploading',
        );
      case 'WAIT':
        return false;
    }
  }

  /** §7.8: finalize once the chain accepts it and every reveal is accounted for. */
  async resultUploaded(task: TaskRecord, chainTask: ChainTask): Promise<boolean> {
    if (chainTask.status === ChainTaskStatus.COMPLETED)
      return this.state.transition(task, [TaskStatus.FINALIZING]);
    // No finalize can carry it: waiting would only hold the task until its final deadline.
    const malformed = callbackDataProblem(task.chainCallbackData);
    if (malformed) return this.fail(task, TaskStatus.FINALIZE_FAILED, malformed);
    const precondition = finalizePrecondition(
      chainTask,
      await this.replicatesOf(task),
      this.clock.now(),
    );
    if (precondition.kind === 'WAIT') {
      this.logger.debug(`Task ${task.chainTaskId}: not finalizable yet (${precondition.reason})`, {
        chainTaskId: task.chainTaskId,
      });
      return false;
    }
    if (!(await this.gas.hasEnoughGas(this.chain.schedulerAddress))) return false;
    // Finalizing past the reveal deadline: silent winners fail first, as the reveal-timeout
    // detector would have them, so no replicate of a finished task is left waiting to reveal.
    if (chainTask.revealDeadline <= this.clock.now())
      await this.replicateStatus.failSilentWinners(task.chainTaskId);
    const request = await this.writer.requestFinalize(
      task.chainTaskId,
      task.resultLink,
      task.chainCallbackData,
    );
    if (request.accepted) {
      // Nothing to read until the writer says the transaction settled: that runs the next step.
      await this.state.transition(task, [TaskStatus.FINALIZING]);
      return false;
    }
    if (request.transient) {
      this.logger.warn(
        `Task ${task.chainTaskId}: finalize not requested (${request.reason}); will retry`,
        { chainTaskId: task.chainTaskId },
      );
      return false;
    }
    const now = await this.reader.getChainTask(task.chainTaskId);
    if (now?.status === ChainTaskStatus.COMPLETED)
      return this.state.transition(task, [TaskStatus.FINALIZING]);
    return this.fail(task, TaskStatus.FINALIZE_FAILED, request.reason);
  }

  /** §7.9, with the chain as source of truth: COMPLETED on chain means finalized. */
  async finalizing(task: TaskRecord, chainTask: ChainTask): Promise<boolean> {
    if (chainTask.status === ChainTaskStatus.COMPLETED)
      return this.complete(task, [TaskStatus.FINALIZED, TaskStatus.COMPLETED]);
    const status = await this.writer.status(task.chainTaskId, 'finalize');
    if (status === 'FAILURE')
      return this.fail(task, TaskStatus.FINALIZE_FAILED, 'finalize transaction failed');
    if (status === 'UNKNOWN' && canFinalize(chainTask, this.clock.now())) {
      // Restart in embedded mode with the transaction lost: send it again.
      const request = await this.writer.requestFinalize(
        task.chainTaskId,
        task.resultLink,
        task.chainCallbackData,
      );
      if (!request.accepted && !request.transient)
        return this.fail(task, TaskStatus.FINALIZE_FAILED, request.reason);
    }
    return false;
  }

  async complete(
    task: TaskRecord,
    statuses: TaskStatus[],
    fields: TaskFieldUpdate = {},
  ): Promise<boolean> {
    if (await this.state.transition(task, statuses, fields))
      await this.events.completed(task.chainTaskId);
    return false;
  }

  async fail(task: TaskRecord, reason: TaskStatus | undefined, why: string): Promise<boolean> {
    this.logger.error(`Task ${task.chainTaskId} failed: ${why}`, { chainTaskId: task.chainTaskId });
    const statuses = reason ? [reason, TaskStatus.FAILED] : [TaskStatus.FAILED];
    if (await this.state.transition(task, statuses, {}, why))
      await this.events.failed(task.chainTaskId);
    return false;
  }
}
