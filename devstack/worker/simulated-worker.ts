// A simulated iexec-worker 8.5 (one wallet) as the scheduler sees it: configuration, login,
// registration, recovery (R2), push channel, ping and replicate demand loops, and one TaskRunner
// per replicate. No Docker and no real computation: results are deterministic digests.
import { EventEmitter } from 'node:events';
import type { LocalAccount } from 'viem';
import { TaskNotificationType } from '../../src/notification/task-notification-type.js';
import type { TaskNotification } from '../../src/notification/task-notification.js';
import type { ReplicateStatus } from '../../src/replicate/replicate-status.js';
import type { PublicConfiguration } from '../../src/worker/public-configuration.js';
import { honest, type Behaviour } from './behaviours.js';
import { decodeTaskNotification } from './decoders.js';
import type { EnclaveSigner } from './enclave-signer.js';
import { HttpClient } from './http.js';
import {
  concernsWorker,
  isAuthorizationFromScheduler,
  SIMULATED_WORKER_VERSION,
  statusUpdateBody,
  walletString,
  type ReplicateStatusDetails,
} from './protocol.js';
import type { SimulatedResult } from './result.js';
import { HttpResultUploader, type ResultUploader } from './result-uploader.js';
import { HttpSchedulerApi, type SchedulerApi, type WorkerModel } from './scheduler-api.js';
import { WorkerStats, type WorkerStatsSink } from './stats.js';
import { messageOf } from './task-actions.js';
import { TaskRunner, type TaskHost, type TaskSnapshot } from './task-runner.js';
import type { WorkerChainApi } from './worker-chain.js';
import {
  waitForReport,
  type SimulatedWorkerOptions,
  type StatusEvent,
  type WorkerState,
} from './worker-options.js';
import { createWorkerPush, type PushFactory } from './worker-push.js';
import { Halted, WorkerSession } from './worker-session.js';

export type { SimulatedWorkerOptions, StatusEvent, WorkerState } from './worker-options.js';

const FINISHED_HISTORY = 1000;

export class SimulatedWorker extends EventEmitter implements TaskHost {
  readonly account: LocalAccount;
  readonly wallet: string;
  readonly name: string;
  behaviour: Behaviour;
  readonly chain?: WorkerChainApi;
  readonly uploader: ResultUploader;
  readonly enclaveSigner?: EnclaveSigner;
  readonly stats: WorkerStatsSink;
  /** Results computed so far, kept across crash and restart (the worker's disk). */
  readonly localResults = new Map<string, SimulatedResult>();
  readonly api: SchedulerApi;
  state: WorkerState = 'idle';
  config?: PublicConfiguration;
  private readonly http: HttpClient;
  private readonly pushFactory: PushFactory;
  private readonly runners = new Map<string, TaskRunner>();
  private readonly finished: TaskSnapshot[] = [];
  private session?: WorkerSession;
  private pingTimer?: NodeJS.Timeout;
  private askTimer?: NodeJS.Timeout;
  private fingerprint?: string;
  private restarting = false;

  constructor(private readonly options: SimulatedWorkerOptions) {
    super();
    this.account = options.account;
    this.wallet = walletString(options.account.address);
    this.name = options.name ?? `sim-worker-${this.wallet.slice(2, 10)}`;
    this.behaviour = options.behaviour ?? honest();
    this.chain = options.chain;
    this.enclaveSigner = options.enclaveSigner;
    this.stats = options.stats ?? new WorkerStats();
    this.http = options.http ?? new HttpClient({ stats: this.stats });
    this.api = options.api ?? new HttpSchedulerApi(options.schedulerUrl, this.http);
    this.uploader = options.resultUploader ?? new HttpResultUploader(this.http);
    this.pushFactory = options.push ?? createWorkerPush(options.pushOptions);
  }

  get resultRepositoryUrl(): string | null {
    return this.config?.resultRepositoryURL ?? null;
  }

  /** The current JWT ('' when logged out). */
  get token(): string {
    return this.session?.jwt ?? '';
  }

