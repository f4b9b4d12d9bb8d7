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
  @IsOptional()
  @IsString()
  @MaxLength(WORKER_TEXT_MAX_LENGTH)
  name?: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(WORKER_TEXT_MAX_LENGTH)
  walletAddress?: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(WORKER_TEXT_MAX_LENGTH)
  os?: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(WORKER_TEXT_MAX_LENGTH)
  cpu?: string | null;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(INT32_MAX)
  cpuNb?: number | null;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(INT32_MAX)
  memorySize?: number | null;

  @IsOptional()
  @IsBoolean()
  teeEnabled?: boolean | null;

  /** Sent by iexec-worker 9.x (iexec-core 9.2 WorkerModel); absent from 8.5 workers. */
  @IsOptional()
  @IsBoolean()
  tdxEnabled?: boolean | null;

  @IsOptional()
  @IsBoolean()
  gpuEnabled?: boolean | null;
}

/**
 * W2 body `{"value": "0x<r><s><v>"}`. The value is not validated here: a missing or malformed
 * signature is a 401 (§12 item 9), decided by the login check.
 */
export class SignatureDto {
  @Allow()
  value?: unknown;
}
