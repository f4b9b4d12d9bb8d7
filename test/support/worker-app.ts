import {
  DynamicModule,
  Global,
  Module,
  type InjectionToken,
  type ModuleMetadata,
  type Provider,
} from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ScheduleModule } from '@nestjs/schedule';
import { Test, TestingModule } from '@nestjs/testing';
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  getAddress,
  http,
  type Hex,
  type PublicClient,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { configureApp, createHttpAdapter } from '../../src/common/http/http-app.js';
import { logLevels } from '../../src/common/logging/app-logger.js';
import { ChainContext } from '../../src/chain/chain-context.js';
import { JobsModule } from '../../src/common/jobs/jobs.module.js';
import { AppConfig } from '../../src/config/app-config.js';
import { AppConfigModule } from '../../src/config/config.module.js';
import { RawEnvironment } from '../../src/config/load-config.js';
import { DatabaseModule } from '../../src/database/database.module.js';
import { HealthModule } from '../../src/health/health.module.js';
import { deriveJwtSecret, workerJwtLabel } from '../../src/worker/auth/jwt.js';
import { WorkerModule } from '../../src/worker/worker.module.js';
import { testConfig } from './config.js';

/** The scheduler key of worker-api.md §13 (address 0x2D29bfBEc903479fe4Ba991918bAB99B494f2bEf). */
export const TEST_SCHEDULER_KEY: Hex =
  '0x2a46e8c1535792f6689b10d5c882c9363910c30751ec193ae71ec71630077909';

/** Nothing listens there: code under test that reaches the chain fails loudly. */
export const UNUSED_NODE_URL = 'http://127.0.0.1:9';

/**
 * A ChainContext with a real wallet and JWT secret but no chain behind it (chain id 134,
 * sidechain, clients pointing at {@link UNUSED_NODE_URL}).
 */
export function testChainContext(
  config: AppConfig,
  privateKey: Hex = TEST_SCHEDULER_KEY,
): ChainContext {
  const account = privateKeyToAccount(privateKey);
  const chain = defineChain({
    id: 134,
    name: 'iexec-test',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [UNUSED_NODE_URL] } },
  });
  const transport = http(UNUSED_NODE_URL, { retryCount: 0, timeout: 1000 });
  return new ChainContext(
    account,
    {
      chainId: 134,
      hubAddress: getAddress('0x3eca1b216a7df1c7689aeb259ffb83adfb894e7f'),
      blockTimeMs: 5000,
      sidechain: true,
    },
    chain,
    createPublicClient({ chain, transport }) as PublicClient,
    createWalletClient({ account, chain, transport }),
    getAddress(config.chain.poolAddress),
    deriveJwtSecret(privateKey, workerJwtLabel(config.workers.jwtGeneration)),
  );
}

/** A global module providing {@link testChainContext} in place of the real ChainModule. */
export function testChainModule(privateKey: Hex = TEST_SCHEDULER_KEY): DynamicModule {
  @Global()
  @Module({})
  class TestChainModule {}
  return {
    module: TestChainModule,
    providers: [
      {
        provide: ChainContext,
        inject: [AppConfig],
        useFactory: (c: AppConfig) => testChainContext(c, privateKey),
      },
    ],
    exports: [ChainContext],
  };
}

export interface WorkerAppOptions {
  /** Environment overrides (MONGO_URL at least). */
  env: RawEnvironment;
  schedulerKey?: Hex;
  /** Further modules under test (they may import WorkerModule themselves). */
  imports?: ModuleMetadata['imports'];
  /** Extra or overriding providers, e.g. `{ provide: CLOCK, useValue: () => now }`. */
  providers?: Provider[];
}

export interface RunningWorkerApp {
  app: NestFastifyApplication;
  moduleRef: TestingModule;
  config: AppConfig;
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * The scheduler's HTTP stack (same adapter, filters and pipes as production) with config,
 * database, jobs, health, a chain-less ChainContext and WorkerModule, listening on 127.0.0.1.
 */
export async function startWorkerApp(options: WorkerAppOptions): Promise<RunningWorkerApp> {
  const config = testConfig(options.env);
  @Global()
  @Module({ providers: options.providers ?? [], exports: (options.providers ?? []).map(tokenOf) })
  class TestProvidersModule {}
  const moduleRef = await Test.createTestingModule({
    imports: [
      AppConfigModule.forRoot(config),
      ScheduleModule.forRoot(),
      DatabaseModule,
      JobsModule,
      HealthModule,
      testChainModule(options.schedulerKey),
      TestProvidersModule,
      WorkerModule,
      ...(options.imports ?? []),
    ],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(config), {
    logger: logLevels(config.server.logLevel),
    bodyParser: false,
  });
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { app, moduleRef, config, baseUrl: `http://127.0.0.1:${port}`, close: () => app.close() };
}

function tokenOf(provider: Provider): InjectionToken {
  return typeof provider === 'function' ? provider : provider.provide;
}
