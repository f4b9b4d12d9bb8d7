import { HttpModule, HttpService } from '@nestjs/axios';
import { Global, Logger, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { JobScheduler } from '../common/jobs/job-scheduler.js';
import { ChainClock } from './chain-clock.js';
import { ChainContext, createChainContext, verifyWalletOnChain } from './chain-context.js';
import { blockFollowingPollMs } from './chain-config.js';
import { ChainHealthService } from './chain-health.service.js';
import { GasCheckCache } from './gas-check-cache.js';
import { WALLET_VERIFIED } from './chain.tokens.js';
import { PocoReader } from './poco-reader.js';
import { TaskDescriptionService } from './task-description.service.js';
import { AdapterChainWriter } from './writer/adapter-chain-writer.js';
import { ChainWriter } from './writer/chain-writer.js';
import { EmbeddedChainWriter } from './writer/embedded-chain-writer.js';
import { originOf } from '../common/redact.js';
import { MetricsRegistry } from '../metrics/metrics-registry.js';

/** Wallet, chain parameters, PoCo reads and writes, chain health. Boot fails here on a bad chain setup. */
@Global()
@Module({
  imports: [HttpModule],
  providers: [
    {
      provide: ChainContext,
      inject: [AppConfig, { token: MetricsRegistry, optional: true }],
      useFactory: (config: AppConfig, metrics?: MetricsRegistry) =>
        createChainContext(
          config,
          metrics && metrics.operations.observeRpcCall.bind(metrics.operations),
        ),
    },
    {
      // The on-chain boot checks; deferred to the first good health check when the node is down.
      provide: WALLET_VERIFIED,
      inject: [ChainContext, AppConfig],
      useFactory: async (context: ChainContext, config: AppConfig) => {
        const verified = await verifyWalletOnChain(context, config.chain.gasPriceCap);
        if (!verified)
          new Logger('ChainModule').warn(
            `Node ${originOf(config.chain.nodeUrl)} unreachable at boot: starting OUT_OF_SERVICE`,
          );
        return verified;
      },
    },
    ChainClock,
    PocoReader,
    GasCheckCache,
    TaskDescriptionService,
    ChainHealthService,
    {
      provide: ChainWriter,
      inject: [AppConfig, ChainContext, HttpService, JobScheduler],
      useFactory: (
        config: AppConfig,
        context: ChainContext,
        http: HttpService,
        jobs: JobScheduler,
      ) => {
        const pollMs = blockFollowingPollMs(context.chainConfig.blockTimeMs);
        return config.chain.writer === 'embedded'
          ? new EmbeddedChainWriter(config, context, jobs, pollMs)
          : new AdapterChainWriter(config, http, jobs, pollMs);
      },
    },
  ],
  exports: [
    ChainContext,
    ChainClock,
    PocoReader,
    GasCheckCache,
    TaskDescriptionService,
    ChainHealthService,
    ChainWriter,
  ],
})
export class ChainModule {}
