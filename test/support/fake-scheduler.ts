// An in-memory stand-in for the scheduler's worker API and push channel, to drive simulated
// workers without Nest or Mongo: real login and authorization signatures, the next actions of
// worker-api.md §4.8, the "already reported" rule, and a push hub the test publishes on.
import type { LocalAccount } from 'viem';
import type { ReplicateTaskSummary } from '../../devstack/worker/decoders.js';
import type { ReplicateStatusUpdateBody } from '../../devstack/worker/protocol.js';
import type { ApiResult, SchedulerApi, WorkerModel } from '../../devstack/worker/scheduler-api.js';
import type { PushChannel, PushFactory } from '../../devstack/worker/worker-push.js';
import { ZERO_ADDRESS } from '../../src/chain/chain-models.js';
import { signWorkerpoolAuthorization } from '../../src/chain/workerpool-authorization.js';
import { TaskNotificationType } from '../../src/notification/task-notification-type.js';
import type { TaskNotification } from '../../src/notification/task-notification.js';
import { ReplicateStatus } from '../../src/replicate/replicate-status.js';
import type { PublicConfiguration } from '../../src/worker/public-configuration.js';
import { isLoginSignatureValid } from '../../src/worker/auth/login-signature.js';

const S = ReplicateStatus;
const N = TaskNotificationType;

const CONTINUE = new Set([
  S.STARTING,
  S.APP_DOWNLOADING,
  S.DATA_DOWNLOADING,
  S.COMPUTING,
  S.CONTRIBUTING,
  S.REVEALING,
  S.RESULT_UPLOADING,
  S.CONTRIBUTE_AND_FINALIZE_ONGOING,
  S.COMPLETING,
]);
const WAIT = new Set([
  S.CONTRIBUTED,
  S.REVEALED,
  S.RESULT_UPLOADED,
  S.CONTRIBUTE_AND_FINALIZE_DONE,
  S.COMPLETED,
]);
const ABORT = new Set([
  S.START_FAILED,
  S.APP_DOWNLOAD_FAILED,
  S.DATA_DOWNLOAD_FAILED,
  S.COMPUTE_FAILED,
  S.RESULT_UPLOAD_FAILED,
  S.CONTRIBUTE_AND_FINALIZE_FAILED,
  S.COMPLETE_FAILED,
]);

export interface Offer {
  chainTaskId: string;
  /** Only this wallet gets it (default: the first worker asking). */
  wallet?: string;
  enclaveChallenge?: string;
  smsUrl?: string | null;
  /** Signs the authorization instead of the scheduler (a forged offer). */
  signer?: LocalAccount;
  /** COMPUTED answers PLEASE_CONTRIBUTE_AND_FINALIZE (TEE, trust 1, no callback). */
  contributeAndFinalize?: boolean;
}

export interface Post {
  wallet: string;
  chainTaskId: string;
  body: ReplicateStatusUpdateBody;
  http: number;
  answer?: string;
}

const ok = <T>(value: T, status = 200): ApiResult<T> => ({ ok: true, status, value });
const ko = <T>(status: number, error = `HTTP ${status}`): ApiResult<T> => ({
  ok: false,
  status,
  error,
});

export class FakeScheduler implements SchedulerApi {
  config: PublicConfiguration;
  fingerprint = '0xf1';
  readonly offers: Offer[] = [];
  readonly registered = new Map<string, WorkerModel>();
  readonly posts: Post[] = [];
  readonly histories = new Map<string, ReplicateStatus[]>();
  readonly interruptedFor = new Map<string, TaskNotification[]>();
  readonly computingFor = new Map<string, string[]>();
  readonly calls: string[] = [];
  /** Answers the next N R3 posts with this HTTP status (e.g. 503, 401) before the real answer. */
  failNextPosts: { count: number; status: number } = { count: 0, status: 503 };
  private readonly tokens = new Map<string, string>();
  private readonly challenges = new Map<string, string>();
  private readonly cAndF = new Set<string>();
  private counter = 0;

