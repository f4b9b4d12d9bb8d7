import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { JobScheduler } from '../../common/jobs/job-scheduler.js';
import { ChainClock } from '../../chain/chain-clock.js';
import { PocoReader } from '../../chain/poco-reader.js';
import { TaskDescriptionService } from '../../chain/task-description.service.js';
import { ReplicatesListRepository } from '../../replicate/replicates-list.repository.js';
import { isEligibleToContributeAndFinalize } from '../rules/task-description-facts.js';
import {
  consensusReachedDetectorMatches,
  finalizedDetectorMatches,
  initializedDetectorMatches,
} from '../rules/task-detectors.js';
import { TaskStatus } from '../task-status.js';
import { TaskRef, TaskRepository } from '../task.repository.js';
import { TaskUpdateRequests } from '../task-update-requests.js';
import { ChainTaskStatus } from '../../chain/chain-status.js';

/**
 * The task detectors of task-lifecycle.md §13 (2–8, 14): the safety net behind the event-driven
 * updates. Each one only selects tasks and publishes update requests; every decision is the
 * engine's. None overlaps itself (JobScheduler), all run once at start-up.
 */
@Injectable()
export class TaskDetectors implements OnApplicationBootstrap {
  constructor(
    private readonly config: AppConfig,
    private readonly jobs: JobScheduler,
    private readonly tasks: TaskRepository,
    private readonly replicates: ReplicatesListRepository,
    private readonly reader: PocoReader,
    private readonly descriptions: TaskDescriptionService,
    private readonly requests: TaskUpdateRequests,
    private readonly clock: ChainClock,
  ) {}

  onApplicationBootstrap(): void {
    const c = this.config.cron;
    const at = { runAtStart: true };
    this.jobs.runOnce('unfinished-task-resumer', () => this.resumeUnfinished());
    this.jobs.register('unstarted-tx-detector', c.unstartedTxMs, () => this.unstartedTx(), at);
    this.jobs.register('initialized-task-detector', c.initializeMs, () => this.initialized(), at);
    this.jobs.register(
      'contribution-timeout-detector',
      c.contributeMs,
      () => this.contributionTimeout(),
      at,
    );
    this.jobs.register(
      'consensus-reached-detector',
      c.consensusReachedMs,
      () => this.consensusReached(),
      at,
    );
    this.jobs.register(
      'final-deadline-detector',
      c.finalDeadlineMs,
      () => this.finalDeadline(),
      at,
    );
    this.jobs.register('finalized-task-detector', c.finalizeMs, () => this.finalized(), at);
    this.jobs.register('reopened-task-detector', c.finalizeMs, () => this.reopened(), at);
    this.jobs.register(
      'task-result-upload-timeout-detector',
      c.resultUploadTimeoutMs,
      () => this.resultUploadTimeout(),
      at,
    );
  }

  private publish(refs: readonly TaskRef[]): void {
    for (const t of refs)
      this.requests.publish(t.chainTaskId, {
        status: t.currentStatus,
        contributionDeadline: t.contributionDeadline,
      });
  }

  /**
   * Update requests live in memory, so a restart loses those that were waiting, and some steps
   * (AT_LEAST_ONE_REVEALED → upload request, FINALIZED → COMPLETED…) have no detector behind
   * them: every unfinished task gets one update at start-up.
   */
  async resumeUnfinished(): Promise<void> {
    this.publish(await this.tasks.findUnfinishedRefs());
  }

  /** §13.2: retry finalize of RESULT_UPLOADED tasks and initialize of initializable ones. */
  async unstartedTx(): Promise<void> {
    this.publish(await this.tasks.findRefsByStatus([TaskStatus.RESULT_UPLOADED]));
    this.publish(await this.tasks.findInitializable(this.clock.date()));
  }

  /** §13.3: initializable tasks already initialized on chain. */
  async initialized(): Promise<void> {
    for (const ref of await this.tasks.findInitializable(this.clock.date())) {
      if (initializedDetectorMatches(await this.reader.getChainTask(ref.chainTaskId)))
        this.publish([ref]);
    }
  }

  /** §13.5: the engine checks the chain before timing a task out (the Java detector does not). */
  async contributionTimeout(): Promise<void> {
    this.publish(await this.tasks.findContributionTimeoutCandidates(this.clock.date()));
  }

  /** §13.4 */
  async consensusReached(): Promise<void> {
    for (const ref of await this.tasks.findRefsByStatus([TaskStatus.RUNNING])) {
      if (consensusReachedDetectorMatches(ref, await this.reader.getChainTask(ref.chainTaskId)))
        this.publish([ref]);
    }
  }

  /** §13.7: the engine's final-deadline override writes FINAL_DEADLINE_REACHED + FAILED. */
  async finalDeadline(): Promise<void> {
    this.publish(await this.tasks.findFinalDeadlineReached(this.clock.date()));
  }

  /** §13.8 (a) FINALIZING tasks completed on chain, (b) contribute-and-finalize tasks completed on chain. */
  async finalized(): Promise<void> {
    for (const ref of await this.tasks.findRefsByStatus([
      TaskStatus.FINALIZING,
      TaskStatus.RUNNING,
    ])) {
      const chainTask = await this.reader.getChainTask(ref.chainTaskId);
      if (chainTask?.status !== ChainTaskStatus.COMPLETED) continue;
      let eligible = false;
      let replicates: Awaited<ReturnType<ReplicatesListRepository['findByChainTaskId']>> = null;
      if (ref.currentStatus === TaskStatus.RUNNING) {
        const task = await this.tasks.findByChainTaskId(ref.chainTaskId);
        const description = task ? await this.descriptions.get(task) : undefined;
        eligible = !!description && isEligibleToContributeAndFinalize(description);
        replicates = await this.replicates.findByChainTaskId(ref.chainTaskId);
      }
      if (
        finalizedDetectorMatches({
          taskStatus: ref.currentStatus,
          eligibleToContributeAndFinalize: eligible,
          replicates: replicates?.replicates ?? [],
          chainTask,
        })
      ) {
        this.publish([ref]);
      }
    }
  }

  /** §13.6 */
  async reopened(): Promise<void> {
    for (const ref of await this.tasks.findRefsByStatus([TaskStatus.REOPENING])) {
      if ((await this.reader.getChainTask(ref.chainTaskId))?.status === ChainTaskStatus.ACTIVE)
        this.publish([ref]);
    }
  }

  /** §13.14 */
  async resultUploadTimeout(): Promise<void> {
    const now = this.clock.now();
    const uploading = await this.tasks.findByStatus([TaskStatus.RESULT_UPLOADING]);
    this.publish(uploading.filter((t) => new Date(t.finalDeadline).getTime() < now));
  }
}
