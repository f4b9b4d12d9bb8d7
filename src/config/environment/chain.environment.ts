import { EnvVar } from '../env-var.decorator.js';
import {
  IsEthAddress,
  IsHttpUrl,
  IsNonNegativeBigInt,
  IsNonNegativeInt,
  IsPositiveNumber,
  IsOneOf,
  IsOptionalBoolean,
  IsOptionalDuration,
  IsOptionalEthAddress,
  IsOptionalPositiveInt,
  IsPositiveBigInt,
  IsPositiveInt,
} from '../validators.js';

export const CHAIN_WRITER_MODES = ['adapter', 'embedded'] as const;

const GROUPS = {
  chain: 'Chain',
  deals: 'Deal watcher',
} as const;

/** The chain node, the workerpool it serves there, and how deals are read from it. */
export class ChainEnvironment {
  // --- Chain ---------------------------------------------------------------------------------
  @EnvVar({
    group: GROUPS.chain,
    default: 'http://localhost:8545',
    aliases: ['IEXEC_BLOCKCHAIN_NODE_ADDRESS'],
    property: 'chain.privateAddress',
    description: 'JSON-RPC URL of the chain node.',
  })
  @IsHttpUrl()
  IEXEC_PRIVATE_CHAIN_ADDRESS!: string;

  @EnvVar({
    group: GROUPS.chain,
    default: '0x365E7BABAa85eC61Dffe5b520763062e6C29dA27',
    property: 'chain.poolAddress',
    description: 'Workerpool address this scheduler serves.',
  })
  @IsEthAddress()
  POOL_ADDRESS!: string;

  @EnvVar({
    group: GROUPS.chain,
    kind: 'bigint',
    default: '0',
    property: 'chain.startBlockNumber',
    description:
      'First block scanned for deals on an empty database (the stored cursor wins afterwards).',
  })
  @IsNonNegativeBigInt('a block number (integer >= 0)')
  IEXEC_START_BLOCK_NUMBER!: bigint;

  @EnvVar({
    group: GROUPS.chain,
    kind: 'number',
    default: '1.0',
    property: 'chain.gasPriceMultiplier',
    description: 'Multiplier applied to the network gas price.',
  })
  @IsPositiveNumber()
  IEXEC_GAS_PRICE_MULTIPLIER!: number;

  @EnvVar({
    group: GROUPS.chain,
    kind: 'bigint',
    default: '22000000000',
    property: 'chain.gasPriceCap',
    description: 'Gas price cap (wei); also sets the balance threshold (1,000,000 x cap).',
  })
  @IsPositiveBigInt('a gas price in wei (integer > 0)')
  IEXEC_GAS_PRICE_CAP!: bigint;

  @EnvVar({
    group: GROUPS.chain,
    kind: 'int',
    default: '3',
    property: 'chain.health.pollingIntervalInBlocks',
    description: 'Chain health check period, in block times.',
  })
  @IsPositiveInt()
  IEXEC_CHAIN_HEALTH_POLLING_INTERVAL_IN_BLOCKS!: number;

  @EnvVar({
    group: GROUPS.chain,
    kind: 'int',
    default: '4',
    property: 'chain.health.outOfServiceThreshold',
    description: 'Consecutive failed checks before OUT_OF_SERVICE.',
  })
  @IsPositiveInt()
  IEXEC_CHAIN_HEALTH_OUT_OF_SERVICE_THRESHOLD!: number;

  @EnvVar({
    group: GROUPS.chain,
    kind: 'int',
    default: '300000',
    extension: true,
    description:
      'Out of service when the latest block is older than this (ms); 0 disables the check (for automine dev chains).',
  })
  @IsNonNegativeInt('a number of milliseconds (integer >= 0)')
  IEXEC_CHAIN_HEALTH_MAX_BLOCK_AGE!: number;

  @EnvVar({
    group: GROUPS.chain,
    kind: 'int',
    default: '',
    extension: true,
    description:
      'Chain id; with the hub address and block time it replaces the Config Server answer.',
  })
  @IsOptionalPositiveInt()
  IEXEC_CHAIN_ID!: number | undefined;

  @EnvVar({
    group: GROUPS.chain,
    default: '',
    extension: true,
    description: 'PoCo hub (diamond) address override.',
  })
  @IsOptionalEthAddress()
  IEXEC_HUB_ADDRESS!: string;

  @EnvVar({
    group: GROUPS.chain,
    default: '',
    extension: true,
    description: 'Block time override: seconds or ISO-8601 (e.g. 5, PT5S).',
  })
  @IsOptionalDuration()
  IEXEC_BLOCK_TIME!: string;

  @EnvVar({
    group: GROUPS.chain,
    kind: 'boolean',
    default: '',
    extension: true,
    description: 'Sidechain flag override (true disables balance checks).',
  })
  @IsOptionalBoolean()
  IEXEC_IS_SIDECHAIN!: boolean | undefined;

  @EnvVar({
    group: GROUPS.chain,
    default: 'adapter',
    extension: true,
    description:
      'Who sends initialize/finalize: `adapter` (Blockchain Adapter, as Java) or `embedded` (the scheduler wallet).',
  })
  @IsOneOf(CHAIN_WRITER_MODES)
  IEXEC_CHAIN_WRITER!: string;

  // --- Deal watcher --------------------------------------------------------------------------
  @EnvVar({
    group: GROUPS.deals,
    kind: 'int',
    default: '0',
    extension: true,
    description: 'Blocks a deal must be buried under before it is read (reorg protection).',
  })
  @IsNonNegativeInt()
  IEXEC_DEAL_CONFIRMATION_BLOCKS!: number;

  @EnvVar({
    group: GROUPS.deals,
    kind: 'int',
    default: '',
    extension: true,
    description:
      'Largest block range of one eth_getLogs call (deals, task events); longer ranges are read in chunks. Default 1000 (iexec-core 9.3); keep it at or below your RPC provider cap.',
  })
  @IsOptionalPositiveInt('a positive number of blocks')
  IEXEC_MAX_LOG_RANGE!: number | undefined;

  @EnvVar({
    group: GROUPS.deals,
    kind: 'int',
    default: '',
    extension: true,
    description: 'Former name of `IEXEC_MAX_LOG_RANGE`, used only when that one is not set.',
  })
  @IsOptionalPositiveInt('a positive number of blocks')
  IEXEC_DEAL_MAX_BLOCK_RANGE!: number | undefined;

  @EnvVar({
    group: GROUPS.deals,
    kind: 'int',
    default: '',
    extension: true,
    description:
      'Deal polling period (ms); defaults to a quarter of the block time (100-500 ms). Logs are read only when a block came.',
  })
  @IsOptionalPositiveInt('a positive number of milliseconds')
  IEXEC_DEAL_POLLING_INTERVAL!: number | undefined;
}