  constructor(readonly scheduler: LocalAccount) {
    this.config = {
      workerPoolAddress: '0x365E7BABAa85eC61Dffe5b520763062e6C29dA27',
      schedulerPublicAddress: scheduler.address.toLowerCase(),
      blockchainAdapterUrl: 'http://localhost:8888',
      configServerUrl: 'http://localhost:8888',
      resultRepositoryURL: 'http://localhost:13200',
      askForReplicatePeriod: 20,
      requiredWorkerVersion: '',
    };
  }

  history(chainTaskId: string, wallet: string): ReplicateStatus[] {
    return this.histories.get(`${chainTaskId}:${wallet}`) ?? [];
  }

  postsOf(wallet: string, chainTaskId?: string): Post[] {
    return this.posts.filter(
      (p) => p.wallet === wallet && (!chainTaskId || p.chainTaskId === chainTaskId),
    );
  }

  /** Invalidates every token (scheduler restart): the next authenticated call gets 401. */
  forgetTokens(): void {
    this.tokens.clear();
  }

  private wallet(token: string): string | undefined {
    return this.tokens.get(token);
  }

  async getConfig() {
    this.calls.push('W5');
    return ok(this.config);
  }

  async getChallenge(wallet: string) {
    this.calls.push(`W1 ${wallet}`);
    const challenge = this.challenges.get(wallet) ?? `challenge-${++this.counter}`;
    this.challenges.set(wallet, challenge);
    return ok(challenge);
  }

  async login(wallet: string, signature: string) {
    this.calls.push(`W2 ${wallet}`);
    const challenge = this.challenges.get(wallet);
    if (!challenge || !isLoginSignatureValid(challenge, signature, wallet)) return ko<string>(401);
    this.challenges.delete(wallet);
    const token = `jwt-${wallet}-${++this.counter}`;
    this.tokens.set(token, wallet);
    return ok(token);
  }

  async register(token: string, worker: WorkerModel) {
    const wallet = this.wallet(token);
    if (!wallet) return ko<void>(401);
    this.calls.push(`W4 ${wallet}`);
    this.registered.set(wallet, worker);
    return ok(undefined as void);
  }

  async ping(token: string) {
    const wallet = this.wallet(token);
    if (!wallet) return ko<string>(401);
    this.calls.push(`W3 ${wallet}`);
    return ok(this.fingerprint);
  }

  async computing(token: string) {
    const wallet = this.wallet(token);
    if (!wallet) return ko<string[]>(401);
    this.calls.push(`W6 ${wallet}`);
    return ok(this.computingFor.get(wallet) ?? []);
  }

  async available(token: string, blockNumber: number) {
    const wallet = this.wallet(token);
    if (!wallet) return ko<ReplicateTaskSummary | null>(401);
    this.calls.push(`R1 ${wallet} ${blockNumber}`);
    const index = this.offers.findIndex((o) => !o.wallet || o.wallet === wallet);
    if (index < 0 || blockNumber <= 0) return ok(null, 204);
    const [offer] = this.offers.splice(index, 1);
    if (offer.contributeAndFinalize) this.cAndF.add(offer.chainTaskId);
    this.histories.set(`${offer.chainTaskId}:${wallet}`, [S.CREATED]);
    const workerpoolAuthorization = await signWorkerpoolAuthorization(
      offer.signer ?? this.scheduler,
      {
        chainTaskId: offer.chainTaskId,
        workerWallet: wallet,
        enclaveChallenge: offer.enclaveChallenge ?? ZERO_ADDRESS,
      },
    );
    return ok({ workerpoolAuthorization, smsUrl: offer.smsUrl ?? null });
  }

  async interrupted(token: string, blockNumber: number) {
    const wallet = this.wallet(token);
    if (!wallet) return ko<TaskNotification[]>(401);
    this.calls.push(`R2 ${wallet} ${blockNumber}`);
    const list = this.interruptedFor.get(wallet) ?? [];
    this.interruptedFor.delete(wallet);
    return ok(list);
  }