  /** W5, login, W4, R2 (+ recovery), push channel, then the ping and demand loops. */
  async start(): Promise<void> {
    if (this.state === 'starting' || this.state === 'running') {
      throw new Error(`${this.name} is already ${this.state}`);
    }
    const session = new WorkerSession({
      api: this.api,
      account: this.account,
      wallet: this.wallet,
      stats: this.stats,
      problem: (kind, message) => this.problem(kind, message),
      retryDelayMs: this.options.retryDelayMs,
      transportRetryDelayMs: this.options.transportRetryDelayMs,
      maxPostAttempts: this.options.maxPostAttempts,
    });
    this.session = session;
    this.state = 'starting';
    this.fingerprint = undefined;
    try {
      const config = await this.api.getConfig(session.signal);
      session.checkAlive();
      if (!config.ok) throw new Error(`GET /workers/config failed: ${config.error}`);
      const version = this.options.version ?? SIMULATED_WORKER_VERSION;
      const required = config.value.requiredWorkerVersion ?? '';
      if (required !== '' && required !== version) {
        throw new Error(`worker version ${version} refused: the scheduler requires ${required}`);
      }
      this.config = config.value;
      if (!(await session.login())) throw new Error(`${this.name}: login failed`);
      await session.withRetry('W4 register', (token) =>
        this.api.register(token, this.workerModel(), session.signal),
      );
      session.push = this.pushFactory(
        `${this.options.schedulerUrl.replace(/\/+$/, '')}/connect`,
        this,
      );
      const blockNumber = await this.blockNumber();
      const interrupted = await session.withRetry('R2 interrupted', (token) =>
        this.api.interrupted(token, blockNumber, session.signal),
      );
      for (const notification of interrupted ?? []) await this.recover(session, notification);
      session.push.connect();
      session.checkAlive();
      this.state = 'running';
      this.schedule(session);
      this.emit('started');
    } catch (error) {
      if (error instanceof Halted && session.ended) return;
      await this.halt('stopped');
      throw error;
    }
  }

  /** Clean stop: timers cleared, STOMP DISCONNECT, in-flight work abandoned. */
  async stop(): Promise<void> {
    await this.halt('stopped');
    this.emit('stopped');
  }

  /** Back from a crash or a stop: the worker starts again and recovers through R2. */
  async restart(): Promise<void> {
    if (this.state === 'starting' || this.state === 'running') await this.halt('stopped');
    await this.start();
  }

  /** Simulated process death: all activity stops at once, no further status is sent. */
  crash(reason = 'crash'): void {
    if (this.state !== 'running' && this.state !== 'starting') return;
    this.stats.recordCrash();
    this.log(`crashed: ${reason}`);
    void this.halt('crashed').then(() => this.emit('crashed', reason));
  }

  /** Closes the HTTP client when the worker created it: call once, after the last stop. */
  dispose(): void {
    if (!this.options.http) this.http.close();
  }

  tasks(): TaskSnapshot[] {
    return [...this.runners.values()].map((r) => r.snapshot());
  }

  finishedTasks(): TaskSnapshot[] {
    return [...this.finished];
  }

  /** The live task, or the last finished (or interrupted) one with that id. */
  task(chainTaskId: string): TaskSnapshot | undefined {
    return (
      this.runners.get(chainTaskId)?.snapshot() ??
      [...this.finished].reverse().find((t) => t.chainTaskId === chainTaskId)
    );
  }

  /** Resolves once `status` has been reported for the task (and answered). */
  waitForStatus(chainTaskId: string, status: ReplicateStatus, timeoutMs = 30_000): Promise<void> {
    return waitForReport(this, chainTaskId, status, timeoutMs);
  }

  // --- TaskHost ----------------------------------------------------------------------------

  async report(
    task: TaskRunner,
    status: ReplicateStatus,
    details?: Partial<ReplicateStatusDetails>,
  ) {
    const { chainTaskId } = task;
    const body = statusUpdateBody(status, details);
    const { answer, posts, error } = await task.session.deliver(
      chainTaskId,
      body,
      task.finalDeadline,
    );
    task.reports.push({ status, answer, posts });
    if (answer) this.stats.recordStatus(status);
    else this.problem('status-gave-up', `${status} of ${chainTaskId}, ${posts} posts: ${error}`);
    const event: StatusEvent = { chainTaskId, status, answer, posts, details: body.details };
    this.emit('status', event);
    return answer;
  }

