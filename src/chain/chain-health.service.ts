import { Inject, Injectable, Logger, OnModuleInit, Optional } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { JobScheduler } from '../common/jobs/job-scheduler.js';
import { HealthContributors } from '../health/health-contributors.js';
import { ComponentHealth } from '../health/health-status.js';
import { ChainClock } from './chain-clock.js';
import { ChainContext, verifyWalletOnChain } from './chain-context.js';
import {
  applyChainCheck,
  ChainCheck,
  ChainHealthState,
  INITIAL_CHAIN_HEALTH,
  isoDuration,
} from './chain-health.js';
import { PocoReader } from './poco-reader.js';
import { WALLET_VERIFIED } from './chain.tokens.js';
import { originOf } from '../common/redact.js';
import { MetricsRegistry } from '../metrics/metrics-registry.js';

export type ChainConnectionListener = (connected: boolean) => void;

const JOB = 'chain-health';

/**
 * Polls the latest block every IEXEC_CHAIN_HEALTH_POLLING_INTERVAL_IN_BLOCKS block times. The
 * scheduler starts out of service and stays so until a check succeeds; while out of service the
 * worker endpoints answer 503 and no transaction is sent.
 */
@Injectable()
export class ChainHealthService implements OnModuleInit {
  private readonly logger = new Logger(ChainHealthService.name);
  private state: ChainHealthState = INITIAL_CHAIN_HEALTH;
  private readonly listeners: ChainConnectionListener[] = [];
  readonly pollingIntervalMs: number;
  /** False until the wallet/workerpool checks ran (deferred when the node was down at boot). */
  private walletVerified = false;
  /** A fatal on-chain misconfiguration found after boot: stays out of service. */
  private blockedReason?: string;

  constructor(
    private readonly config: AppConfig,
    private readonly context: ChainContext,
    private readonly reader: PocoReader,
    private readonly jobs: JobScheduler,
    private readonly health: HealthContributors,
    @Inject(WALLET_VERIFIED) walletVerified: boolean,
    private readonly clock: ChainClock,
    @Optional() private readonly metrics?: MetricsRegistry,
  ) {
    this.walletVerified = walletVerified;
    this.pollingIntervalMs = Math.max(
      100,
      context.chainConfig.blockTimeMs * config.chain.healthPollingIntervalInBlocks,
    );
  }

  onModuleInit(): void {
    // OUT_OF_SERVICE: not ready, still live (a chain incident must not restart the scheduler).
    this.health.register('blockchainConnection', () => this.component(), {
      groups: ['readiness'],
    });
    this.jobs.register(JOB, this.pollingIntervalMs, () => this.check(), { runAtStart: true });
    this.metrics?.operations.readChainFiguresFrom(() => this.state);
    this.metrics?.operations.readWalletBalanceFrom(async () => {
      const balance = await this.reader.getBalance(this.context.account.address);
      if (balance === undefined)
        this.logger.warn(
          'Scheduler wallet balance unreadable at scrape: gauge keeps its last value',
        );
      return balance;
    });
  }

  isOutOfService(): boolean {
    return this.state.outOfService || this.blockedReason !== undefined;
  }

  latestKnownBlock(): bigint | undefined {
    return this.state.latestBlock;
  }

  /** Called with `true` when the chain comes back, `false` when the scheduler goes out of service. */
  onConnectionChange(listener: ChainConnectionListener): void {
    this.listeners.push(listener);
  }

  async check(): Promise<void> {
    const block = await this.reader.latestBlock();
    if (block) this.clock.observeBlock(Number(block.timestamp) * 1000);
    const check: ChainCheck = block
      ? {
          ok: true,
          blockNumber: block.number,
          blockTimestamp: new Date(Number(block.timestamp) * 1000),
        }
      : { ok: false, error: `no answer from ${originOf(this.config.chain.nodeUrl)}` };
    const { state, changed } = applyChainCheck(this.state, check, {
      threshold: this.config.chain.outOfServiceThreshold,
      maxBlockAgeMs: this.config.chain.maxBlockAgeMs,
      now: new Date(),
    });
    this.state = state;
    if (!state.outOfService && !this.walletVerified) await this.verifyWallet();
    if (state.consecutiveFailures > 0) {
      const level = state.outOfService ? 'error' : 'warn';
      this.logger[level](
        `Chain check failed (${state.consecutiveFailures} in a row): ${state.lastError}`,
      );
    }
    if (changed === 'connected') {
      this.logger.log(`Chain reachable (block ${state.latestBlock}): back in service`);
      this.listeners.forEach((l) => l(true));
    } else if (changed === 'disconnected') {
      this.logger.error(
        `Chain unreachable ${state.consecutiveFailures} times in a row: OUT_OF_SERVICE`,
      );
      this.listeners.forEach((l) => l(false));
    }
  }

  private async verifyWallet(): Promise<void> {
    try {
      this.walletVerified = await verifyWalletOnChain(this.context, this.config.chain.gasPriceCap);
    } catch (error) {
      this.walletVerified = true;
      this.blockedReason = (error as Error).message;
      this.logger.error(`Staying OUT_OF_SERVICE: ${this.blockedReason}`);
    }
  }

  component(): ComponentHealth {
    const s = this.state;
    return {
      status: this.isOutOfService() ? 'OUT_OF_SERVICE' : 'UP',
      details: {
        consecutiveFailures: s.consecutiveFailures,
        pollingInterval: isoDuration(this.pollingIntervalMs),
        outOfServiceThreshold: this.config.chain.outOfServiceThreshold,
        ...(s.firstFailure ? { firstFailure: s.firstFailure.toISOString().replace('Z', '') } : {}),
        ...(s.latestBlock !== undefined ? { latestBlock: Number(s.latestBlock) } : {}),
        ...(s.latestBlockTimestamp
          ? { latestBlockTimestamp: s.latestBlockTimestamp.toISOString() }
          : {}),
        ...(s.everSucceeded ? {} : { waitingForFirstCheck: true }),
        ...(s.lastError && s.consecutiveFailures > 0 ? { lastError: s.lastError } : {}),
        chainId: this.context.chainConfig.chainId,
        ...(this.blockedReason ? { misconfiguration: this.blockedReason } : {}),
      },
    };
  }
}
