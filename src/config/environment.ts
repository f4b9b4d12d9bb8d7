import { EnvVar } from './env-var.decorator.js';
import {
  IsAddressList,
  IsAnyString,
  IsEthAddress,
  IsHostname,
  IsHttpProtocol,
  IsHttpUrl,
  IsListOf,
  IsMongoUrl,
  IsNonEmptyString,
  IsNonNegativeBigInt,
  IsNonNegativeInt,
  IsNumberAtLeast,
  IsOneOf,
  IsOptionalBoolean,
  IsOptionalDuration,
  IsOptionalEthAddress,
  IsOptionalHttpUrl,
  IsOptionalPositiveInt,
  IsPositiveBigInt,
  IsPositiveInt,
  IsTcpPort,
} from './validators.js';

export const ACTUATOR_ENDPOINTS = ['health', 'info', 'prometheus', 'metrics', '*'] as const;
export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'OFF'] as const;
export const CHAIN_WRITER_MODES = ['adapter', 'embedded'] as const;

const G = {
  server: 'Server',
  mongo: 'MongoDB',
  registry: 'Platform Registry and SMS',
  workers: 'Workers',
  wallet: 'Wallet',
  chain: 'Chain',
  deals: 'Deal watcher',
  adapter: 'Blockchain Adapter',
  configServer: 'Config Server',
  result: 'Result Proxy',
  ops: 'Operations',
  cron: 'Detectors and jobs (periods in ms)',
} as const;

/**
 * Every environment variable the scheduler reads, validated. The property name is the variable
 * name. Names, defaults and types follow iexec-core 8.5 (persistence-and-ops.md §8); `extension`
 * marks the few this implementation adds. The README table and `.env.example` are generated from
 * these declarations (and a test keeps them in sync).
 */
export class Environment {
  // --- Server --------------------------------------------------------------------------------
  @EnvVar({
    group: G.server,
    kind: 'int',
    default: '13000',
    property: 'server.port',
    description: 'HTTP port of the scheduler API.',
  })
  @IsTcpPort()
  IEXEC_CORE_PORT!: number;

  @EnvVar({
    group: G.server,
    default: 'INFO',
    property: 'logging.level',
    description: `Log level: ${LOG_LEVELS.join(', ')}.`,
  })
  @IsOneOf(LOG_LEVELS, true)
  IEXEC_LOG_LEVEL!: string;

  @EnvVar({
    group: G.server,
    kind: 'list',
    default: 'health, info',
    property: 'management.endpoints.web.exposure.include',
    description: `Comma-separated actuator endpoints to expose (${ACTUATOR_ENDPOINTS.join(', ')}).`,
  })
  @IsListOf(ACTUATOR_ENDPOINTS)
  IEXEC_CORE_MANAGEMENT_ACTUATORS!: string[];

  @EnvVar({
    group: G.server,
    default: '',
    extension: true,
    description: 'Bearer token for the /admin endpoints (deal replay). Empty disables them.',
  })
  @IsAnyString()
  IEXEC_CORE_ADMIN_TOKEN!: string;

  // --- MongoDB -------------------------------------------------------------------------------
  @EnvVar({
    group: G.mongo,
    default: 'localhost',
    property: 'spring.data.mongodb.host',
    description: 'MongoDB host (database `iexec`).',
  })
  @IsHostname()
  MONGO_HOST!: string;

  @EnvVar({
    group: G.mongo,
    kind: 'int',
    default: '13002',
    property: 'spring.data.mongodb.port',
    description: 'MongoDB port.',
  })
  @IsTcpPort()
  MONGO_PORT!: number;

  @EnvVar({
    group: G.mongo,
    default: '',
    extension: true,
    description:
      'Full MongoDB connection string; when set it replaces MONGO_HOST/MONGO_PORT (database from its path, else `iexec`).',
  })
  @IsMongoUrl()
  MONGO_URL!: string;