  unsubscribe(chainTaskId: string): void {
    this.session?.push?.unsubscribe(chainTaskId);
  }

  taskEnded(task: TaskRunner): void {
    if (this.runners.get(task.chainTaskId) === task) this.runners.delete(task.chainTaskId);
    const snapshot = task.snapshot();
    this.remember(snapshot);
    this.stats.recordTask(task.phase === 'completed' ? 'completed' : 'aborted');
    this.emit('taskEnded', snapshot);
  }

  taskFailed(task: TaskRunner, error: unknown): void {
    this.problem('task-failed', `${task.chainTaskId}: ${messageOf(error)}`);
  }

  // --- internals ---------------------------------------------------------------------------

  private async halt(state: 'stopped' | 'crashed'): Promise<void> {
    this.state = state;
    clearInterval(this.pingTimer);
    clearTimeout(this.askTimer);
    for (const runner of this.runners.values()) {
      this.remember({ ...runner.snapshot(), error: `worker ${state}` });
    }
    this.runners.clear();
    await this.session?.end();
  }

  private remember(snapshot: TaskSnapshot): void {
    this.finished.push(snapshot);
    if (this.finished.length > FINISHED_HISTORY) this.finished.shift();
  }

  private workerModel(): WorkerModel {
    return {
      name: this.name,
      walletAddress: this.wallet,
      os: 'Linux',
      cpu: 'amd64',
      cpuNb: this.options.cpuNb ?? 1,
      memorySize: this.options.memorySize ?? 8,
      teeEnabled: this.options.teeEnabled ?? !!this.enclaveSigner,
      gpuEnabled: this.options.gpuEnabled ?? false,
      // an 8.5 worker's body has no such property: sent only when set
      ...(this.options.tdxEnabled !== undefined ? { tdxEnabled: this.options.tdxEnabled } : {}),
    };
  }

  private async blockNumber(): Promise<number> {
    if (!this.chain) return this.options.fixedBlockNumber ?? 1;
    return this.chain.latestBlockNumber().catch(() => 0);
  }

  /** Ping at a fixed rate; ask for a replicate with a fixed delay after each answer (§11). */
  private schedule(session: WorkerSession): void {
    const askEvery = this.options.askPeriodMs ?? (this.config!.askForReplicatePeriod || 5000);
    this.pingTimer = setInterval(
      () => void this.ping(session).catch((e) => this.unexpected(e)),
      this.options.pingIntervalMs ?? 10_000,
    );
    const ask = async () => {
      await this.askForReplicate(session).catch((e) => this.unexpected(e));
      if (!session.ended) this.askTimer = setTimeout(() => void ask(), askEvery);
    };
    void ask();
  }

  /** W3; a changed configuration fingerprint means a new scheduler: graceful restart (§3.3). */
  private async ping(session: WorkerSession): Promise<void> {
    const result = await session.once((token) => this.api.ping(token, session.signal));
    if (!result.ok || !result.value) return;
    if (this.fingerprint === undefined) {
      this.fingerprint = result.value;
    } else if (this.fingerprint.toLowerCase() !== result.value.toLowerCase()) {
      await this.gracefulRestart(session);
    }
  }

  /** W6 first: postponed to the next ping while the scheduler sees computing tasks. */
  private async gracefulRestart(session: WorkerSession): Promise<void> {
    if (this.restarting) return;
    this.restarting = true;
    try {
      const computing = await session.withRetry('W6 computing', (token) =>
        this.api.computing(token, session.signal),
      );
      if (computing && computing.length > 0) return;
      this.log('scheduler configuration changed: restarting');
      this.emit('restarting', 'scheduler configuration changed');
      await this.halt('stopped');
      await this.start();
    } finally {
      this.restarting = false;
    }
  }

