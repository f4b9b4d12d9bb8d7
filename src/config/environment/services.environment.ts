import { EnvVar } from '../env-var.decorator.js';
import {
  IsAnyString,
  IsHostname,
  IsHttpProtocol,
  IsHttpUrl,
  IsOptionalHttpUrl,
  IsPositiveInt,
  IsTcpPort,
} from '../validators.js';

const GROUPS = {
  registry: 'Platform Registry and SMS',
  adapter: 'Blockchain Adapter',
  configServer: 'Config Server',
  result: 'Result Proxy',
} as const;

/** The other iExec services the scheduler calls (services.md). */
export class ServicesEnvironment {
  // --- Platform Registry / SMS ---------------------------------------------------------------
  @EnvVar({
    group: GROUPS.registry,
    default: 'http://localhost:8888',
    property: 'spring.config.import',
    description:
      'Platform Registry (Spring Cloud Config server) URL, read once at boot for sms.scone / sms.gramine / sms.tdx.',
  })
  @IsHttpUrl()
  IEXEC_PLATFORM_REGISTRY!: string;

  @EnvVar({
    group: GROUPS.registry,
    default: '',
    property: 'spring.cloud.config.profile',
    description: 'Platform Registry profile (empty means `default`).',
  })
  @IsAnyString()
  IEXEC_PLATFORM_REGISTRY_STACK!: string;

  @EnvVar({
    group: GROUPS.registry,
    default: '',
    property: 'spring.cloud.config.label',
    description: 'Platform Registry label(s), comma-separated, tried in order.',
  })
  @IsAnyString()
  IEXEC_PLATFORM_REGISTRY_LABEL!: string;

  @EnvVar({
    group: GROUPS.registry,
    default: '',
    property: 'sms.scone',
    description: 'SMS URL for SCONE tasks; overrides the Platform Registry value.',
  })
  @IsOptionalHttpUrl()
  SMS_SCONE!: string;

  @EnvVar({
    group: GROUPS.registry,
    default: '',
    property: 'sms.gramine',
    description: 'SMS URL for Gramine tasks; overrides the Platform Registry value.',
  })
  @IsOptionalHttpUrl()
  SMS_GRAMINE!: string;

  @EnvVar({
    group: GROUPS.registry,
    default: '',
    property: 'sms.tdx',
    description:
      'SMS URL for TDX tasks (iexec-core 9.1); overrides the Platform Registry value. Optional: without one, TDX tasks fail at initialization.',
  })
  @IsOptionalHttpUrl()
  SMS_TDX!: string;

  // --- Blockchain Adapter --------------------------------------------------------------------
  @EnvVar({
    group: GROUPS.adapter,
    default: 'http',
    property: 'blockchain-adapter.protocol',
    description: 'Blockchain Adapter protocol.',
  })
  @IsHttpProtocol()
  IEXEC_CORE_CHAIN_ADAPTER_PROTOCOL!: string;

  @EnvVar({
    group: GROUPS.adapter,
    default: 'localhost',
    property: 'blockchain-adapter.host',
    description: 'Blockchain Adapter host.',
  })
  @IsHostname()
  IEXEC_CORE_CHAIN_ADAPTER_HOST!: string;

  @EnvVar({
    group: GROUPS.adapter,
    kind: 'int',
    default: '13010',
    property: 'blockchain-adapter.port',
    description: 'Blockchain Adapter port.',
  })
  @IsTcpPort()
  IEXEC_CORE_CHAIN_ADAPTER_PORT!: number;

  @EnvVar({
    group: GROUPS.adapter,
    default: '',
    description:
      'Blockchain Adapter URL; replaces protocol/host/port when set (later Java versions).',
  })
  @IsOptionalHttpUrl()
  IEXEC_CORE_CHAIN_ADAPTER_URL!: string;

  @EnvVar({
    group: GROUPS.adapter,
    default: 'admin',
    property: 'blockchain-adapter.user.name',
    description: 'Blockchain Adapter basic-auth user.',
  })
  @IsAnyString()
  IEXEC_CORE_CHAIN_ADAPTER_USERNAME!: string;

  @EnvVar({
    group: GROUPS.adapter,
    default: 'whatever',
    property: 'blockchain-adapter.user.password',
    description:
      'Blockchain Adapter basic-auth password (a WARN at boot while it is the public default, adapter mode).',
  })
  @IsAnyString()
  IEXEC_CORE_CHAIN_ADAPTER_PASSWORD!: string;

  @EnvVar({
    group: GROUPS.adapter,
    kind: 'int',
    default: '30000',
    extension: true,
    description:
      'Blockchain Adapter request timeout (ms). A command POST left unanswered is followed by a status read of that command, never by a failure.',
  })
  @IsPositiveInt('a positive number of milliseconds')
  IEXEC_CORE_CHAIN_ADAPTER_REQUEST_TIMEOUT!: number;

  // --- Config Server -------------------------------------------------------------------------
  @EnvVar({
    group: GROUPS.configServer,
    default: 'http',
    property: 'config-server.protocol',
    description: 'Config Server protocol.',
  })
  @IsHttpProtocol()
  IEXEC_CONFIG_SERVER_PROTOCOL!: string;

  @EnvVar({
    group: GROUPS.configServer,
    default: 'localhost',
    property: 'config-server.host',
    description: 'Config Server host.',
  })
  @IsHostname()
  IEXEC_CONFIG_SERVER_HOST!: string;

  @EnvVar({
    group: GROUPS.configServer,
    kind: 'int',
    default: '8888',
    property: 'config-server.port',
    description: 'Config Server port.',
  })
  @IsTcpPort()
  IEXEC_CONFIG_SERVER_PORT!: number;

  @EnvVar({
    group: GROUPS.configServer,
    default: '',
    description: 'Config Server URL; replaces protocol/host/port when set (later Java versions).',
  })
  @IsOptionalHttpUrl()
  IEXEC_CONFIG_SERVER_URL!: string;

  // --- Result Proxy --------------------------------------------------------------------------
  @EnvVar({
    group: GROUPS.result,
    default: 'http',
    property: 'resultRepository.protocol',
    description: 'Result Proxy protocol.',
  })
  @IsHttpProtocol()
  IEXEC_RESULT_REPOSITORY_PROTOCOL!: string;

  @EnvVar({
    group: GROUPS.result,
    default: 'localhost',
    property: 'resultRepository.host',
    description: 'Result Proxy host.',
  })
  @IsHostname()
  IEXEC_RESULT_REPOSITORY_HOST!: string;

  @EnvVar({
    group: GROUPS.result,
    kind: 'int',
    default: '13200',
    property: 'resultRepository.port',
    description: 'Result Proxy port.',
  })
  @IsTcpPort()
  IEXEC_RESULT_REPOSITORY_PORT!: number;

  @EnvVar({
    group: GROUPS.result,
    default: '',
    description: 'Result Proxy URL; replaces protocol/host/port when set (later Java versions).',
  })
  @IsOptionalHttpUrl()
  IEXEC_RESULT_REPOSITORY_URL!: string;
}