  @EnvVar({
    group: G.mongo,
    kind: 'int',
    default: '30000',
    extension: true,
    description: 'How long boot waits for MongoDB (ms) before failing.',
  })
  @IsPositiveInt('a positive number of milliseconds')
  MONGO_CONNECT_TIMEOUT!: number;

  // --- Platform Registry / SMS ---------------------------------------------------------------
  @EnvVar({
    group: G.registry,
    default: 'http://localhost:8888',
    property: 'spring.config.import',
    description:
      'Platform Registry (Spring Cloud Config server) URL, read once at boot for sms.scone / sms.gramine.',
  })
  @IsHttpUrl()
  IEXEC_PLATFORM_REGISTRY!: string;

  @EnvVar({
    group: G.registry,
    default: '',
    property: 'spring.cloud.config.profile',
    description: 'Platform Registry profile (empty means `default`).',
  })
  @IsAnyString()
  IEXEC_PLATFORM_REGISTRY_STACK!: string;

  @EnvVar({
    group: G.registry,
    default: '',
    property: 'spring.cloud.config.label',
    description: 'Platform Registry label(s), comma-separated, tried in order.',
  })
  @IsAnyString()
  IEXEC_PLATFORM_REGISTRY_LABEL!: string;

  @EnvVar({
    group: G.registry,
    default: '',
    property: 'sms.scone',
    description: 'SMS URL for SCONE tasks; overrides the Platform Registry value.',
  })
  @IsOptionalHttpUrl()
  SMS_SCONE!: string;

  @EnvVar({
    group: G.registry,
    default: '',
    property: 'sms.gramine',
    description: 'SMS URL for Gramine tasks; overrides the Platform Registry value.',
  })
  @IsOptionalHttpUrl()
  SMS_GRAMINE!: string;

  // --- Workers -------------------------------------------------------------------------------
  @EnvVar({
    group: G.workers,
    kind: 'int',
    default: '5000',
    property: 'workers.askForReplicatePeriod',
    description:
      'Period (ms) between two replicate demands of a worker; also the server-side throttle.',
  })
  @IsPositiveInt('a positive number of milliseconds')
  IEXEC_ASK_REPLICATE_PERIOD!: number;

  @EnvVar({
    group: G.workers,
    default: '',
    property: 'workers.requiredWorkerVersion',
    description: 'Worker version workers must run (empty: any).',
  })
  @IsAnyString()
  IEXEC_CORE_REQUIRED_WORKER_VERSION!: string;

  @EnvVar({
    group: G.workers,
    kind: 'list',
    default: '',
    property: 'workers.whitelist',
    description:
      'Comma-separated worker wallets allowed to log in (exact match; empty: everybody).',
  })
  @IsAddressList()
  IEXEC_WORKERS_WHITELIST!: string[];

  // --- Wallet --------------------------------------------------------------------------------
  @EnvVar({
    group: G.wallet,
    default: './src/main/resources/wallet/encrypted-wallet_scheduler.json',
    property: 'wallet.encryptedFilePath',
    description: 'Encrypted JSON keystore of the scheduler wallet (must own the workerpool).',
  })
  @IsNonEmptyString()
  IEXEC_CORE_WALLET_PATH!: string;

  @EnvVar({
    group: G.wallet,
    default: 'whatever',
    property: 'wallet.password',
    description: 'Password of the keystore.',
  })
  @IsAnyString()
  IEXEC_CORE_WALLET_PASSWORD!: string;

  // --- Chain ---------------------------------------------------------------------------------
  @EnvVar({
    group: G.chain,
    default: 'http://localhost:8545',
    aliases: ['IEXEC_BLOCKCHAIN_NODE_ADDRESS'],
    property: 'chain.privateAddress',
    description: 'JSON-RPC URL of the chain node.',
  })
  @IsHttpUrl()
  IEXEC_PRIVATE_CHAIN_ADDRESS!: string;