  async updateStatus(token: string, chainTaskId: string, body: ReplicateStatusUpdateBody) {
    const wallet = this.wallet(token) ?? '';
    const post: Post = { wallet, chainTaskId, body: structuredClone(body), http: 0 };
    this.posts.push(post);
    if (this.failNextPosts.count > 0) {
      this.failNextPosts.count--;
      post.http = this.failNextPosts.status;
      return ko<TaskNotificationType>(post.http);
    }
    if (!wallet) return ko<TaskNotificationType>((post.http = 401));
    const history = this.histories.get(`${chainTaskId}:${wallet}`);
    const answer = (http: number, type?: TaskNotificationType) => {
      post.http = http;
      post.answer = type;
      return type ? ok(type, http) : ko<TaskNotificationType>(http, 'empty body');
    };
    if (!history) return answer(202, N.PLEASE_ABORT);
    if (history.includes(body.status)) return answer(208, N.PLEASE_WAIT);
    if (body.status === S.CONTRIBUTE_FAILED || body.status === S.REVEAL_FAILED) {
      return answer(202, N.PLEASE_ABORT);
    }
    history.push(body.status);
    return answer(200, this.nextAction(chainTaskId, body.status));
  }

  private nextAction(
    chainTaskId: string,
    status: ReplicateStatus,
  ): TaskNotificationType | undefined {
    if (CONTINUE.has(status)) return N.PLEASE_CONTINUE;
    if (WAIT.has(status)) return N.PLEASE_WAIT;
    if (ABORT.has(status)) return N.PLEASE_ABORT;
    switch (status) {
      case S.STARTED:
        return N.PLEASE_DOWNLOAD_APP;
      case S.APP_DOWNLOADED:
        return N.PLEASE_DOWNLOAD_DATA;
      case S.DATA_DOWNLOADED:
        return N.PLEASE_COMPUTE;
      case S.COMPUTED:
        return this.cAndF.has(chainTaskId) ? N.PLEASE_CONTRIBUTE_AND_FINALIZE : N.PLEASE_CONTRIBUTE;
      default:
        return undefined; // ABORTED and the like: 200 with an empty body
    }
  }
}

/** The push channel of several workers: the test publishes, subscribed workers receive. */
export class FakePushHub {
  readonly channels: FakePush[] = [];
  /** New channels connect at once unless false. */
  autoConnect = true;

  readonly factory: PushFactory = () => {
    const channel = new FakePush(this.autoConnect);
    this.channels.push(channel);
    return channel;
  };

  /** Delivers to every open channel subscribed to the task, as JSON through the wire. */
  publish(notification: TaskNotification): void {
    const wire = JSON.stringify(notification);
    for (const channel of this.channels)
      channel.deliver(notification.chainTaskId, JSON.parse(wire));
  }
}

export class FakePush implements PushChannel {
  connected = false;
  closed = false;
  readonly topics = new Map<string, (notification: unknown) => void>();
  private waiters: (() => void)[] = [];

  constructor(private readonly autoConnect: boolean) {}

  connect(): void {
    if (this.autoConnect) this.open();
  }

  /** Establishes the session (tests holding the connection back call it by hand). */
  open(): void {
    this.connected = true;
    for (const resolve of this.waiters.splice(0)) resolve();
  }

  isConnected(): boolean {
    return this.connected && !this.closed;
  }

  waitUntilConnected(timeoutMs = 1000): Promise<void> {
    if (this.isConnected()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('not connected')), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  subscribe(chainTaskId: string, handler: (notification: unknown) => void): void {
    this.topics.set(chainTaskId, handler);
  }

  unsubscribe(chainTaskId: string): void {
    this.topics.delete(chainTaskId);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.connected = false;
  }

  deliver(chainTaskId: string, notification: unknown): void {
    if (this.isConnected()) this.topics.get(chainTaskId)?.(notification);
  }
}
