// One run of a simulated worker, from start() to stop or crash: its JWT, its push channel and the
// abort signal that ends everything it started. Holds the client rules of worker-api.md §11:
// login (shared by concurrent callers), the 3-attempt retry wrapper, and the R3 delivery loop.
import type { LocalAccount } from 'viem';
import type { TaskNotificationType } from '../../src/notification/task-notification-type.js';
import { signLoginChallenge, type ReplicateStatusUpdateBody } from './protocol.js';
import type { ApiResult, SchedulerApi } from './scheduler-api.js';
import type { WorkerStatsSink } from './stats.js';
import type { PushChannel } from './worker-push.js';

/** Thrown by whatever runs for a session that ended (stop, crash, restart). */
export class Halted extends Error {
  constructor() {
    super('worker halted');
    this.name = 'Halted';
  }
}

export interface SessionDeps {
  api: SchedulerApi;
  account: LocalAccount;
  wallet: string;
  stats: WorkerStatsSink;
  problem(kind: string, message: string): void;
  /** Pause between attempts of the retry wrapper (default 2000 ms). */
  retryDelayMs?: number;
  /** Pause after an R3 post without HTTP answer (default 100 ms). */
  transportRetryDelayMs?: number;
  /** R3 delivery loop bound (default 10 000 posts). */
  maxPostAttempts?: number;
}

export interface Delivery {
  answer?: TaskNotificationType;
  posts: number;
  error?: string;
}

export class WorkerSession {
  private readonly controller = new AbortController();
  private token = '';
  private loginInFlight?: Promise<boolean>;
  push?: PushChannel;

  constructor(private readonly deps: SessionDeps) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get ended(): boolean {
    return this.controller.signal.aborted;
  }

  get jwt(): string {
    return this.token;
  }

  checkAlive(): void {
    if (this.controller.signal.aborted) throw new Halted();
  }

  sleep(ms: number): Promise<void> {
    const { signal } = this.controller;
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(new Halted());
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(new Halted());
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Ends the session: everything waiting on it throws Halted; STOMP DISCONNECT. */
  async end(): Promise<void> {
    this.controller.abort();
    const push = this.push;
    this.push = undefined;
    await push?.close().catch(() => undefined);
  }

  /** W1 + W2; concurrent callers share one attempt. A failure leaves an empty token (§11). */
  login(): Promise<boolean> {
    this.loginInFlight ??= this.doLogin().finally(() => (this.loginInFlight = undefined));
    return this.loginInFlight;
  }

  private async doLogin(): Promise<boolean> {
    const { api, wallet, account } = this.deps;
    const challenge = await api.getChallenge(wallet, this.signal);
    if (!challenge.ok) return this.loginFailed(challenge.error);
    const signature = await signLoginChallenge(account, challenge.value);
    const jwt = await api.login(wallet, signature, this.signal);
    if (!jwt.ok) return this.loginFailed(jwt.error);
    this.token = jwt.value;
    return true;
  }

  private loginFailed(error: string): false {
    this.token = '';
    if (!this.ended) this.deps.problem('login-failed', error);
    return false;
  }

  /**
   * The generic wrapper (register, R2, W6): 3 attempts, a pause between them, a login after a
   * 401; attempts without any HTTP status are retried for as long as the session lives.
   */
  async withRetry<T>(what: string, call: (token: string) => Promise<ApiResult<T>>) {
    for (let attempt = 1; ;) {
      const result = await call(this.token);
      this.checkAlive();
      if (result.ok) return result.value;
      if (result.status === 401) await this.login();
      if (result.status !== 0 && ++attempt > 3) {
        this.deps.problem('retry-exhausted', `${what}: ${result.error}`);
        return undefined;
      }
      await this.sleep(this.deps.retryDelayMs ?? 2000);
    }
  }

  /** An authenticated call made once; a 401 triggers a login (R1, W3). */
  async once<T>(call: (token: string) => Promise<ApiResult<T>>): Promise<ApiResult<T>> {
    const result = await call(this.token);
    this.checkAlive();
    if (result.status === 401) await this.login();
    return result;
  }

  /** §8.1: no report is posted while the STOMP session is down. */
  async waitForPushSession(): Promise<void> {
    for (;;) {
      this.checkAlive();
      const push = this.push;
      if (!push) throw new Halted();
      if (push.isConnected()) return;
      await push.waitUntilConnected(1000).catch(() => undefined);
    }
  }

  /**
   * §7.6 delivery loop: wait for the push session, post, and post again until the answer decodes
   * (401 → login first). Bounded here: `maxPostAttempts`, or past `finalDeadline` (seconds).
   */
  async deliver(
    chainTaskId: string,
    body: ReplicateStatusUpdateBody,
    finalDeadline?: number,
  ): Promise<Delivery> {
    const { api, stats } = this.deps;
    const maxPosts = this.deps.maxPostAttempts ?? 10_000;
    for (let posts = 1; ; posts++) {
      await this.waitForPushSession();
      const result = await api.updateStatus(this.token, chainTaskId, body, this.signal);
      stats.recordStatusPost();
      this.checkAlive();
      if (result.ok) return { answer: result.value, posts };
      if (result.status === 401) await this.login();
      const late = finalDeadline !== undefined && Date.now() / 1000 > finalDeadline;
      if (posts >= maxPosts || late) return { posts, error: result.error };
      if (result.status === 0) await this.sleep(this.deps.transportRetryDelayMs ?? 100);
    }
  }
}