  @EnvVar({
    group: G.chain,
    default: '0x365E7BABAa85eC61Dffe5b520763062e6C29dA27',
    property: 'chain.poolAddress',
    description: 'Workerpool address this scheduler serves.',
  })
  @IsEthAddress()
  POOL_ADDRESS!: string;

  @EnvVar({
    group: G.chain,
    kind: 'bigint',
    default: '0',
    property: 'chain.startBlockNumber',
    description:
      'First block scanned for deals on an empty database (the stored cursor wins afterwards).',
  })
  @IsNonNegativeBigInt('a block number (integer >= 0)')
  IEXEC_START_BLOCK_NUMBER!: bigint;

  @EnvVar({
    group: G.chain,
    kind: 'number',
    default: '1.0',
    property: 'chain.gasPriceMultiplier',
    description: 'Multiplier applied to the network gas price.',
  })
  @IsNumberAtLeast(1)
  IEXEC_GAS_PRICE_MULTIPLIER!: number;

  @EnvVar({
    group: G.chain,
    kind: 'bigint',
    default: '22000000000',
    property: 'chain.gasPriceCap',
    description: 'Gas price cap (wei); also sets the balance threshold (1,000,000 x cap).',
  })
  @IsPositiveBigInt('a gas price in wei (integer > 0)')
  IEXEC_GAS_PRICE_CAP!: bigint;

  @EnvVar({
    group: G.chain,
    kind: 'int',
    default: '3',
    property: 'chain.health.pollingIntervalInBlocks',
    description: 'Chain health check period, in block times.',
  })
  @IsPositiveInt()
  IEXEC_CHAIN_HEALTH_POLLING_INTERVAL_IN_BLOCKS!: number;

  @EnvVar({
    group: G.chain,
    kind: 'int',
    default: '4',
    property: 'chain.health.outOfServiceThreshold',
    description: 'Consecutive failed checks before OUT_OF_SERVICE.',
  })
  @IsPositiveInt()
  IEXEC_CHAIN_HEALTH_OUT_OF_SERVICE_THRESHOLD!: number;

  @EnvVar({
    group: G.chain,
    kind: 'int',
    default: '300000',
    extension: true,
    description:
      'Out of service when the latest block is older than this (ms); 0 disables the check (for automine dev chains).',
  })
  @IsNonNegativeInt('a number of milliseconds (integer >= 0)')
  IEXEC_CHAIN_HEALTH_MAX_BLOCK_AGE!: number;

  @EnvVar({
    group: G.chain,
    kind: 'int',
    default: '',
    extension: true,
    description:
      'Chain id; with the hub address and block time it replaces the Config Server answer.',
  })
  @IsOptionalPositiveInt()
  IEXEC_CHAIN_ID!: number | undefined;

  @EnvVar({
    group: G.chain,
    default: '',
    extension: true,
    description: 'PoCo hub (diamond) address override.',
  })
  @IsOptionalEthAddress()
  IEXEC_HUB_ADDRESS!: string;

  @EnvVar({
    group: G.chain,
    default: '',
    extension: true,
    description: 'Block time override: seconds or ISO-8601 (e.g. 5, PT5S).',
  })
  @IsOptionalDuration()
  IEXEC_BLOCK_TIME!: string;

  @EnvVar({
    group: G.chain,
    kind: 'boolean',
    default: '',
    extension: true,
    description: 'Sidechain flag override (true disables balance checks).',
  })
  @IsOptionalBoolean()
  IEXEC_IS_SIDECHAIN!: boolean | undefined;

  @EnvVar({
    group: G.chain,
    default: 'adapter',
    extension: true,
    description:
      'Who sends initialize/finalize: `adapter` (Blockchain Adapter, as Java) or `embedded` (the scheduler wallet).',
  })
  @IsOneOf(CHAIN_WRITER_MODES)
  IEXEC_CHAIN_WRITER!: string;

