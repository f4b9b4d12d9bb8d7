import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ReplicateStatus, ReplicateStatusCause } from './replicate-status.js';

// The R3 body (worker-api.md §4.5). Unknown properties (`success`, `modifier`, `date`…) are
// dropped by the global ValidationPipe; nulls count as absent.

export class ChainReceiptDto {
  @ApiProperty({ type: 'integer', format: 'int64', minimum: 0 })
  @Type(() => Number)
  @IsInt({ message: 'details.chainReceipt.blockNumber must be an integer' })
  @Min(0)
  blockNumber!: number;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  txHash?: string;
}

export class ComputeLogsDto {
  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  walletAddress?: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  stdout?: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  stderr?: string;
}

export class ReplicateStatusDetailsDto {
  @ApiPropertyOptional({ type: () => ChainReceiptDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ChainReceiptDto)
  chainReceipt?: ChainReceiptDto;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  resultLink?: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  chainCallbackData?: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  errorMessage?: string;

  @ApiPropertyOptional({
    enum: ReplicateStatusCause,
    enumName: 'ReplicateStatusCause',
    nullable: true,
  })
  @IsOptional()
  @IsEnum(ReplicateStatusCause, { message: 'details.cause is not a known ReplicateStatusCause' })
  cause?: ReplicateStatusCause;

  @ApiPropertyOptional({ type: () => ComputeLogsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ComputeLogsDto)
  computeLogs?: ComputeLogsDto;

  @ApiPropertyOptional({ type: 'integer', format: 'int32', nullable: true })
  @IsOptional()
  @IsInt()
  exitCode?: number;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  teeSessionGenerationError?: string;
}

export class ReplicateStatusUpdateDto {
  @ApiProperty({ enum: ReplicateStatus, enumName: 'ReplicateStatus' })
  @IsEnum(ReplicateStatus, { message: 'status must be a known ReplicateStatus' })
  status!: ReplicateStatus;

  @ApiPropertyOptional({ type: () => ReplicateStatusDetailsDto })
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