  /** R1 (§5.8): only with a non-zero block; the authorization must be the scheduler's. */
  private async askForReplicate(session: WorkerSession): Promise<void> {
    const blockNumber = await this.blockNumber();
    session.checkAlive();
    if (blockNumber <= 0) return;
    const result = await session.once((token) =>
      this.api.available(token, blockNumber, session.signal),
    );
    if (!result.ok)
      return result.status === 401 ? undefined : this.problem('R1-failed', result.error);
    if (!result.value) return;
    const answered = performance.now();
    const { workerpoolAuthorization: authorization, smsUrl } = result.value;
    if (!isAuthorizationFromScheduler(authorization, this.config!.schedulerPublicAddress ?? '')) {
      return this.problem('authorization-rejected', authorization.chainTaskId);
    }
    const { chainTaskId } = authorization;
    this.stats.recordTask('started');
    if (this.options.mode === 'pingAndAsk') return;
    const facts = this.chain ? await this.chain.readTask(chainTaskId) : undefined;
    session.checkAlive();
    if (this.chain && !facts) {
      this.stats.recordTask('dropped');
      return this.problem('task-unreadable', chainTaskId);
    }
    const runner = this.runnerFor(session, chainTaskId);
    Object.assign(runner, { authorization, smsUrl, facts });
    runner.ownWorkMs += performance.now() - answered;
    this.emit('task', runner.snapshot());
    runner.enqueue(TaskNotificationType.PLEASE_START, null);
  }

  /** §6.4: keep tasks with a local result and a readable description, process like a push. */
  private async recover(session: WorkerSession, notification: TaskNotification): Promise<void> {
    const { chainTaskId } = notification;
    const authorization = notification.taskNotificationExtra?.workerpoolAuthorization;
    if (
      authorization &&
      !isAuthorizationFromScheduler(authorization, this.config!.schedulerPublicAddress ?? '')
    ) {
      return this.problem('authorization-rejected', chainTaskId);
    }
    const facts = this.chain ? await this.chain.readTask(chainTaskId) : undefined;
    session.checkAlive();
    if (!this.localResults.has(chainTaskId) || (this.chain && !facts)) {
      this.stats.recordTask('dropped');
      return;
    }
    const runner = this.runnerFor(session, chainTaskId);
    if (authorization) runner.authorization = authorization;
    runner.facts ??= facts;
    this.emit('task', runner.snapshot());
    runner.enqueue(notification.taskNotificationType, notification.taskNotificationExtra);
  }

  /** Creates the runner and subscribes to its topic before anything is processed (§5.8). */
  private runnerFor(session: WorkerSession, chainTaskId: string): TaskRunner {
    let runner = this.runners.get(chainTaskId);
    if (!runner) {
      runner = new TaskRunner(chainTaskId, this, session);
      this.runners.set(chainTaskId, runner);
      session.push?.subscribe(chainTaskId, (raw) => this.onPush(chainTaskId, raw));
    }
    return runner;
  }

  /** §8.5: target filter, authorization check, then the task's queue. */
  private onPush(chainTaskId: string, raw: unknown): void {
    let notification: TaskNotification;
    try {
      notification = decodeTaskNotification(raw, false);
    } catch (error) {
      return this.problem('push-undecodable', messageOf(error));
    }
    if (!concernsWorker(notification, this.wallet)) return;
    this.stats.recordNotification();
    this.emit('notification', notification);
    const runner = this.runners.get(chainTaskId);
    if (!runner || notification.chainTaskId !== chainTaskId) return;
    const authorization = notification.taskNotificationExtra?.workerpoolAuthorization;
    if (authorization) {
      if (!isAuthorizationFromScheduler(authorization, this.config?.schedulerPublicAddress ?? '')) {
        return this.problem('authorization-rejected', chainTaskId);
      }
      runner.authorization = authorization;
    }
    runner.enqueue(notification.taskNotificationType, notification.taskNotificationExtra);
  }

  private problem(kind: string, message: string): void {
    this.stats.recordError(kind);
    this.log(`${kind}: ${message}`);
    if (this.listenerCount('problem') > 0) this.emit('problem', { kind, message });
  }

  private unexpected(error: unknown): void {
    if (error instanceof Halted) return;
    this.problem('unexpected', messageOf(error));
  }

  private log(line: string): void {
    this.options.log?.(`[${this.name}] ${line}`);
  }
}
