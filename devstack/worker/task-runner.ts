// One replicate as the 8.5 worker runs it (worker-api.md §7.6): for each notification an
// "in progress" report, the simulated work, then a "result" report whose answer is the next
// notification. Notifications of one task are handled one at a time, in arrival order.
import type { LocalAccount } from 'viem';
import { TaskNotificationType } from '../../src/notification/task-notification-type.js';
import type {
  TaskNotificationExtra,
  WorkerpoolAuthorization,
} from '../../src/notification/task-notification.js';
import { ReplicateStatus, ReplicateStatusCause } from '../../src/replicate/replicate-status.js';
import type { Behaviour, BehaviourContext } from './behaviours.js';
import type { EnclaveSigner } from './enclave-signer.js';
import {
  abortCauseOf,
  isIdleAction,
  STEP_STATUSES,
  type ChainReceipt,
  type ReplicateStatusDetails,
} from './protocol.js';
import type { SealedResult, SimulatedResult } from './result.js';
import type { ResultUploader } from './result-uploader.js';
import { messageOf, perform } from './task-actions.js';
import type { TaskFacts, WorkerChainApi } from './worker-chain.js';
import { Halted, type WorkerSession } from './worker-session.js';

export type TaskPhase = 'running' | 'waiting' | 'completed' | 'aborted' | 'failed';

export interface TaskReport {
  status: ReplicateStatus;
  /** The decoded answer; undefined when the worker gave up posting. */
  answer?: TaskNotificationType;
  posts: number;
}

export interface TaskSnapshot {
  chainTaskId: string;
  phase: TaskPhase;
  lastStatus?: ReplicateStatus;
  reports: TaskReport[];
  authorization?: WorkerpoolAuthorization;
  smsUrl: string | null;
  facts?: TaskFacts;
  result?: SealedResult;
  receipts: {
    contribute?: ChainReceipt;
    reveal?: ChainReceipt;
    contributeAndFinalize?: ChainReceipt;
  };
  resultLink?: string;
  abortCause?: ReplicateStatusCause;
  error?: string;
  /**
   * The worker's own time on this task (ms): everything it did except waiting for the scheduler
   * (its report answers and its notifications). What the BoT bench takes out of a task's lifetime.
   */
  ownWorkMs: number;
}

/** What a task needs from its worker. */
export interface TaskHost {
  readonly wallet: string;
  readonly account: LocalAccount;
  readonly behaviour: Behaviour;
  readonly chain?: WorkerChainApi;
  readonly uploader: ResultUploader;
  readonly enclaveSigner?: EnclaveSigner;
  readonly resultRepositoryUrl: string | null;
  /** Results computed so far: they survive a crash and restart (the worker's disk). */
  readonly localResults: Map<string, SimulatedResult>;
  /** Posts one report through the session's delivery loop; undefined when it gave up. */
  report(
    task: TaskRunner,
    status: ReplicateStatus,
    details?: Partial<ReplicateStatusDetails>,
  ): Promise<TaskNotificationType | undefined>;
  unsubscribe(chainTaskId: string): void;
  crash(reason: string): void;
  taskEnded(task: TaskRunner): void;
  taskFailed(task: TaskRunner, error: unknown): void;
}

interface Queued {
  type: TaskNotificationType;
  extra: TaskNotificationExtra | null;
}

export class TaskRunner {
  phase: TaskPhase = 'running';
  readonly reports: TaskReport[] = [];
  authorization?: WorkerpoolAuthorization;
  smsUrl: string | null = null;
  facts?: TaskFacts;
  result?: SealedResult;
  readonly receipts: TaskSnapshot['receipts'] = {};
  resultLink?: string;
  abortCause?: ReplicateStatusCause;
  error?: string;
  ownWorkMs = 0;
  private waitedForReportsMs = 0;
  private readonly queue: Queued[] = [];
  private draining = false;

  constructor(
    readonly chainTaskId: string,
    private readonly host: TaskHost,
    /** The worker run this task belongs to: it dies with it. */
    readonly session: WorkerSession,
  ) {}

  get ended(): boolean {
    return this.phase === 'completed' || this.phase === 'aborted' || this.phase === 'failed';
  }

  get lastStatus(): ReplicateStatus | undefined {
    return this.reports.at(-1)?.status;
  }

  /** The final deadline (seconds) read on chain: the delivery loop gives up after it. */
  get finalDeadline(): number | undefined {
    return this.facts?.finalDeadline;
  }

