import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEthereumAddress,
  IsInt,
  IsOptional,
  IsString,
  Min,
  validateSync,
} from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { parseDurationMs } from '../config/validators.js';

/** Chain parameters from the Config Server (`GET /config/chain`) or the local override. */
export interface ChainConfig {
  chainId: number;
  hubAddress: `0x${string}`;
  blockTimeMs: number;
  sidechain: boolean;
}

/** The Config Server answer (services.md §3.2); unknown properties are ignored. */
class ChainConfigResponse {
  @IsInt({ message: 'chainId must be an integer' })
  @Min(1, { message: 'chainId must be positive' })
  chainId!: number;

  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'sidechain must be a boolean (or "true"/"false")' })
  sidechain?: boolean;

  @IsString({ message: 'iexecHubContractAddress is missing' })
  @IsEthereumAddress({ message: 'iexecHubContractAddress must be an address' })
  iexecHubContractAddress!: string;

  @Transform(({ value }) =>
    typeof value === 'number'
      ? Math.round(value * 1000)
      : typeof value === 'string'
        ? parseDurationMs(value)
        : undefined,
  )
  @IsInt({ message: 'blockTime must be a duration (seconds or ISO-8601)' })
  @Min(1, { message: 'blockTime must be strictly positive' })
  blockTime!: number;
}

/**
 * How often to look for what a new block brings (receipts, logs): a quarter of a block time,
 * within 100–500 ms. Something settled in a block is then seen ~1/8 block after it on average
 * (half a block when polled once per block time: 2.5 s with 5 s blocks); the polls in between
 * cost one `eth_blockNumber` each.
 */
export function blockFollowingPollMs(blockTimeMs: number): number {
  return Math.max(100, Math.min(Math.round(blockTimeMs / 4), 500));
}

export class ChainConfigError extends Error {
  override name = 'ChainConfigError';
}

/** Validates and converts a Config Server body. Throws {@link ChainConfigError} with every problem. */
export function parseChainConfig(body: unknown): ChainConfig {
  if (typeof body !== 'object' || body === null)
    throw new ChainConfigError('chain config is not a JSON object');
  const dto = plainToInstance(ChainConfigResponse, body);
  const errors = validateSync(dto);
  if (errors.length > 0) {
    throw new ChainConfigError(
      errors.flatMap((e) => Object.values(e.constraints ?? {})).join('; '),
    );
  }
  return {
    chainId: dto.chainId,
    hubAddress: dto.iexecHubContractAddress as `0x${string}`,
    blockTimeMs: dto.blockTime,
    sidechain: dto.sidechain ?? false,
  };
}
