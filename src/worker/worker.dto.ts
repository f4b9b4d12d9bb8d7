import {
  Allow,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const INT32_MAX = 2_147_483_647;
/**
 * Longest text property: every registered worker is kept in memory. Real values are short (a
 * worker name, `Linux`, a CPU model string, a 42-character address).
 */
export const WORKER_TEXT_MAX_LENGTH = 256;

/**
 * W4 body (worker-api.md §3.2). Unknown properties are dropped by the global pipe; `walletAddress`
 * is accepted but ignored (the identity comes from the token). Missing numbers and booleans
 * default to 0 and false as Java primitives do.
 */
export class WorkerModelDto {
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: WORKER_TEXT_MAX_LENGTH,
    description: 'Worker name',
  })
  @IsOptional()
  @IsString()
  @MaxLength(WORKER_TEXT_MAX_LENGTH)
  name?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: WORKER_TEXT_MAX_LENGTH,
    description: 'Ignored: the identity comes from the token',
  })
  @IsOptional()
  @IsString()
  @MaxLength(WORKER_TEXT_MAX_LENGTH)
  walletAddress?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: WORKER_TEXT_MAX_LENGTH,
    description: 'Operating system',
  })
  @IsOptional()
  @IsString()
  @MaxLength(WORKER_TEXT_MAX_LENGTH)
  os?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: WORKER_TEXT_MAX_LENGTH,
    description: 'CPU model',
  })
  @IsOptional()
  @IsString()
  @MaxLength(WORKER_TEXT_MAX_LENGTH)
  cpu?: string | null;

  @ApiPropertyOptional({
    type: 'integer',
    format: 'int32',
    nullable: true,
    minimum: 0,
    maximum: INT32_MAX,
    description: 'CPU count',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(INT32_MAX)
  cpuNb?: number | null;

  @ApiPropertyOptional({
    type: 'integer',
    format: 'int32',
    nullable: true,
    minimum: 0,
    maximum: INT32_MAX,
    description: 'Memory in GB',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(INT32_MAX)
  memorySize?: number | null;

  @ApiPropertyOptional({ type: Boolean, nullable: true })
  @IsOptional()
  @IsBoolean()
  teeEnabled?: boolean | null;

  /** Sent by iexec-worker 9.x (iexec-core 9.2 WorkerModel); absent from 8.5 workers. */
  @ApiPropertyOptional({ type: Boolean, nullable: true })
  @IsOptional()
  @IsBoolean()
  tdxEnabled?: boolean | null;

  @ApiPropertyOptional({ type: Boolean, nullable: true })
  @IsOptional()
  @IsBoolean()
  gpuEnabled?: boolean | null;
}

/**
 * W2 body `{"value": "0x<r><s><v>"}`. The value is not validated here: a missing or malformed
 * signature is a 401 (§12 item 9), decided by the login check.
 */
export class SignatureDto {
  @ApiProperty({
    type: String,
    description: 'Signature 0x<r><s><v> of the challenge by the wallet',
    example: '0x' + 'ab'.repeat(65),
  })
  @Allow()
  value?: unknown;
}
