// A whole scheduler in-process against this Jest worker's dev chain and the Mongo-wire server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { writeSchedulerWallet } from '../../devstack/wallet.js';
import { createApp } from '../../src/bootstrap.js';
import { AppConfig } from '../../src/config/app-config.js';
import { RawEnvironment } from '../../src/config/load-config.js';
import { TestChain } from './chain.js';
import { testConfig } from './config.js';
import { dropDatabase, isolatedMongoUrl } from './mongo.js';

export interface RunningScheduler {
  app: NestFastifyApplication;
  baseUrl: string;
  config: AppConfig;
  mongoUrl: string;
  /** Resolves the provider of a class (services, repositories) of the running app. */
  get<T>(type: abstract new (...args: never[]) => T): T;
  /** Stops the app (the database stays, so a new instance can take over). */
  stop(): Promise<void>;
  /** Stops the app and drops its database. */
  close(): Promise<void>;
}

/** Fast periods for tests: block time 0.2 s, detectors every second. */
export const FAST_SCHEDULER_ENV: RawEnvironment = {
  IEXEC_BLOCK_TIME: 'PT0.2S',
  IEXEC_DEAL_POLLING_INTERVAL: '100',
  IEXEC_CHAIN_HEALTH_MAX_BLOCK_AGE: '0',
  IEXEC_CHAIN_HEALTH_POLLING_INTERVAL_IN_BLOCKS: '1',
  IEXEC_CHAIN_HEALTH_OUT_OF_SERVICE_THRESHOLD: '2',
  IEXEC_ASK_REPLICATE_PERIOD: '500',
  CRON_DEAL_REPLAY: '1000',
  CRON_DETECTOR_WORKERLOST: '1000',
  CRON_DETECTOR_CHAIN_UNSTARTEDTX: '1000',
  CRON_DETECTOR_CHAIN_INITIALIZE: '1000',
  CRON_DETECTOR_CHAIN_CONTRIBUTE: '1000',
  CRON_DETECTOR_CHAIN_CONSENSUSREACHED: '1000',
  CRON_DETECTOR_CHAIN_REVEAL: '1000',
  CRON_DETECTOR_CHAIN_CONTRIBUTEANDFINALIZE: '1000',
  CRON_DETECTOR_CHAIN_FINALIZE: '1000',
  CRON_DETECTOR_CHAIN_FINALDEADLINE: '1000',
  REVEAL_TIMEOUT_PERIOD: '1000',
  CRON_DETECTOR_TIMEOUT_RESULTUPLOAD: '1000',
  CRON_METRICS_REFRESH_PERIOD: '1000',
};

/** Environment of a scheduler serving `workerpool` on the test chain (embedded writer, no service needed). */
export function schedulerEnv(
  chain: TestChain,
  workerpool: string,
  walletPath: string,
  mongoUrl: string,
): RawEnvironment {
  return {
    ...FAST_SCHEDULER_ENV,
    MONGO_URL: mongoUrl,
    IEXEC_PRIVATE_CHAIN_ADDRESS: chain.rpcUrl,
    IEXEC_CHAIN_ID: String(chain.chainId),
    IEXEC_HUB_ADDRESS: chain.deployment.hub,
    POOL_ADDRESS: workerpool,
    IEXEC_CORE_WALLET_PATH: walletPath,
    IEXEC_CORE_WALLET_PASSWORD: 'whatever',
    IEXEC_CHAIN_WRITER: 'embedded',
    // TEE tests start SMS stand-ins and override these.
    SMS_SCONE: 'http://127.0.0.1:9',
    SMS_GRAMINE: 'http://127.0.0.1:9',
  };
}

/**
 * Starts the scheduler for `workerpool` (owned by the dev scheduler role). Pass `mongoUrl` to
 * take over the database of a previous instance, and its `port` (restart tests).
 */
export async function startScheduler(
  chain: TestChain,
  workerpool: string,
  options: {
    env?: RawEnvironment;
    mongoUrl?: string;
    walletDir?: string;
    port?: number;
    /** Called on the created app before it starts (Fastify hooks that must see every route). */
    beforeListen?: (app: NestFastifyApplication) => void;
  } = {},
): Promise<RunningScheduler> {
  const walletDir = options.walletDir ?? mkdtempSync(join(tmpdir(), 'iexec-wallet-'));
  const wallet = writeSchedulerWallet(join(walletDir, 'scheduler.json'));
  const mongoUrl = options.mongoUrl ?? isolatedMongoUrl('scheduler');
  const config = testConfig({
    ...schedulerEnv(chain, workerpool, wallet.path, mongoUrl),
    ...options.env,
  });
  const app = await createApp(config);
  options.beforeListen?.(app);
  await app.listen(options.port ?? 0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await app.close();
    if (!options.walletDir) rmSync(walletDir, { recursive: true, force: true });
  };
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    config,
    mongoUrl,
    get: (type) => app.get(type),
    stop,
    close: async () => {
      await stop();
      await dropDatabase(mongoUrl);
    },
  };
}

/** Polls `check` every `pollMs` until it returns a truthy value (or throws after `timeoutMs`). */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 15000,
  what = 'condition',
  pollMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  throw new Error(
    `${what} not met within ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`,
  );
}
