// Blockchain Adapter stand-in (services.md §2, chain.md §10): basic-auth'd initialize/finalize
// commands, pre-checked on chain, executed asynchronously as real transactions by the adapter's
// wallet (the workerpool owner in the dev stack), and their statuses.
import { stringToHex, type Address, type Hex, type LocalAccount } from 'viem';
import { devRoles } from '../chain/accounts.js';
import type { ChainClients } from '../chain/clients.js';
import { hubAbi } from '../poco/abi.js';
import type { PocoDeployment } from '../poco/deployment.js';
import { viewCategory } from '../poco/reads.js';
import { taskIdOf } from '../poco/signatures.js';
import { ChainTaskStatus } from '../../src/chain/chain-status.js';
import {
  CommandEngine,
  type AdapterCommand,
  type AdapterCommandKind,
  type AdapterCommandStatus,
} from './adapter-commands.js';
import { bytes32Param, chainView, type ChainView } from './chain-view.js';
import { chainConfigPayload, chainConfigRoutes, type ChainConfigOptions } from './config-server.js';
import {
  badRequest,
  header,
  json,
  jsonBody,
  notFound,
  serveRoutes,
  text,
  unauthorized,
  type Handler,
  type Reply,
  type Route,
  type ServeOptions,
  type StandInRequest,
} from './http.js';

export const BLOCKCHAIN_ADAPTER_PORT = 13010;
export const DEFAULT_ADAPTER_USER = { username: 'admin', password: 'whatever' } as const;
/** The gas a transaction may use at most (chain.md §11): the wallet must afford one. */
const GAS_LIMIT_CAP = 1_000_000n;

export interface BlockchainAdapterOptions
  extends ServeOptions, Omit<ChainConfigOptions, 'deployment'> {
  deployment: PocoDeployment;
  clients?: ChainClients;
  /** Sends the transactions; must own the workerpools for finalize (default: scheduler role). */
  wallet?: LocalAccount;
  username?: string;
  password?: string;
  /** Pause between two send attempts of a command (default 200 ms). */
  retryDelayMs?: number;
}

export interface BlockchainAdapterStandIn {
  url: string;
  port: number;
  username: string;
  password: string;
  /** The adapter's wallet address. */
  wallet: Address;
  /** A copy of the command's current state. */
  command(kind: AdapterCommandKind, chainTaskId: string): AdapterCommand | undefined;
  commands(): AdapterCommand[];
  /** Test hook: accepted commands stay RECEIVED until resume(). */
  pause(): void;
  resume(): void;
  /** Test hook: the next `count` commands of this kind fail every send attempt → FAILURE. */
  failNext(kind: AdapterCommandKind, count?: number): void;
  /** Test hook: commands stay PROCESSING this long before their transaction is sent. */
  setProcessingDelay(ms: number): void;
  /**
   * Test hook: command POSTs are answered `ms` late (after a client's timeout), the command
   * accepted and run meanwhile; refusals too when `refusals` (default: at once, a duplicate is
   * refused by an in-memory check). 0 turns it off.
   */
  answerPostsLate(ms: number, options?: { refusals?: boolean }): void;
  /** Resolves once no command is queued or running. */
  idle(): Promise<void>;
  /** Forgets settled commands (a new command for the same task is then accepted again). */
  clear(): void;
  stop(): Promise<void>;
}

class BlockchainAdapter {
  private contributionRatio: bigint | undefined;

  constructor(
    readonly chain: ChainView,
    readonly engine: CommandEngine,
    readonly wallet: LocalAccount,
    private readonly sidechain: boolean,
  ) {}

  /** chain.md §11 hasEnoughGas: one transaction at the current gas price (always on a sidechain). */
  private async checkGas(): Promise<void> {
    if (this.sidechain) return;
    const client = this.chain.clients.publicClient;
    const [balance, gasPrice] = await Promise.all([
      client.getBalance({ address: this.wallet.address }),
      client.getGasPrice(),
    ]);
    if (balance < GAS_LIMIT_CAP * gasPrice)
      throw badRequest(`adapter wallet ${this.wallet.address} has no gas`);
  }

  private async deadlineRatio(): Promise<bigint> {
    this.contributionRatio ??= await this.chain.clients.publicClient.readContract({
      address: this.chain.ctx.deployment.hub,
      abi: hubAbi,
      functionName: 'contribution_deadline_ratio',
    });
    return this.contributionRatio;
  }

  /** Pre-checks run with the task id reserved, so a concurrent duplicate is refused. */
  private async accept(
    kind: AdapterCommandKind,
    chainTaskId: Hex,
    checks: () => Promise<AdapterCommand['call']>,
  ): Promise<Reply> {
    if (!this.engine.reserve(kind, chainTaskId)) throw badRequest(`${kind} already requested`);
    try {
      await this.checkGas();
      const call = await checks();
      this.engine.submit(kind, chainTaskId, call);
    } finally {
      this.engine.release(kind, chainTaskId);
    }
    return text(chainTaskId);
  }

  /** POST /v1/tasks/initialize?chainDealId=&taskIndex= */
  initialize(request: StandInRequest): Promise<Reply> {
    const dealId = bytes32Param(request.query.get('chainDealId'), 'chainDealId');
    const rawIndex = request.query.get('taskIndex') ?? '';
    if (!/^\d{1,18}$/.test(rawIndex)) throw badRequest('taskIndex must be a natural number');
    const index = BigInt(rawIndex);
    const chainTaskId = taskIdOf(dealId, index);
    return this.accept('initialize', chainTaskId, async () => {
      if (await this.chain.task(chainTaskId)) throw badRequest('task already initialized');
      const deal = await this.chain.deal(dealId);
      const category = await viewCategory(this.chain.ctx, deal.category);
      const deadline = deal.startTime + category.workClockTimeRef * (await this.deadlineRatio());
      if (deal.startTime === 0n || deadline <= (await this.chain.now())) {
        throw badRequest('deal unknown or past its contribution deadline');
      }
      return { functionName: 'initialize', args: [dealId, index] };
    });
  }