  // --- Deal watcher --------------------------------------------------------------------------
  @EnvVar({
    group: G.deals,
    kind: 'int',
    default: '0',
    extension: true,
    description: 'Blocks a deal must be buried under before it is read (reorg protection).',
  })
  @IsNonNegativeInt()
  IEXEC_DEAL_CONFIRMATION_BLOCKS!: number;

  @EnvVar({
    group: G.deals,
    kind: 'int',
    default: '1000',
    extension: true,
    description: 'Largest block window of one eth_getLogs call.',
  })
  @IsPositiveInt()
  IEXEC_DEAL_MAX_BLOCK_RANGE!: number;

  @EnvVar({
    group: G.deals,
    kind: 'int',
    default: '',
    extension: true,
    description:
      'Deal polling period (ms); defaults to a quarter of the block time (100-500 ms). Logs are read only when a block came.',
  })
  @IsOptionalPositiveInt('a positive number of milliseconds')
  IEXEC_DEAL_POLLING_INTERVAL!: number | undefined;

  // --- Blockchain Adapter --------------------------------------------------------------------
  @EnvVar({
    group: G.adapter,
    default: 'http',
    property: 'blockchain-adapter.protocol',
    description: 'Blockchain Adapter protocol.',
  })
  @IsHttpProtocol()
  IEXEC_CORE_CHAIN_ADAPTER_PROTOCOL!: string;

  @EnvVar({
    group: G.adapter,
    default: 'localhost',
    property: 'blockchain-adapter.host',
    description: 'Blockchain Adapter host.',
  })
  @IsHostname()
  IEXEC_CORE_CHAIN_ADAPTER_HOST!: string;

  @EnvVar({
    group: G.adapter,
    kind: 'int',
    default: '13010',
    property: 'blockchain-adapter.port',
    description: 'Blockchain Adapter port.',
  })
  @IsTcpPort()
  IEXEC_CORE_CHAIN_ADAPTER_PORT!: number;

  @EnvVar({
    group: G.adapter,
    default: '',
    description:
      'Blockchain Adapter URL; replaces protocol/host/port when set (later Java versions).',
  })
  @IsOptionalHttpUrl()
  IEXEC_CORE_CHAIN_ADAPTER_URL!: string;

  @EnvVar({
    group: G.adapter,
    default: 'admin',
    property: 'blockchain-adapter.user.name',
    description: 'Blockchain Adapter basic-auth user.',
  })
  @IsAnyString()
  IEXEC_CORE_CHAIN_ADAPTER_USERNAME!: string;

  @EnvVar({
    group: G.adapter,
    default: 'whatever',
    property: 'blockchain-adapter.user.password',
    description: 'Blockchain Adapter basic-auth password.',
  })
  @IsAnyString()
  IEXEC_CORE_CHAIN_ADAPTER_PASSWORD!: string;

  // --- Config Server -------------------------------------------------------------------------
  @EnvVar({
    group: G.configServer,
    default: 'http',
    property: 'config-server.protocol',
    description: 'Config Server protocol.',
  })
  @IsHttpProtocol()
  IEXEC_CONFIG_SERVER_PROTOCOL!: string;

  @EnvVar({
    group: G.configServer,
    default: 'localhost',
    property: 'config-server.host',
    description: 'Config Server host.',
  })
  @IsHostname()
  IEXEC_CONFIG_SERVER_HOST!: string;

  @EnvVar({
    group: G.configServer,
    kind: 'int',
    default: '8888',
    property: 'config-server.port',
    description: 'Config Server port.',
  })
  @IsTcpPort()
  IEXEC_CONFIG_SERVER_PORT!: number;

  @EnvVar({
    group: G.configServer,
    default: '',
    description: 'Config Server URL; replaces protocol/host/port when set (later Java versions).',
  })
  @IsOptionalHttpUrl()
  IEXEC_CONFIG_SERVER_URL!: string;

