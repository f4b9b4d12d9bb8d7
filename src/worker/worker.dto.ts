import { applyDecorators } from '@nestjs/common';
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

/** An optional, nullable text property: the documented limit is the validated one. */
function OptionalWorkerText(description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: String,
      nullable: true,
      maxLength: WORKER_TEXT_MAX_LENGTH,
      description,
    }),
    IsOptional(),
    IsString(),
    MaxLength(WORKER_TEXT_MAX_LENGTH),
  );
}

/** An optional, nullable Java `int` (never negative here): documented as it is validated. */
function OptionalInt32(description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'integer',
      format: 'int32',
      nullable: true,
      minimum: 0,
      maximum: INT32_MAX,
      description,
    }),
    IsOptional(),
    IsInt(),
    Min(0),
    Max(INT32_MAX),
  );
}

/**
 * W4 body (worker-api.md §3.2). Unknown properties are dropped by the global pipe; `walletAddress`
 * is accepted but ignored (the identity comes from the token). Missing numbers and booleans
 * default to 0 and false as Java primitives do.
 */
export class WorkerModelDto {
  @OptionalWorkerText('Worker name')
  name?: string | null;

  @OptionalWorkerText('Ignored: the identity comes from the token')
  walletAddress?: string | null;

  @OptionalWorkerText('Operating system')
  os?: string | null;

  @OptionalWorkerText('CPU model')
  cpu?: string | null;

  @OptionalInt32('CPU count')
  cpuNb?: number | null;

  @OptionalInt32('Memory in GB')
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
