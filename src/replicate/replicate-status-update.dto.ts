import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import { ReplicateStatus, ReplicateStatusCause } from './replicate-status.js';

// The R3 body (worker-api.md §4.5). Unknown properties (`success`, `modifier`, `date`…) are
// dropped by the global ValidationPipe; nulls count as absent.

export class ChainReceiptDto {
  @Type(() => Number)
  @IsInt({ message: 'details.chainReceipt.blockNumber must be an integer' })
  @Min(0)
  blockNumber!: number;

  @IsOptional()
  @IsString()
  txHash?: string;
}

export class ComputeLogsDto {
  @IsOptional()
  @IsString()
  walletAddress?: string;

  @IsOptional()
  @IsString()
  stdout?: string;

  @IsOptional()
  @IsString()
  stderr?: string;
}

export class ReplicateStatusDetailsDto {
  @IsOptional()
  @ValidateNested()
  @Type(() => ChainReceiptDto)
  chainReceipt?: ChainReceiptDto;

  @IsOptional()
  @IsString()
  resultLink?: string;

  @IsOptional()
  @IsString()
  chainCallbackData?: string;

  @IsOptional()
  @IsString()
  errorMessage?: string;

  @IsOptional()
  @IsEnum(ReplicateStatusCause, { message: 'details.cause is not a known ReplicateStatusCause' })
  cause?: ReplicateStatusCause;

  @IsOptional()
  @ValidateNested()
  @Type(() => ComputeLogsDto)
  computeLogs?: ComputeLogsDto;

  @IsOptional()
  @IsInt()
  exitCode?: number;

  @IsOptional()
  @IsString()
  teeSessionGenerationError?: string;
}

export class ReplicateStatusUpdateDto {
  @IsEnum(ReplicateStatus, { message: 'status must be a known ReplicateStatus' })
  status!: ReplicateStatus;

  @IsOptional()
  @ValidateNested()
  @Type(() => ReplicateStatusDetailsDto)
  details?: ReplicateStatusDetailsDto;
}

/** Strips the nulls the worker sends for absent detail properties. */
export function withoutNulls<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => [
        k,
        typeof v === 'object' && !Array.isArray(v) ? withoutNulls(v as object) : v,
      ]),
  ) as T;
}