  /** POST /v1/tasks/finalize/{chainTaskId}, body {resultLink, callbackData}. */
  finalize(request: StandInRequest): Promise<Reply> {
    const chainTaskId = bytes32Param(request.params.chainTaskId, 'chainTaskId');
    const body = jsonBody(request) as Record<string, unknown> | null;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw badRequest('body must be {"resultLink", "callbackData"}');
    }
    const { resultLink, callbackData } = body;
    if (resultLink != null && typeof resultLink !== 'string')
      throw badRequest('resultLink must be a string');
    if (callbackData != null && typeof callbackData !== 'string') {
      throw badRequest('callbackData must be a string');
    }
    const callbackHex = (callbackData ?? '').replace(/^0x/, '');
    if (!/^([0-9a-fA-F]{2})*$/.test(callbackHex)) throw badRequest('callbackData must be hex');
    return this.accept('finalize', chainTaskId, async () => {
      const task = await this.chain.task(chainTaskId);
      if (task?.status !== ChainTaskStatus.REVEALING) throw badRequest('task is not REVEALING');
      const now = await this.chain.now();
      if (task.finalDeadline <= now) throw badRequest('final deadline passed');
      const enoughReveals =
        task.revealCounter === task.winnerCounter ||
        (task.revealCounter > 0n && task.revealDeadline <= now);
      if (!enoughReveals) throw badRequest('not enough reveals yet');
      const results = stringToHex(resultLink ?? '');
      return {
        functionName: 'finalize',
        args: [chainTaskId, results, `0x${callbackHex.toLowerCase()}`],
      };
    });
  }

  status(kind: AdapterCommandKind, request: StandInRequest): Reply {
    const chainTaskId = bytes32Param(request.params.chainTaskId, 'chainTaskId');
    const command = this.engine.get(kind, chainTaskId);
    if (!command) throw notFound(`no ${kind} command for ${chainTaskId}`);
    return json(command.status satisfies AdapterCommandStatus);
  }
}

function basicAuth(username: string, password: string, handler: Handler): Handler {
  const expected = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  return (request) => {
    if (header(request, 'authorization') !== expected) throw unauthorized('bad basic credentials');
    return handler(request);
  };
}

/** Blockchain Adapter on `options.port` (0 = free port). */
export async function startBlockchainAdapter(
  options: BlockchainAdapterOptions,
): Promise<BlockchainAdapterStandIn> {
  const chain = chainView(options.deployment, options.clients);
  const wallet = options.wallet ?? devRoles().scheduler;
  const username = options.username ?? DEFAULT_ADAPTER_USER.username;
  const password = options.password ?? DEFAULT_ADAPTER_USER.password;
  const engine = new CommandEngine({
    clients: chain.clients,
    hub: options.deployment.hub,
    wallet,
    retryDelayMs: options.retryDelayMs,
  });
  const adapter = new BlockchainAdapter(chain, engine, wallet, options.sidechain ?? false);
  const payload = chainConfigPayload(options);
  const secured = (handler: Handler) => basicAuth(username, password, handler);
  const late = { ms: 0, refusals: false };
  const lateAnswer =
    (handler: Handler): Handler =>
    async (request) => {
      const wait = () => new Promise((resolve) => setTimeout(resolve, late.ms));
      try {
        const reply = await handler(request);
        if (late.ms > 0) await wait();
        return reply;
      } catch (error) {
        if (late.ms > 0 && late.refusals) await wait();
        throw error;
      }
    };
  const routes: Route[] = chainConfigRoutes(() => payload);
  // the current paths, then the deprecated ones without /v1
  for (const prefix of ['/v1', '']) {
    routes.push(
      {
        method: 'POST',
        path: `${prefix}/tasks/initialize`,
        handler: secured(lateAnswer((r) => adapter.initialize(r))),
      },
      {
        method: 'GET',
        path: `${prefix}/tasks/initialize/:chainTaskId/status`,
        handler: secured((r) => adapter.status('initialize', r)),
      },
      {
        method: 'POST',
        path: `${prefix}/tasks/finalize/:chainTaskId`,
        handler: secured(lateAnswer((r) => adapter.finalize(r))),
      },
      {
        method: 'GET',
        path: `${prefix}/tasks/finalize/:chainTaskId/status`,
        handler: secured((r) => adapter.status('finalize', r)),
      },
    );
  }
  const server = await serveRoutes('blockchain-adapter', routes, options);
  return {
    url: server.url,
    port: server.port,
    username,
    password,
    wallet: wallet.address,
    command(kind, chainTaskId) {
      const command = engine.get(kind, chainTaskId);
      return command && { ...command };
    },
    commands: () => engine.all().map((command) => ({ ...command })),
    pause: () => engine.pause(),
    resume: () => engine.resume(),
    failNext: (kind, count) => engine.failNext(kind, count),
    setProcessingDelay: (ms) => engine.setProcessingDelay(ms),
    answerPostsLate(ms, options = {}) {
      late.ms = ms;
      late.refusals = options.refusals ?? false;
    },
    idle: () => engine.idle(),
    clear: () => engine.clearSettled(),
    async stop() {
      await engine.halt();
      await server.stop();
    },
  };
}
