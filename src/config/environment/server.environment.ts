import { SERVED_ACTUATORS } from '../actuator-ids.js';
import { EnvVar } from '../env-var.decorator.js';
import {
  IsActuatorList,
  IsAddressList,
  IsAnyString,
  IsEmptyOrAtLeast,
  IsHostname,
  IsMongoUrl,
  IsNonNegativeInt,
  IsNonEmptyString,
  IsOneOf,
  IsPositiveInt,
  IsPositiveSpringDuration,
  IsSpringDurationAtLeast,
  IsTcpPort,
} from '../validators.js';

export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'OFF'] as const;
export const LOG_FORMATS = ['json', 'text'] as const;

const GROUPS = {
  server: 'Server',
  mongo: 'MongoDB',
  workers: 'Workers',
  wallet: 'Wallet',
} as const;

/** The scheduler's own service: its HTTP server, its database, its workers and its wallet. */
export class ServerEnvironment {
  // --- Server --------------------------------------------------------------------------------
  @EnvVar({
    group: GROUPS.server,
    kind: 'int',
    default: '13000',
    property: 'server.port',
    description: 'HTTP port of the scheduler API.',
  })
  @IsTcpPort()
  IEXEC_CORE_PORT!: number;

  @EnvVar({
    group: GROUPS.server,
    default: 'INFO',
    property: 'logging.level',
    description: `Log level: ${LOG_LEVELS.join(', ')}.`,
  })
  @IsOneOf(LOG_LEVELS, true)
  IEXEC_LOG_LEVEL!: string;

  @EnvVar({
    group: GROUPS.server,
    default: 'json',
    extension: true,
    description:
      'Log lines: `json` (one object per line: time, level, context, message, and chainTaskId, chainDealId or walletAddress when a line is about one) or `text` (readable lines, coloured on a terminal; what `npm run dev` uses).',
  })
  @IsOneOf(LOG_FORMATS, true)
  IEXEC_LOG_FORMAT!: string;

  @EnvVar({
    group: GROUPS.server,
    kind: 'list',
    default: 'health, info',
    property: 'management.endpoints.web.exposure.include',
    description: `Comma-separated actuator endpoints to expose: ${SERVED_ACTUATORS.join(', ')} or \`*\`; other Spring Boot ids are accepted and ignored with a WARN.`,
  })
  @IsActuatorList()
  IEXEC_CORE_MANAGEMENT_ACTUATORS!: string[];

  @EnvVar({
    group: GROUPS.server,
    default: '30s',
    aliases: ['SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE'],
    property: 'spring.lifecycle.timeout-per-shutdown-phase',
    description:
      'Deadline of a graceful shutdown (SIGTERM): readiness OUT_OF_SERVICE, new requests refused, those in flight finished, deferred writes flushed; then the process exits anyway (e.g. 30s, 500ms, PT1M).',
  })
  @IsPositiveSpringDuration()
  IEXEC_SHUTDOWN_TIMEOUT!: string;

  @EnvVar({
    group: GROUPS.server,
    default: '5s',
    extension: true,
    description:
      'Leader lease of active/passive replicas on one database (always on): a leader renews it every fifth of this, a standby takes over once it has stayed unrenewed this long plus a fifth; at least 500ms (e.g. 5s, 1s, PT10S).',
  })
  @IsSpringDurationAtLeast(500)
  IEXEC_CORE_LEASE_DURATION!: string;

  @EnvVar({
    group: GROUPS.server,
    default: '',
    extension: true,
    description:
      'Bearer token for the /admin endpoints (deal replay), at least 24 characters. Empty disables them.',
  })
  @IsEmptyOrAtLeast(24)
  IEXEC_CORE_ADMIN_TOKEN!: string;

  // --- MongoDB -------------------------------------------------------------------------------
  @EnvVar({
    group: GROUPS.mongo,
    default: 'localhost',
    property: 'spring.data.mongodb.host',
    description: 'MongoDB host (database `iexec`).',
  })
  @IsHostname()
  MONGO_HOST!: string;

  @EnvVar({
    group: GROUPS.mongo,
    kind: 'int',
    default: '13002',
    property: 'spring.data.mongodb.port',
    description: 'MongoDB port.',
  })
  @IsTcpPort()
  MONGO_PORT!: number;

  @EnvVar({
    group: GROUPS.mongo,
    default: '',
    extension: true,
    description:
      'Full MongoDB connection string; when set it replaces MONGO_HOST/MONGO_PORT (database from its path, else `iexec`).',
  })
  @IsMongoUrl()
  MONGO_URL!: string;

  @EnvVar({
    group: GROUPS.mongo,
    kind: 'int',
    default: '30000',
    extension: true,
    description: 'How long boot waits for MongoDB (ms) before failing.',
  })
  @IsPositiveInt('a positive number of milliseconds')
  MONGO_CONNECT_TIMEOUT!: number;

  // --- Workers -------------------------------------------------------------------------------
  @EnvVar({
    group: GROUPS.workers,
    kind: 'int',
    default: '5000',
    property: 'workers.askForReplicatePeriod',
    description:
      'Period (ms) between two replicate demands of a worker; also the server-side throttle.',
  })
  @IsPositiveInt('a positive number of milliseconds')
  IEXEC_ASK_REPLICATE_PERIOD!: number;

  @EnvVar({
    group: GROUPS.workers,
    default: '',
    property: 'workers.requiredWorkerVersion',
    description: 'Worker version workers must run (empty: any).',
  })
  @IsAnyString()
  IEXEC_CORE_REQUIRED_WORKER_VERSION!: string;

  @EnvVar({
    group: GROUPS.workers,
    kind: 'list',
    default: '',
    property: 'workers.whitelist',
    description:
      'Comma-separated worker wallets allowed to log in (exact match; empty: everybody).',
  })
  @IsAddressList()
  IEXEC_WORKERS_WHITELIST!: string[];

  @EnvVar({
    group: GROUPS.workers,
    kind: 'int',
    default: '0',
    extension: true,
    description:
      'Generation of the worker JWT secret (derived from the scheduler wallet): raise it to revoke every issued token; workers then log in again.',
  })
  @IsNonNegativeInt()
  IEXEC_WORKER_JWT_GENERATION!: number;

  @EnvVar({
    group: GROUPS.workers,
    kind: 'int',
    default: '600',
    extension: true,
    description:
      'Requests per minute from one client (TCP peer, or X-Forwarded-For behind a private proxy) to each anonymous endpoint that creates state: worker challenge and login, logs challenge; 0: unlimited.',
  })
  @IsNonNegativeInt()
  IEXEC_ANONYMOUS_RATE_LIMIT!: number;

  // --- Wallet --------------------------------------------------------------------------------
  @EnvVar({
    group: GROUPS.wallet,
    default: './src/main/resources/wallet/encrypted-wallet_scheduler.json',
    property: 'wallet.encryptedFilePath',
    description: 'Encrypted JSON keystore of the scheduler wallet (must own the workerpool).',
  })
  @IsNonEmptyString()
  IEXEC_CORE_WALLET_PATH!: string;

  @EnvVar({
    group: GROUPS.wallet,
    default: 'whatever',
    property: 'wallet.password',
    description: 'Password of the keystore (a WARN at boot while it is the public default).',
  })
  @IsAnyString()
  IEXEC_CORE_WALLET_PASSWORD!: string;
}
