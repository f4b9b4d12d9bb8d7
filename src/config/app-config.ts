import { Environment } from './environment.js';
import { exposes } from './actuator-ids.js';
import { parseDurationMs, parseSpringDurationMs } from './validators.js';

export type LogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'OFF';
export type LogFormat = 'json' | 'text';
export type ChainWriterMode = 'adapter' | 'embedded';

export interface ChainConfigOverride {
  chainId: number;
  hubAddress: string;
  blockTimeMs: number;
  sidechain: boolean;
}

const JAVA_VERSION = '8.5.0';

function joinUrl(protocol: string, host: string, port: number): string {
  return `${protocol}://${host}:${port}`;
}

/** iexec-core 9.3's default range; the new name wins over the former deal-watcher one. */
export const DEFAULT_MAX_LOG_RANGE = 1000;
function maxLogRange(env: Environment): number {
  return env.IEXEC_MAX_LOG_RANGE ?? env.IEXEC_DEAL_MAX_BLOCK_RANGE ?? DEFAULT_MAX_LOG_RANGE;
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/**
 * The scheduler configuration: one typed, validated, immutable object injected everywhere.
 * Built from {@link Environment} by {@link loadConfig}; nothing else reads `process.env`.
 */
export class AppConfig {
  readonly server: {
    port: number;
    logLevel: LogLevel;
    logFormat: LogFormat;
    /** Deadline of a graceful shutdown. */
    shutdownTimeoutMs: number;
    actuators: readonly string[];
    adminToken: string;
  };
  readonly mongo: { url: string; database: string; connectTimeoutMs: number };
  /** The leader lease (issue 17 §2): margin, renewals and standby reads at a fifth of it. */
  readonly leadership: {
    leaseDurationMs: number;
    marginMs: number;
    renewEveryMs: number;
    pollEveryMs: number;
  };
  readonly platformRegistry: { url: string; stack: string; labels: readonly string[] };
  readonly sms: { scone: string; gramine: string; tdx: string };
  readonly workers: {
    askForReplicatePeriodMs: number;
    requiredWorkerVersion: string;
    whitelist: readonly string[];
    /** Generation of the worker JWT secret: a new one revokes every token issued before. */
    jwtGeneration: number;
    /** Requests per minute per client to each anonymous endpoint creating state; 0: unlimited. */
    anonymousRatePerMinute: number;
  };
  readonly wallet: { path: string; password: string };
  readonly chain: {
    nodeUrl: string;
    poolAddress: string;
    startBlockNumber: bigint;
    gasPriceMultiplier: number;
    gasPriceCap: bigint;
    healthPollingIntervalInBlocks: number;
    outOfServiceThreshold: number;
    maxBlockAgeMs: number;
    /** Largest block range of one eth_getLogs call (IEXEC_MAX_LOG_RANGE, alias IEXEC_DEAL_MAX_BLOCK_RANGE). */
    maxLogRange: number;
    writer: ChainWriterMode;
    /** Set when chain id, hub and block time are all given locally (no Config Server call). */
    override?: ChainConfigOverride;
    /** Partial local values applied on top of the Config Server answer. */
    partialOverride: Partial<ChainConfigOverride>;
  };
  readonly dealWatcher: {
    confirmationBlocks: number;
    maxBlockRange: number;
    pollingIntervalMs?: number;
  };
  readonly blockchainAdapter: {
    url: string;
    username: string;
    password: string;
    requestTimeoutMs: number;
  };
  readonly configServer: { url: string };
  readonly resultRepository: { url: string };
  readonly logs: { purgeRateInDays: number; availabilityPeriodInDays: number };
  readonly taskUpdate: { concurrency: number };
  /** How contribution and reveal claims of workers are checked against our node. */
  readonly claims: { confirmationBlocks: number; holdMs: number };
  readonly cron: {
    metricsRefreshMs: number;
    dealReplayMs: number;
    workerLostMs: number;
    unstartedTxMs: number;
    initializeMs: number;
    contributeMs: number;
    consensusReachedMs: number;
    revealMs: number;
    contributeAndFinalizeMs: number;
    finalizeMs: number;
    finalDeadlineMs: number;
    revealTimeoutMs: number;
    resultUploadTimeoutMs: number;
  };
  /** Version of the Java scheduler whose behaviour and worker protocol this one reproduces. */
  readonly compatibleJavaVersion = JAVA_VERSION;

  constructor(env: Environment) {
    this.server = {
      port: env.IEXEC_CORE_PORT,
      logLevel: env.IEXEC_LOG_LEVEL.toUpperCase() as LogLevel,
      logFormat: env.IEXEC_LOG_FORMAT.toLowerCase() as LogFormat,
      shutdownTimeoutMs: parseSpringDurationMs(env.IEXEC_SHUTDOWN_TIMEOUT)!,
      actuators: env.IEXEC_CORE_MANAGEMENT_ACTUATORS,
      adminToken: env.IEXEC_CORE_ADMIN_TOKEN,
    };
    this.mongo = mongoSettings(env);
    this.leadership = leadershipSettings(parseSpringDurationMs(env.IEXEC_CORE_LEASE_DURATION)!);
    this.platformRegistry = {
      url: stripSlash(env.IEXEC_PLATFORM_REGISTRY),
      stack: env.IEXEC_PLATFORM_REGISTRY_STACK.trim(),
      labels: env.IEXEC_PLATFORM_REGISTRY_LABEL.split(',')
        .map((l) => l.trim())
        .filter((l) => l !== ''),
    };
    this.sms = {
      scone: stripSlash(env.SMS_SCONE),
      gramine: stripSlash(env.SMS_GRAMINE),
      tdx: stripSlash(env.SMS_TDX),
    };
    this.workers = {
      askForReplicatePeriodMs: env.IEXEC_ASK_REPLICATE_PERIOD,
      requiredWorkerVersion: env.IEXEC_CORE_REQUIRED_WORKER_VERSION,
      whitelist: env.IEXEC_WORKERS_WHITELIST,
      jwtGeneration: env.IEXEC_WORKER_JWT_GENERATION,
      anonymousRatePerMinute: env.IEXEC_ANONYMOUS_RATE_LIMIT,
    };
    this.wallet = { path: env.IEXEC_CORE_WALLET_PATH, password: env.IEXEC_CORE_WALLET_PASSWORD };
    const partialOverride: Partial<ChainConfigOverride> = {};
    if (env.IEXEC_CHAIN_ID !== undefined) partialOverride.chainId = env.IEXEC_CHAIN_ID;
    if (env.IEXEC_HUB_ADDRESS) partialOverride.hubAddress = env.IEXEC_HUB_ADDRESS;
    if (env.IEXEC_BLOCK_TIME) partialOverride.blockTimeMs = parseDurationMs(env.IEXEC_BLOCK_TIME);
    if (env.IEXEC_IS_SIDECHAIN !== undefined) partialOverride.sidechain = env.IEXEC_IS_SIDECHAIN;
    const { chainId, hubAddress, blockTimeMs } = partialOverride;
    this.chain = {
      nodeUrl: stripSlash(env.IEXEC_PRIVATE_CHAIN_ADDRESS),
      poolAddress: env.POOL_ADDRESS,
      startBlockNumber: env.IEXEC_START_BLOCK_NUMBER,
      gasPriceMultiplier: env.IEXEC_GAS_PRICE_MULTIPLIER,
      gasPriceCap: env.IEXEC_GAS_PRICE_CAP,
      healthPollingIntervalInBlocks: env.IEXEC_CHAIN_HEALTH_POLLING_INTERVAL_IN_BLOCKS,
      outOfServiceThreshold: env.IEXEC_CHAIN_HEALTH_OUT_OF_SERVICE_THRESHOLD,
      maxBlockAgeMs: env.IEXEC_CHAIN_HEALTH_MAX_BLOCK_AGE,
      maxLogRange: maxLogRange(env),
      writer: env.IEXEC_CHAIN_WRITER as ChainWriterMode,
      override:
        chainId !== undefined && hubAddress && blockTimeMs !== undefined
          ? { chainId, hubAddress, blockTimeMs, sidechain: partialOverride.sidechain ?? false }
          : undefined,
      partialOverride,
    };
    this.dealWatcher = {
      confirmationBlocks: env.IEXEC_DEAL_CONFIRMATION_BLOCKS,
      maxBlockRange: maxLogRange(env),
      pollingIntervalMs: env.IEXEC_DEAL_POLLING_INTERVAL,
    };
    this.blockchainAdapter = {
      url: stripSlash(
        env.IEXEC_CORE_CHAIN_ADAPTER_URL ||
          joinUrl(
            env.IEXEC_CORE_CHAIN_ADAPTER_PROTOCOL,
            env.IEXEC_CORE_CHAIN_ADAPTER_HOST,
            env.IEXEC_CORE_CHAIN_ADAPTER_PORT,
          ),
      ),
      username: env.IEXEC_CORE_CHAIN_ADAPTER_USERNAME,
      password: env.IEXEC_CORE_CHAIN_ADAPTER_PASSWORD,
      requestTimeoutMs: env.IEXEC_CORE_CHAIN_ADAPTER_REQUEST_TIMEOUT,
    };
    this.configServer = {
      url: stripSlash(
        env.IEXEC_CONFIG_SERVER_URL ||
          joinUrl(
            env.IEXEC_CONFIG_SERVER_PROTOCOL,
            env.IEXEC_CONFIG_SERVER_HOST,
            env.IEXEC_CONFIG_SERVER_PORT,
          ),
      ),
    };
    this.resultRepository = {
      url: stripSlash(
        env.IEXEC_RESULT_REPOSITORY_URL ||
          joinUrl(
            env.IEXEC_RESULT_REPOSITORY_PROTOCOL,
            env.IEXEC_RESULT_REPOSITORY_HOST,
            env.IEXEC_RESULT_REPOSITORY_PORT,
          ),
      ),
    };
    this.logs = {
      purgeRateInDays: env.IEXEC_LOGS_PURGE_RATE_IN_DAYS,
      availabilityPeriodInDays: env.IEXEC_LOGS_AVAILABILITY_PERIOD_IN_DAYS,
    };
    this.taskUpdate = { concurrency: env.IEXEC_TASK_UPDATE_CONCURRENCY };
    this.claims = {
      confirmationBlocks: env.IEXEC_CLAIM_CONFIRMATION_BLOCKS,
      holdMs: env.IEXEC_CLAIM_HOLD_MS,
    };
    this.cron = {
      metricsRefreshMs: env.CRON_METRICS_REFRESH_PERIOD,
      dealReplayMs: env.CRON_DEAL_REPLAY,
      workerLostMs: env.CRON_DETECTOR_WORKERLOST,
      unstartedTxMs: env.CRON_DETECTOR_CHAIN_UNSTARTEDTX,
      initializeMs: env.CRON_DETECTOR_CHAIN_INITIALIZE,
      contributeMs: env.CRON_DETECTOR_CHAIN_CONTRIBUTE,
      consensusReachedMs: env.CRON_DETECTOR_CHAIN_CONSENSUSREACHED,
      revealMs: env.CRON_DETECTOR_CHAIN_REVEAL,
      contributeAndFinalizeMs: env.CRON_DETECTOR_CHAIN_CONTRIBUTEANDFINALIZE,
      finalizeMs: env.CRON_DETECTOR_CHAIN_FINALIZE,
      finalDeadlineMs: env.CRON_DETECTOR_CHAIN_FINALDEADLINE,
      revealTimeoutMs: env.REVEAL_TIMEOUT_PERIOD,
      resultUploadTimeoutMs: env.CRON_DETECTOR_TIMEOUT_RESULTUPLOAD,
    };
  }

  isActuatorExposed(endpoint: string): boolean {
    return exposes(this.server.actuators, endpoint);
  }
}

/**
 * The database a MONGO_URL names, `iexec` when it names none. Not read with `new URL`: a replica
 * set's `mongodb://h1:27017,h2:27017/iexec` is no WHATWG URL (its host list has several ports).
 */
export function mongoUrlDatabase(mongoUrl: string): string {
  const afterScheme = mongoUrl.replace(/^mongodb(\+srv)?:\/\//, '');
  const slash = afterScheme.indexOf('/');
  if (slash < 0) return 'iexec';
  const path = afterScheme.slice(slash + 1).split('?')[0];
  try {
    return decodeURIComponent(path) || 'iexec';
  } catch {
    return path;
  }
}

function leadershipSettings(leaseDurationMs: number): AppConfig['leadership'] {
  const fifth = Math.round(leaseDurationMs / 5);
  return { leaseDurationMs, marginMs: fifth, renewEveryMs: fifth, pollEveryMs: fifth };
}

function mongoSettings(env: Environment): AppConfig['mongo'] {
  if (env.MONGO_URL) {
    const database = mongoUrlDatabase(env.MONGO_URL);
    return { url: env.MONGO_URL, database, connectTimeoutMs: env.MONGO_CONNECT_TIMEOUT };
  }
  return {
    url: `mongodb://${env.MONGO_HOST}:${env.MONGO_PORT}/iexec?directConnection=true`,
    database: 'iexec',
    connectTimeoutMs: env.MONGO_CONNECT_TIMEOUT,
  };
}
