import { Gauge, Histogram, Registry } from 'prom-client';
import {
  HTTP_SERVER_BUCKETS,
  HTTP_SERVER_LABELS,
  HTTP_SERVER_REQUESTS,
  httpServerLabels,
} from './http-server-meter.js';

/** RPC and database calls: from a fraction of a millisecond to the RPC timeout. */
const CALL_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 30,
];

/** What the chain meters read at scrape time. */
export interface ChainFigures {
  latestBlock?: bigint;
  latestBlockTimestamp?: Date;
}

export type RpcOutcome = 'success' | 'error' | 'failure';

/**
 * The operators' meters fed by the HTTP server, the chain client and the database driver: HTTP
 * requests (Spring's names), the latest block and its age, the scheduler wallet balance, RPC
 * calls by method and outcome, database commands by name and outcome.
 */
export class OperationMeters {
  private readonly httpRequests: Histogram<(typeof HTTP_SERVER_LABELS)[number]>;
  private readonly rpcCalls: Histogram<'method' | 'outcome'>;
  private readonly mongoCommands: Histogram<'command' | 'outcome'>;
  private chainFigures: () => ChainFigures = () => ({});
  private walletBalance?: () => Promise<bigint | undefined>;

  constructor(
    registry: Registry,
    private readonly clock: () => number = Date.now,
  ) {
    this.httpRequests = new Histogram({
      name: HTTP_SERVER_REQUESTS,
      help: 'Duration of HTTP server request handling',
      labelNames: HTTP_SERVER_LABELS,
      buckets: HTTP_SERVER_BUCKETS,
      registers: [registry],
    });
    this.rpcCalls = new Histogram({
      name: 'iexec_core_rpc_requests_seconds',
      help: 'JSON-RPC calls to the chain node by method and outcome (success; error: a JSON-RPC error answer; failure: no answer, timeout or HTTP error)',
      labelNames: ['method', 'outcome'] as const,
      buckets: CALL_BUCKETS,
      registers: [registry],
    });
    this.mongoCommands = new Histogram({
      name: 'iexec_core_mongo_commands_seconds',
      help: 'MongoDB commands by name (find, update, insert, aggregate…) and outcome (success, failure)',
      labelNames: ['command', 'outcome'] as const,
      buckets: CALL_BUCKETS,
      registers: [registry],
    });
    const figures = () => this.chainFigures();
    const now = () => this.clock();
    new Gauge({
      name: 'iexec_core_chain_latest_block_number',
      help: 'Latest block number read from the chain node by the health check',
      registers: [registry],
      collect() {
        const { latestBlock } = figures();
        if (latestBlock !== undefined) this.set(Number(latestBlock));
      },
    });
    new Gauge({
      name: 'iexec_core_chain_latest_block_age_seconds',
      help: 'Seconds between the latest block timestamp and now (a stalled chain grows it)',
      registers: [registry],
      collect() {
        const { latestBlockTimestamp } = figures();
        if (latestBlockTimestamp)
          this.set(Math.max(0, (now() - latestBlockTimestamp.getTime()) / 1000));
      },
    });
    const balance = () => this.walletBalance?.();
    new Gauge({
      name: 'iexec_core_wallet_balance_wei',
      help: 'Balance of the scheduler wallet, read at scrape time (kept from the last good read when the node does not answer)',
      registers: [registry],
      async collect() {
        const wei = await balance();
        if (wei !== undefined) this.set(Number(wei));
      },
    });
  }

  observeHttpRequest(
    method: string,
    routeUrl: string | undefined,
    status: number,
    exception: string | undefined,
    seconds: number,
  ): void {
    this.httpRequests.observe(httpServerLabels(method, routeUrl, status, exception), seconds);
  }

  observeRpcCall(method: string, outcome: RpcOutcome, seconds: number): void {
    this.rpcCalls.observe({ method, outcome }, seconds);
  }

  observeMongoCommand(command: string, outcome: 'success' | 'failure', seconds: number): void {
    this.mongoCommands.observe({ command, outcome }, seconds);
  }

  readChainFiguresFrom(source: () => ChainFigures): void {
    this.chainFigures = source;
  }

  /** `read` resolves to the balance, or to undefined when it could not be read. */
  readWalletBalanceFrom(read: () => Promise<bigint | undefined>): void {
    this.walletBalance = read;
  }
}
