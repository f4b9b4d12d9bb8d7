import { AppConfig } from '../../src/config/app-config.js';
import {
  ConfigValidationError,
  environmentVariables,
  loadConfig,
  RawEnvironment,
} from '../../src/config/load-config.js';

type Case = [
  name: string,
  override: string,
  read: (c: AppConfig) => unknown,
  expectedDefault: unknown,
  expectedOverride: unknown,
];

const ADDRESS = '0x1234567890abcdef1234567890abcdef12345678';

// One row per variable: its default, and an override, both read back through the typed config.
const CASES: Case[] = [
  ['IEXEC_CORE_PORT', '14000', (c) => c.server.port, 13000, 14000],
  ['IEXEC_LOG_LEVEL', 'debug', (c) => c.server.logLevel, 'INFO', 'DEBUG'],
  ['IEXEC_LOG_FORMAT', 'TEXT', (c) => c.server.logFormat, 'json', 'text'],
  ['IEXEC_SHUTDOWN_TIMEOUT', '1m', (c) => c.server.shutdownTimeoutMs, 30000, 60000],
  [
    'IEXEC_CORE_LEASE_DURATION',
    '1s',
    (c) => c.leadership,
    { leaseDurationMs: 5000, marginMs: 1000, renewEveryMs: 1000, pollEveryMs: 1000 },
    { leaseDurationMs: 1000, marginMs: 200, renewEveryMs: 200, pollEveryMs: 200 },
  ],
  [
    'IEXEC_CORE_MANAGEMENT_ACTUATORS',
    'health,info,prometheus',
    (c) => c.server.actuators,
    ['health', 'info'],
    ['health', 'info', 'prometheus'],
  ],
  [
    'IEXEC_CORE_ADMIN_TOKEN',
    's3cret-admin-token-of-the-pool',
    (c) => c.server.adminToken,
    '',
    's3cret-admin-token-of-the-pool',
  ],
  [
    'MONGO_HOST',
    'mongo.internal',
    (c) => c.mongo.url,
    'mongodb://localhost:13002/iexec?directConnection=true',
    'mongodb://mongo.internal:13002/iexec?directConnection=true',
  ],
  [
    'MONGO_PORT',
    '27017',
    (c) => c.mongo.url,
    'mongodb://localhost:13002/iexec?directConnection=true',
    'mongodb://localhost:27017/iexec?directConnection=true',
  ],
  [
    'MONGO_URL',
    'mongodb://db:1234/other',
    (c) => [c.mongo.url, c.mongo.database],
    ['mongodb://localhost:13002/iexec?directConnection=true', 'iexec'],
    ['mongodb://db:1234/other', 'other'],
  ],
  ['MONGO_CONNECT_TIMEOUT', '1500', (c) => c.mongo.connectTimeoutMs, 30000, 1500],
  [
    'IEXEC_PLATFORM_REGISTRY',
    'http://registry:8888/',
    (c) => c.platformRegistry.url,
    'http://localhost:8888',
    'http://registry:8888',
  ],
  [
    'IEXEC_PLATFORM_REGISTRY_STACK',
    'bellecour3',
    (c) => c.platformRegistry.stack,
    '',
    'bellecour3',
  ],
  ['IEXEC_PLATFORM_REGISTRY_LABEL', 'v10, v9', (c) => c.platformRegistry.labels, [], ['v10', 'v9']],
  ['SMS_SCONE', 'http://scone-sms:13300', (c) => c.sms.scone, '', 'http://scone-sms:13300'],
  ['SMS_GRAMINE', 'http://gramine-sms:13300', (c) => c.sms.gramine, '', 'http://gramine-sms:13300'],
  ['SMS_TDX', 'http://tdx-sms:13300/', (c) => c.sms.tdx, '', 'http://tdx-sms:13300'],
  ['IEXEC_ASK_REPLICATE_PERIOD', '1000', (c) => c.workers.askForReplicatePeriodMs, 5000, 1000],
  [
    'IEXEC_CORE_REQUIRED_WORKER_VERSION',
    '8.5.0',
    (c) => c.workers.requiredWorkerVersion,
    '',
    '8.5.0',
  ],
  [
    'IEXEC_WORKERS_WHITELIST',
    `${ADDRESS}, ${ADDRESS.replace('12', '34')}`,
    (c) => c.workers.whitelist,
    [],
    [ADDRESS, ADDRESS.replace('12', '34')],
  ],
  ['IEXEC_WORKER_JWT_GENERATION', '3', (c) => c.workers.jwtGeneration, 0, 3],
  ['IEXEC_ANONYMOUS_RATE_LIMIT', '0', (c) => c.workers.anonymousRatePerMinute, 600, 0],
  [
    'IEXEC_CORE_WALLET_PATH',
    '/wallet.json',
    (c) => c.wallet.path,
    './src/main/resources/wallet/encrypted-wallet_scheduler.json',
    '/wallet.json',
  ],
  ['IEXEC_CORE_WALLET_PASSWORD', 'pw', (c) => c.wallet.password, 'whatever', 'pw'],
  [
    'IEXEC_PRIVATE_CHAIN_ADDRESS',
    'http://node:8545',
    (c) => c.chain.nodeUrl,
    'http://localhost:8545',
    'http://node:8545',
  ],
  [
    'POOL_ADDRESS',
    ADDRESS,
    (c) => c.chain.poolAddress,
    '0x365E7BABAa85eC61Dffe5b520763062e6C29dA27',
    ADDRESS,
  ],
  ['IEXEC_START_BLOCK_NUMBER', '123456789012', (c) => c.chain.startBlockNumber, 0n, 123456789012n],
  ['IEXEC_GAS_PRICE_MULTIPLIER', '1.3', (c) => c.chain.gasPriceMultiplier, 1, 1.3],
  ['IEXEC_GAS_PRICE_CAP', '50000000000', (c) => c.chain.gasPriceCap, 22000000000n, 50000000000n],
  [
    'IEXEC_CHAIN_HEALTH_POLLING_INTERVAL_IN_BLOCKS',
    '5',
    (c) => c.chain.healthPollingIntervalInBlocks,
    3,
    5,
  ],
  ['IEXEC_CHAIN_HEALTH_OUT_OF_SERVICE_THRESHOLD', '2', (c) => c.chain.outOfServiceThreshold, 4, 2],
  ['IEXEC_CHAIN_HEALTH_MAX_BLOCK_AGE', '0', (c) => c.chain.maxBlockAgeMs, 300000, 0],
  ['IEXEC_CHAIN_ID', '31337', (c) => c.chain.partialOverride.chainId, undefined, 31337],
  ['IEXEC_HUB_ADDRESS', ADDRESS, (c) => c.chain.partialOverride.hubAddress, undefined, ADDRESS],
  ['IEXEC_BLOCK_TIME', 'PT0.5S', (c) => c.chain.partialOverride.blockTimeMs, undefined, 500],
  ['IEXEC_IS_SIDECHAIN', 'TRUE', (c) => c.chain.partialOverride.sidechain, undefined, true],
  ['IEXEC_CHAIN_WRITER', 'embedded', (c) => c.chain.writer, 'adapter', 'embedded'],
  ['IEXEC_DEAL_CONFIRMATION_BLOCKS', '6', (c) => c.dealWatcher.confirmationBlocks, 0, 6],
  ['IEXEC_MAX_LOG_RANGE', '500', (c) => c.chain.maxLogRange, 1000, 500],
  ['IEXEC_DEAL_MAX_BLOCK_RANGE', '500', (c) => c.chain.maxLogRange, 1000, 500],
  ['IEXEC_DEAL_POLLING_INTERVAL', '250', (c) => c.dealWatcher.pollingIntervalMs, undefined, 250],
  [
    'IEXEC_CORE_CHAIN_ADAPTER_PROTOCOL',
    'https',
    (c) => c.blockchainAdapter.url,
    'http://localhost:13010',
    'https://localhost:13010',
  ],
  [
    'IEXEC_CORE_CHAIN_ADAPTER_HOST',
    'adapter',
    (c) => c.blockchainAdapter.url,
    'http://localhost:13010',
    'http://adapter:13010',
  ],
  [
    'IEXEC_CORE_CHAIN_ADAPTER_PORT',
    '9000',
    (c) => c.blockchainAdapter.url,
    'http://localhost:13010',
    'http://localhost:9000',
  ],
  [
    'IEXEC_CORE_CHAIN_ADAPTER_URL',
    'https://adapter.example:443/',
    (c) => c.blockchainAdapter.url,
    'http://localhost:13010',
    'https://adapter.example:443',
  ],
  ['IEXEC_CORE_CHAIN_ADAPTER_USERNAME', 'bob', (c) => c.blockchainAdapter.username, 'admin', 'bob'],
  [
    'IEXEC_CORE_CHAIN_ADAPTER_PASSWORD',
    'pw',
    (c) => c.blockchainAdapter.password,
    'whatever',
    'pw',
  ],
  [
    'IEXEC_CORE_CHAIN_ADAPTER_REQUEST_TIMEOUT',
    '1500',
    (c) => c.blockchainAdapter.requestTimeoutMs,
    30000,
    1500,
  ],
  [
    'IEXEC_CONFIG_SERVER_PROTOCOL',
    'https',
    (c) => c.configServer.url,
    'http://localhost:8888',
    'https://localhost:8888',
  ],
  [
    'IEXEC_CONFIG_SERVER_HOST',
    'config',
    (c) => c.configServer.url,
    'http://localhost:8888',
    'http://config:8888',
  ],
  [
    'IEXEC_CONFIG_SERVER_PORT',
    '9999',
    (c) => c.configServer.url,
    'http://localhost:8888',
    'http://localhost:9999',
  ],
  [
    'IEXEC_CONFIG_SERVER_URL',
    'http://config.example',
    (c) => c.configServer.url,
    'http://localhost:8888',
    'http://config.example',
  ],
  [
    'IEXEC_RESULT_REPOSITORY_PROTOCOL',
    'https',
    (c) => c.resultRepository.url,
    'http://localhost:13200',
    'https://localhost:13200',
  ],
  [
    'IEXEC_RESULT_REPOSITORY_HOST',
    'results',
    (c) => c.resultRepository.url,
    'http://localhost:13200',
    'http://results:13200',
  ],
  [
    'IEXEC_RESULT_REPOSITORY_PORT',
    '1320',
    (c) => c.resultRepository.url,
    'http://localhost:13200',
    'http://localhost:1320',
  ],
  [
    'IEXEC_RESULT_REPOSITORY_URL',
    'http://results.example:80',
    (c) => c.resultRepository.url,
    'http://localhost:13200',
    'http://results.example:80',
  ],
  ['IEXEC_LOGS_PURGE_RATE_IN_DAYS', '2', (c) => c.logs.purgeRateInDays, 1, 2],
  ['IEXEC_LOGS_AVAILABILITY_PERIOD_IN_DAYS', '7', (c) => c.logs.availabilityPeriodInDays, 3, 7],
  ['IEXEC_TASK_UPDATE_CONCURRENCY', '8', (c) => c.taskUpdate.concurrency, 32, 8],
  ['IEXEC_CLAIM_CONFIRMATION_BLOCKS', '0', (c) => c.claims.confirmationBlocks, 2, 0],
  ['IEXEC_CLAIM_HOLD_MS', '5000', (c) => c.claims.holdMs, 45000, 5000],
  ['CRON_METRICS_REFRESH_PERIOD', '1000', (c) => c.cron.metricsRefreshMs, 20000, 1000],
  ['CRON_DEAL_REPLAY', '1000', (c) => c.cron.dealReplayMs, 60000, 1000],
  ['CRON_DETECTOR_WORKERLOST', '1000', (c) => c.cron.workerLostMs, 30000, 1000],
  ['CRON_DETECTOR_CHAIN_UNSTARTEDTX', '1000', (c) => c.cron.unstartedTxMs, 300000, 1000],
  ['CRON_DETECTOR_CHAIN_INITIALIZE', '1000', (c) => c.cron.initializeMs, 30000, 1000],
  ['CRON_DETECTOR_CHAIN_CONTRIBUTE', '1000', (c) => c.cron.contributeMs, 30000, 1000],
  ['CRON_DETECTOR_CHAIN_CONSENSUSREACHED', '1000', (c) => c.cron.consensusReachedMs, 30000, 1000],
  ['CRON_DETECTOR_CHAIN_REVEAL', '1000', (c) => c.cron.revealMs, 30000, 1000],
  [
    'CRON_DETECTOR_CHAIN_CONTRIBUTEANDFINALIZE',
    '1000',
    (c) => c.cron.contributeAndFinalizeMs,
    30000,
    1000,
  ],
  ['CRON_DETECTOR_CHAIN_FINALIZE', '1000', (c) => c.cron.finalizeMs, 30000, 1000],
  ['CRON_DETECTOR_CHAIN_FINALDEADLINE', '1000', (c) => c.cron.finalDeadlineMs, 30000, 1000],
  ['CRON_DETECTOR_TIMEOUT_CONTRIBUTE', '1000', () => undefined, undefined, undefined],
  ['REVEAL_TIMEOUT_PERIOD', '1000', (c) => c.cron.revealTimeoutMs, 120000, 1000],
  ['CRON_DETECTOR_TIMEOUT_RESULTUPLOAD', '1000', (c) => c.cron.resultUploadTimeoutMs, 30000, 1000],
];

