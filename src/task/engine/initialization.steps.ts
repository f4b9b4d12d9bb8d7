import { Injectable, Logger } from '@nestjs/common';
import { ChainClock } from '../../chain/chain-clock.js';
import { ChainContext } from '../../chain/chain-context.js';
import { ChainTaskStatus } from '../../chain/chain-status.js';
import type { ChainTask } from '../../chain/chain-task.js';
import { GasCheckCache } from '../../chain/gas-check-cache.js';
import { PocoReader } from '../../chain/poco-reader.js';
import { TaskDescriptionService } from '../../chain/task-description.service.js';
import { isTeeTag, unservedTeeTagReason } from '../../chain/tee-tag.js';
import { ZERO_ADDRESS } from '../../chain/chain-models.js';
import { ChainWriter } from '../../chain/writer/chain-writer.js';
import { ReplicatesListRepository } from '../../replicate/replicates-list.repository.js';
import { SmsService } from '../../sms/sms.service.js';
import { computeDealDeadlines } from '../rules/deadlines.js';
import { TaskStatus } from '../task-status.js';
import { TaskRecord } from '../task.repository.js';
import { TaskEvents } from './task-events.service.js';
import { TaskStateWriter } from './task-state-writer.js';

/** RECEIVED → INITIALIZING → INITIALIZED (task-lifecycle.md §7.2), the chain being the source of truth. */
@Injectable()
export class InitializationSteps {
  private readonly logger = new Logger(InitializationSteps.name);

  constructor(
    private readonly chain: ChainContext,
    private readonly reader: PocoReader,
    private readonly gas: GasCheckCache,
    private readonly descriptions: TaskDescriptionService,
    private readonly writer: ChainWriter,
    private readonly sms: SmsService,
    private readonly replicates: ReplicatesListRepository,
    private readonly state: TaskStateWriter,
    private readonly events: TaskEvents,
    private readonly clock: ChainClock,
  ) {}

  /**
   * Returns true when the update should run again right away. `chainTask` is the task read
   * beforehand, undefined when it was not: the embedded writer's simulation refuses to initialize
   * a task twice, so then the chain is read only when the initialize is not requested.
   */
  async received(
    task: TaskRecord,
    chainTask: ChainTask | undefined,
    read: () => Promise<ChainTask | undefined>,
  ): Promise<boolean> {
    // Already initialized on chain (our transaction before a crash, or anyone's): never twice.
    const initialized = (c: ChainTask | undefined) => !!c && c.status !== ChainTaskStatus.UNSET;
    if (initialized(chainTask)) return this.state.transition(task, [TaskStatus.INITIALIZING]);
    // No worker could contribute: end now rather than spend gas and workers' time on it.
    const unserved = unservedTeeTagReason(task.tag);
    if (unserved) return this.fail(task, unserved);
    const requestable =
      (await this.dealStillOpen(task)) &&
      (await this.gas.hasEnoughGas(this.chain.schedulerAddress));
    if (!requestable) {
      if (chainTask || !initialized(await read())) return false;
      return this.state.transition(task, [TaskStatus.INITIALIZING]);
    }
    let smsUrl: string | undefined;
    if (isTeeTag(task.tag)) {
      smsUrl = await this.sms.verifiedSmsUrl(task.chainTaskId, task.tag);
      if (!smsUrl) return this.fail(task, 'no verified SMS for its TEE framework');
    }
    const request = await this.writer.requestInitialize(
      task.chainDealId,
      task.taskIndex,
      task.chainTaskId,
    );
    if (request.accepted) {
      // Nothing to read until the writer says the transaction settled: that runs the next step.
      await this.state.transition(task, [TaskStatus.INITIALIZING], smsUrl ? { smsUrl } : {});
      return false;
    }
    if (request.transient) {
      this.logger.warn(
        `Task ${task.chainTaskId}: initialize not requested (${request.reason}); will retry`,
        { chainTaskId: task.chainTaskId },
      );
      return false;
    }
    if (initialized(await this.reader.getChainTask(task.chainTaskId)))
      return this.state.transition(task, [TaskStatus.INITIALIZING]);
    return this.fail(task, request.reason);
  }

  async initializing(task: TaskRecord, chainTask: ChainTask | undefined): Promise<boolean> {
    if (!chainTask || chainTask.status === ChainTaskStatus.UNSET)
      return this.waitForInitialize(task);
    const unserved = unservedTeeTagReason(task.tag);
    if (unserved) return this.fail(task, unserved);
    let smsUrl = task.smsUrl;
    if (isTeeTag(task.tag) && !smsUrl) {
      smsUrl = await this.sms.verifiedSmsUrl(task.chainTaskId, task.tag);
      if (!smsUrl) return this.fail(task, 'no verified SMS for its TEE framework');
    }
    const enclaveChallenge = smsUrl
      ? await this.sms.generateEnclaveChallenge(task.chainTaskId, smsUrl)
      : ZERO_ADDRESS;
    if (!enclaveChallenge) return this.fail(task, 'no enclave challenge from the SMS');
    // The replicates list exists before INITIALIZED is written: an INITIALIZED task always has one.
    await this.replicates.createEmpty(task.chainTaskId);
    await this.state.transition(task, [TaskStatus.INITIALIZED], {
      initializationBlockNumber: task.dealBlockNumber,
      enclaveChallenge,
      ...(smsUrl ? { smsUrl } : {}),
    });
    return false;
  }

  private async waitForInitialize(task: TaskRecord): Promise<boolean> {
    const status = await this.writer.status(task.chainTaskId, 'initialize');
    if (status === 'FAILURE') return this.fail(task, 'initialize transaction failed');
    if (status !== 'UNKNOWN') return false; // PENDING (or mined but not yet visible): the receipt triggers an update
    // The command is unknown (restart in embedded mode): ask again if the deal still allows it.
    if (!(await this.dealStillOpen(task))) return false;
    const request = await this.writer.requestInitialize(
      task.chainDealId,
      task.taskIndex,
      task.chainTaskId,
    );
    if (!request.accepted && !request.transient) {
      const chainTask = await this.reader.getChainTask(task.chainTaskId);
      if (!chainTask || chainTask.status === ChainTaskStatus.UNSET)
        return this.fail(task, request.reason);
      return true;
    }
    return false;
  }

  /** The deal's contribution deadline (re-computed from the chain) is still ahead. */
  private async dealStillOpen(task: TaskRecord): Promise<boolean> {
    const deal = await this.descriptions.deal(task.chainDealId);
    if (!deal) return false;
    const ratio = await this.reader.getContributionDeadlineRatio();
    const { contributionDeadline } = computeDealDeadlines(
      deal.startTime,
      deal.category.maxExecutionTime,
      ratio,
    );
    if (contributionDeadline > this.clock.now()) return true;
    this.logger.warn(
      `Task ${task.chainTaskId}: deal contribution deadline passed, not initializing`,
      { chainTaskId: task.chainTaskId },
    );
    return false;
  }

  private async fail(task: TaskRecord, reason: string): Promise<boolean> {
    this.logger.error(`Task ${task.chainTaskId}: initialization failed: ${reason}`, {
      chainTaskId: task.chainTaskId,
    });
    const statuses = [TaskStatus.INITIALIZE_FAILED, TaskStatus.FAILED];
    if (await this.state.transition(task, statuses, {}, reason)) {
      await this.events.failed(task.chainTaskId);
    }
    return false;
  }
}