  snapshot(): TaskSnapshot {
    return {
      chainTaskId: this.chainTaskId,
      phase: this.phase,
      lastStatus: this.lastStatus,
      reports: this.reports.map((r) => ({ ...r })),
      authorization: this.authorization,
      smsUrl: this.smsUrl,
      facts: this.facts,
      result: this.result,
      receipts: { ...this.receipts },
      resultLink: this.resultLink,
      abortCause: this.abortCause,
      error: this.error,
      ownWorkMs: this.ownWorkMs,
    };
  }

  /** Queues a notification (already filtered and authorization-checked) and processes it. */
  enqueue(type: TaskNotificationType, extra: TaskNotificationExtra | null): void {
    if (this.ended) return;
    this.queue.push({ type, extra });
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length > 0 && !this.ended) {
        let next: Queued | undefined = this.queue.shift();
        while (next && !this.ended) {
          this.phase = 'running';
          const started = performance.now();
          const waited = this.waitedForReportsMs;
          const type = next.type;
          const answer = await this.handle(type, next.extra).finally(() => {
            // PLEASE_COMPLETE comes once the task is COMPLETED: its work is after the task's end.
            if (type === TaskNotificationType.PLEASE_COMPLETE) return;
            const reports = this.waitedForReportsMs - waited;
            this.ownWorkMs += performance.now() - started - reports;
          });
          if (!this.ended) this.phase = 'waiting';
          // the answer to the result report is the next notification (§7.6)
          next = isIdleAction(answer) ? undefined : { type: answer!, extra: null };
        }
      }
    } catch (error) {
      if (!(error instanceof Halted)) {
        this.phase = 'failed';
        this.error = messageOf(error);
        this.host.taskFailed(this, error);
      }
    } finally {
      this.draining = false;
    }
  }

  private behaviourContext(): BehaviourContext {
    return { wallet: this.host.wallet, chainTaskId: this.chainTaskId, task: this.facts };
  }

  private async handle(
    type: TaskNotificationType,
    extra: TaskNotificationExtra | null,
  ): Promise<TaskNotificationType | undefined> {
    const steps = STEP_STATUSES[type];
    if (!steps) return undefined; // PLEASE_WAIT, PLEASE_CONTINUE
    const behaviour = this.behaviourContext();
    if (this.host.behaviour.accepts && !this.host.behaviour.accepts(type, behaviour)) {
      return undefined;
    }
    if (this.host.chain && !this.facts) {
      this.facts = await this.host.chain.readTask(this.chainTaskId);
      this.session.checkAlive();
      if (!this.facts) return this.abort(ReplicateStatusCause.TASK_DESCRIPTION_NOT_FOUND);
    }
    if (type === TaskNotificationType.PLEASE_ABORT) {
      return this.abort(abortCauseOf({ taskNotificationExtra: extra }));
    }
    if (steps.inProgress) await this.reportStatus(steps.inProgress);
    const delay = this.host.behaviour.stepDelayMs?.(type, behaviour) ?? 0;
    if (delay > 0) await this.session.sleep(delay);
    const ctx = { task: this, host: this.host, session: this.session, behaviour };
    const outcome = await perform(ctx, type, extra);
    this.session.checkAlive();
    const status = outcome.ok ? steps.success : (steps.failure ?? steps.success);
    const answer = await this.reportStatus(status, outcome.details);
    if (type === TaskNotificationType.PLEASE_COMPLETE && outcome.ok) {
      // the worker purges the task: result removed, topic left (§7.6)
      this.host.unsubscribe(this.chainTaskId);
      this.host.localResults.delete(this.chainTaskId);
      this.end('completed');
    }
    return answer;
  }

  private async reportStatus(
    status: ReplicateStatus,
    details?: Partial<ReplicateStatusDetails>,
  ): Promise<TaskNotificationType | undefined> {
    this.session.checkAlive();
    const posted = performance.now();
    const answer = await this.host.report(this, status, details);
    this.waitedForReportsMs += performance.now() - posted;
    if (this.host.behaviour.afterReport?.(status, this.behaviourContext()) === 'crash') {
      this.host.crash(`crash after ${status} (${this.chainTaskId})`);
    }
    this.session.checkAlive();
    return answer;
  }

  /** §7.6 PLEASE_ABORT: clean up and unsubscribe, then ABORTED; the answer is ignored. */
  private async abort(cause: ReplicateStatusCause): Promise<undefined> {
    this.host.unsubscribe(this.chainTaskId);
    this.host.localResults.delete(this.chainTaskId);
    this.abortCause = cause;
    await this.reportStatus(ReplicateStatus.ABORTED, { cause });
    this.end('aborted');
    return undefined;
  }

  private end(phase: 'completed' | 'aborted'): void {
    this.phase = phase;
    this.queue.length = 0;
    this.host.taskEnded(this);
  }
}