describe('loadConfig', () => {
  it('boots with defaults only', () => {
    expect(() => loadConfig({})).not.toThrow();
  });

  it('declares each variable in one section only', () => {
    const names = environmentVariables().map((d) => d.name);
    expect(names.length).toBe(75);
    expect(new Set(names).size).toBe(names.length);
  });

  it('has a test row for every declared variable', () => {
    expect(CASES.map(([name]) => name).sort()).toEqual(
      environmentVariables()
        .map((d) => d.name)
        .sort(),
    );
  });

  describe.each(CASES)('%s', (name, override, read, expectedDefault, expectedOverride) => {
    it('has the documented default', () => {
      expect(read(loadConfig({}))).toEqual(expectedDefault);
    });
    it('takes an override', () => {
      if (name === 'CRON_DETECTOR_TIMEOUT_CONTRIBUTE') {
        // accepted and validated for compatibility, used by nothing (as in the Java scheduler)
        expect(() => loadConfig({ [name]: override })).not.toThrow();
        expect(() => loadConfig({ [name]: '-1' })).toThrow(ConfigValidationError);
        return;
      }
      expect(read(loadConfig({ [name]: override }))).toEqual(expectedOverride);
    });
  });

  it('accepts the later Java single-URL names and relaxed-binding aliases', () => {
    const config = loadConfig({
      IEXEC_BLOCKCHAIN_NODE_ADDRESS: 'http://node.example:8545',
      CRON_DETECTOR_WORKER_LOST: '1234',
      CRON_DETECTOR_TIMEOUT_REVEAL: '4321',
    });
    expect(config.chain.nodeUrl).toBe('http://node.example:8545');
    expect(config.cron.workerLostMs).toBe(1234);
    expect(config.cron.revealTimeoutMs).toBe(4321);
  });

  it('prefers the canonical name over an alias', () => {
    const config = loadConfig({
      IEXEC_PRIVATE_CHAIN_ADDRESS: 'http://canonical:8545',
      IEXEC_BLOCKCHAIN_NODE_ADDRESS: 'http://alias:8545',
    });
    expect(config.chain.nodeUrl).toBe('http://canonical:8545');
  });

  it('builds a complete chain override only when chain id, hub and block time are all set', () => {
    expect(
      loadConfig({ IEXEC_CHAIN_ID: '5', IEXEC_HUB_ADDRESS: ADDRESS }).chain.override,
    ).toBeUndefined();
    expect(
      loadConfig({ IEXEC_CHAIN_ID: '5', IEXEC_HUB_ADDRESS: ADDRESS, IEXEC_BLOCK_TIME: '5' }).chain
        .override,
    ).toEqual({ chainId: 5, hubAddress: ADDRESS, blockTimeMs: 5000, sidechain: false });
  });

  it('reads the shutdown deadline as Spring does, under its Spring name too', () => {
    const ms = (v: string) => loadConfig({ IEXEC_SHUTDOWN_TIMEOUT: v }).server.shutdownTimeoutMs;
    expect([ms('500'), ms('500ms'), ms('45s'), ms('PT1M'), ms('2m')]).toEqual([
      500, 500, 45000, 60000, 120000,
    ]);
    expect(
      loadConfig({ SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE: '10s' }).server.shutdownTimeoutMs,
    ).toBe(10000);
  });

  it('accepts every positive gas price multiplier, below 1 too', () => {
    expect(loadConfig({ IEXEC_GAS_PRICE_MULTIPLIER: '0.5' }).chain.gasPriceMultiplier).toBe(0.5);
    expect(loadConfig({ IEXEC_GAS_PRICE_MULTIPLIER: '1e-3' }).chain.gasPriceMultiplier).toBe(0.001);
  });

  it('accepts the Spring Boot actuator ids it does not serve, and an empty list', () => {
    const config = loadConfig({ IEXEC_CORE_MANAGEMENT_ACTUATORS: 'health, env, thread-dump, x.y' });
    expect(config.server.actuators).toEqual(['health', 'env', 'thread-dump', 'x.y']);
    expect(config.isActuatorExposed('health')).toBe(true);
    expect(config.isActuatorExposed('env')).toBe(true);
    expect(loadConfig({ IEXEC_CORE_MANAGEMENT_ACTUATORS: '' }).isActuatorExposed('health')).toBe(
      false,
    );
  });

  it('compares actuator ids as Spring does (case, dashes)', () => {
    expect(
      loadConfig({ IEXEC_CORE_MANAGEMENT_ACTUATORS: 'Prome-theus' }).isActuatorExposed(
        'prometheus',
      ),
    ).toBe(true);
  });

  it('answers actuator exposure per the list, * exposing everything', () => {
    expect(loadConfig({}).isActuatorExposed('prometheus')).toBe(false);
    expect(loadConfig({}).isActuatorExposed('health')).toBe(true);
    expect(
      loadConfig({ IEXEC_CORE_MANAGEMENT_ACTUATORS: '*' }).isActuatorExposed('prometheus'),
    ).toBe(true);
  });
});