  // --- Result Proxy --------------------------------------------------------------------------
  @EnvVar({
    group: G.result,
    default: 'http',
    property: 'resultRepository.protocol',
    description: 'Result Proxy protocol.',
  })
  @IsHttpProtocol()
  IEXEC_RESULT_REPOSITORY_PROTOCOL!: string;

  @EnvVar({
    group: G.result,
    default: 'localhost',
    property: 'resultRepository.host',
    description: 'Result Proxy host.',
  })
  @IsHostname()
  IEXEC_RESULT_REPOSITORY_HOST!: string;

  @EnvVar({
    group: G.result,
    kind: 'int',
    default: '13200',
    property: 'resultRepository.port',
    description: 'Result Proxy port.',
  })
  @IsTcpPort()
  IEXEC_RESULT_REPOSITORY_PORT!: number;

  @EnvVar({
    group: G.result,
    default: '',
    description: 'Result Proxy URL; replaces protocol/host/port when set (later Java versions).',
  })
  @IsOptionalHttpUrl()
  IEXEC_RESULT_REPOSITORY_URL!: string;

  // --- Operations ----------------------------------------------------------------------------
  @EnvVar({
    group: G.ops,
    kind: 'int',
    default: '1',
    property: 'logs.purge-rate-in-days',
    description: 'Compute logs purge period (days).',
  })
  @IsPositiveInt('a positive number of days')
  IEXEC_LOGS_PURGE_RATE_IN_DAYS!: number;

  @EnvVar({
    group: G.ops,
    kind: 'int',
    default: '3',
    property: 'logs.availability-period-in-days',
    description: 'Days compute logs are kept after the task final deadline.',
  })
  @IsNonNegativeInt('a number of days (integer >= 0)')
  IEXEC_LOGS_AVAILABILITY_PERIOD_IN_DAYS!: number;

  @EnvVar({
    group: G.ops,
    kind: 'int',
    default: '32',
    extension: true,
    description: 'Task updates running at the same time (one per task).',
  })
  @IsPositiveInt()
  IEXEC_TASK_UPDATE_CONCURRENCY!: number;

  // --- Detectors and jobs (application.yml properties, Spring relaxed-binding names) --------
  @EnvVar({
    group: G.cron,
    kind: 'int',
    default: '20000',
    property: 'cron.metrics.refresh.period',
    description: 'Worker gauges refresh.',
  })
  @IsPositiveInt('a positive number of milliseconds')
  CRON_METRICS_REFRESH_PERIOD!: number;

  @EnvVar({
    group: G.cron,
    kind: 'int',
    default: '60000',
    property: 'cron.deal.replay',
    description: 'Deal replay: re-reads the last window of blocks already scanned (safety net).',
  })
  @IsPositiveInt('a positive number of milliseconds')
  CRON_DEAL_REPLAY!: number;

  @EnvVar({
    group: G.cron,
    kind: 'int',
    default: '30000',
    aliases: ['CRON_DETECTOR_WORKER_LOST'],
    property: 'cron.detector.worker-lost',
    description: 'WorkerLostDetector.',
  })
  @IsPositiveInt('a positive number of milliseconds')
  CRON_DETECTOR_WORKERLOST!: number;

  @EnvVar({
    group: G.cron,
    kind: 'int',
    default: '300000',
    aliases: ['CRON_DETECTOR_CHAIN_UNSTARTED_TX'],
    property: 'cron.detector.chain.unstarted-tx',
    description: 'UnstartedTxDetector.',
  })
  @IsPositiveInt('a positive number of milliseconds')
  CRON_DETECTOR_CHAIN_UNSTARTEDTX!: number;

  @EnvVar({
    group: G.cron,
    kind: 'int',
    default: '30000',
    property: 'cron.detector.chain.initialize',
    description: 'InitializedTaskDetector.',
  })
  @IsPositiveInt('a positive number of milliseconds')
  CRON_DETECTOR_CHAIN_INITIALIZE!: number;