describe('eth_getLogs range', () => {
  it('IEXEC_MAX_LOG_RANGE wins over its former name IEXEC_DEAL_MAX_BLOCK_RANGE', () => {
    const both = loadConfig({ IEXEC_MAX_LOG_RANGE: '100', IEXEC_DEAL_MAX_BLOCK_RANGE: '500' });
    expect(both.chain.maxLogRange).toBe(100);
    expect(both.dealWatcher.maxBlockRange).toBe(100);
    const alias = loadConfig({ IEXEC_DEAL_MAX_BLOCK_RANGE: '500' });
    expect(alias.dealWatcher.maxBlockRange).toBe(500);
  });

  it('stops the boot on a range that is not a positive integer, naming the variable', () => {
    expect(() => loadConfig({ IEXEC_MAX_LOG_RANGE: '0' })).toThrow(/IEXEC_MAX_LOG_RANGE/);
    expect(() => loadConfig({ IEXEC_DEAL_MAX_BLOCK_RANGE: 'x' })).toThrow(
      /IEXEC_DEAL_MAX_BLOCK_RANGE/,
    );
  });
});

describe('loadConfig rejects bad values with one line per variable', () => {
  function problems(raw: RawEnvironment): string[] {
    try {
      loadConfig(raw);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigValidationError);
      return (error as ConfigValidationError).problems;
    }
    throw new Error('expected the configuration to be rejected');
  }

  it.each<[string, RawEnvironment, string, RegExp]>([
    ['non-numeric port', { IEXEC_CORE_PORT: 'abc' }, 'IEXEC_CORE_PORT', /TCP port/],
    ['out-of-range port', { MONGO_PORT: '70000' }, 'MONGO_PORT', /TCP port/],
    [
      'negative period',
      { REVEAL_TIMEOUT_PERIOD: '-5' },
      'REVEAL_TIMEOUT_PERIOD',
      /positive number of milliseconds/,
    ],
    ['zero period', { IEXEC_ASK_REPLICATE_PERIOD: '0' }, 'IEXEC_ASK_REPLICATE_PERIOD', /positive/],
    [
      'zero adapter timeout',
      { IEXEC_CORE_CHAIN_ADAPTER_REQUEST_TIMEOUT: '0' },
      'IEXEC_CORE_CHAIN_ADAPTER_REQUEST_TIMEOUT',
      /positive number of milliseconds/,
    ],
    [
      'fractional integer',
      { IEXEC_CHAIN_HEALTH_OUT_OF_SERVICE_THRESHOLD: '2.5' },
      'IEXEC_CHAIN_HEALTH_OUT_OF_SERVICE_THRESHOLD',
      /positive integer/,
    ],
    ['malformed address', { POOL_ADDRESS: '0x1234' }, 'POOL_ADDRESS', /0x followed by 40 hex/],
    [
      'malformed whitelist entry',
      { IEXEC_WORKERS_WHITELIST: `${ADDRESS},nope` },
      'IEXEC_WORKERS_WHITELIST',
      /addresses/,
    ],
    [
      'malformed URL',
      { IEXEC_PRIVATE_CHAIN_ADDRESS: 'localhost:8545' },
      'IEXEC_PRIVATE_CHAIN_ADDRESS',
      /http\(s\) URL/,
    ],
    [
      'non-http URL',
      { IEXEC_CONFIG_SERVER_URL: 'ftp://config' },
      'IEXEC_CONFIG_SERVER_URL',
      /http\(s\) URL/,
    ],
    [
      'bad protocol',
      { IEXEC_RESULT_REPOSITORY_PROTOCOL: 'tcp' },
      'IEXEC_RESULT_REPOSITORY_PROTOCOL',
      /http or https/,
    ],
    ['host with scheme', { MONGO_HOST: 'http://mongo' }, 'MONGO_HOST', /host name/],
    ['zero multiplier', { IEXEC_GAS_PRICE_MULTIPLIER: '0' }, 'IEXEC_GAS_PRICE_MULTIPLIER', /> 0/],
    [
      'non-numeric multiplier',
      { IEXEC_GAS_PRICE_MULTIPLIER: 'x' },
      'IEXEC_GAS_PRICE_MULTIPLIER',
      /> 0/,
    ],
    ['zero gas cap', { IEXEC_GAS_PRICE_CAP: '0' }, 'IEXEC_GAS_PRICE_CAP', /wei/],
    [
      'negative start block',
      { IEXEC_START_BLOCK_NUMBER: '-1' },
      'IEXEC_START_BLOCK_NUMBER',
      /block number/,
    ],
    [
      'malformed actuator id',
      { IEXEC_CORE_MANAGEMENT_ACTUATORS: 'health,1env' },
      'IEXEC_CORE_MANAGEMENT_ACTUATORS',
      /actuator ids/,
    ],
    ['unknown log level', { IEXEC_LOG_LEVEL: 'LOUD' }, 'IEXEC_LOG_LEVEL', /INFO/],
    ['unknown log format', { IEXEC_LOG_FORMAT: 'xml' }, 'IEXEC_LOG_FORMAT', /json, text/],
    ['zero shutdown deadline', { IEXEC_SHUTDOWN_TIMEOUT: '0s' }, 'IEXEC_SHUTDOWN_TIMEOUT', /30s/],
    [
      'too short a lease',
      { IEXEC_CORE_LEASE_DURATION: '100ms' },
      'IEXEC_CORE_LEASE_DURATION',
      /500ms/,
    ],
    [
      'unknown writer mode',
      { IEXEC_CHAIN_WRITER: 'both' },
      'IEXEC_CHAIN_WRITER',
      /adapter, embedded/,
    ],
    ['bad block time', { IEXEC_BLOCK_TIME: 'five' }, 'IEXEC_BLOCK_TIME', /duration/],
    [
      'claim hold past the worker read timeout',
      { IEXEC_CLAIM_HOLD_MS: '60000' },
      'IEXEC_CLAIM_HOLD_MS',
      /between 100 and 55000/,
    ],
    ['bad boolean', { IEXEC_IS_SIDECHAIN: 'yes' }, 'IEXEC_IS_SIDECHAIN', /true or false/],
    ['bad mongo url', { MONGO_URL: 'http://mongo' }, 'MONGO_URL', /mongodb:\/\//],
    ['mongo url without a host', { MONGO_URL: 'mongodb://u:p@' }, 'MONGO_URL', /mongodb:\/\//],
    ['empty wallet path', { IEXEC_CORE_WALLET_PATH: '' }, 'IEXEC_CORE_WALLET_PATH', /non-empty/],
  ])('%s', (_label, raw, variable, expected) => {
    const lines = problems(raw);
    expect(lines).toHaveLength(1);
    expect(lines[0].startsWith(`${variable}=`)).toBe(true);
    expect(lines[0]).toMatch(expected);
  });

  it('names the alias actually used in the message', () => {
    expect(problems({ IEXEC_BLOCKCHAIN_NODE_ADDRESS: 'nope' })[0]).toMatch(
      /^IEXEC_BLOCKCHAIN_NODE_ADDRESS="nope"/,
    );
  });

  it('reports every bad variable at once', () => {
    const lines = problems({ IEXEC_CORE_PORT: 'x', POOL_ADDRESS: 'y', CRON_DEAL_REPLAY: '-1' });
    expect(lines.map((l) => l.split('=')[0]).sort()).toEqual([
      'CRON_DEAL_REPLAY',
      'IEXEC_CORE_PORT',
      'POOL_ADDRESS',
    ]);
  });
});

describe('empty values', () => {
  it('keeps an empty password (set, not absent)', () => {
    expect(loadConfig({ IEXEC_CORE_WALLET_PASSWORD: '' }).wallet.password).toBe('');
  });

  it('refuses an admin token under 24 characters without echoing it', () => {
    let message = '';
    try {
      loadConfig({ IEXEC_CORE_ADMIN_TOKEN: 'guessable' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(
      'IEXEC_CORE_ADMIN_TOKEN=(hidden): expected empty (disabled) or at least 24',
    );
    expect(message).not.toContain('guessable');
  });

  it('rejects an empty port instead of silently using the default', () => {
    expect(() => loadConfig({ IEXEC_CORE_PORT: '' })).toThrow(
      /IEXEC_CORE_PORT="": expected a TCP port/,
    );
  });
});