  @EnvVar({
    group: G.cron,
    kind: 'int',
    default: '30000',
    property: 'cron.detector.chain.contribute',
    description: 'ContributionTimeoutTaskDetector, ContributionUnnotifiedDetector.',
  })
  @IsPositiveInt('a positive number of milliseconds')
  CRON_DETECTOR_CHAIN_CONTRIBUTE!: number;

  @EnvVar({
    group: G.cron,
    kind: 'int',
    default: '30000',
    aliases: ['CRON_DETECTOR_CHAIN_CONSENSUS_REACHED'],
    property: 'cron.detector.chain.consensus-reached',
    description: 'ConsensusReachedTaskDetector.',
  })
  @IsPositiveInt('a positive number of milliseconds')
  CRON_DETECTOR_CHAIN_CONSENSUSREACHED!: number;

  @EnvVar({
    group: G.cron,
    kind: 'int',
    default: '30000',
    property: 'cron.detector.chain.reveal',
    description: 'RevealUnnotifiedDetector.',
  })
  @IsPositiveInt('a positive number of milliseconds')
  CRON_DETECTOR_CHAIN_REVEAL!: number;

  @EnvVar({
    group: G.cron,
    kind: 'int',
    default: '30000',
    aliases: ['CRON_DETECTOR_CHAIN_CONTRIBUTE_AND_FINALIZE'],
    property: 'cron.detector.chain.contribute-and-finalize',
    description: 'ContributionAndFinalizationUnnotifiedDetector.',
  })
  @IsPositiveInt('a positive number of milliseconds')
  CRON_DETECTOR_CHAIN_CONTRIBUTEANDFINALIZE!: number;

  @EnvVar({
    group: G.cron,
    kind: 'int',
    default: '30000',
    property: 'cron.detector.chain.finalize',
    description: 'FinalizedTaskDetector, ReopenedTaskDetector.',
  })
  @IsPositiveInt('a positive number of milliseconds')
  CRON_DETECTOR_CHAIN_FINALIZE!: number;

  @EnvVar({
    group: G.cron,
    kind: 'int',
    default: '30000',
    aliases: ['CRON_DETECTOR_CHAIN_FINAL_DEADLINE'],
    property: 'cron.detector.chain.final-deadline',
    description: 'FinalDeadlineTaskDetector.',
  })
  @IsPositiveInt('a positive number of milliseconds')
  CRON_DETECTOR_CHAIN_FINALDEADLINE!: number;

  @EnvVar({
    group: G.cron,
    kind: 'int',
    default: '120000',
    property: 'cron.detector.timeout.contribute',
    description: 'Accepted for compatibility; unused (as in Java).',
  })
  @IsPositiveInt('a positive number of milliseconds')
  CRON_DETECTOR_TIMEOUT_CONTRIBUTE!: number;

  @EnvVar({
    group: G.cron,
    kind: 'int',
    default: '120000',
    aliases: ['CRON_DETECTOR_TIMEOUT_REVEAL'],
    property: 'cron.detector.timeout.reveal',
    description: 'RevealTimeoutDetector.',
  })
  @IsPositiveInt('a positive number of milliseconds')
  REVEAL_TIMEOUT_PERIOD!: number;

  @EnvVar({
    group: G.cron,
    kind: 'int',
    default: '30000',
    aliases: ['CRON_DETECTOR_TIMEOUT_RESULT_UPLOAD'],
    property: 'cron.detector.timeout.result-upload',
    description: 'ReplicateResultUploadTimeoutDetector, TaskResultUploadTimeoutDetector.',
  })
  @IsPositiveInt('a positive number of milliseconds')
  CRON_DETECTOR_TIMEOUT_RESULTUPLOAD!: number;
}
