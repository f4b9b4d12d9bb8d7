import { Allow, IsBoolean, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

const INT32_MAX = 2_147_483_647;

/**
 * W4 body (worker-api.md §3.2). Unknown properties are dropped by the global pipe; `walletAddress`
 * is accepted but ignored (the identity comes from the token). Missing numbers and booleans
 * default to 0 and false as Java primitives do.
 */
export class WorkerModelDto {
  @IsOptional()
  @IsString()
  name?: string | null;

  @IsOptional()
  @IsString()
  walletAddress?: string | null;

  @IsOptional()
  @IsString()
  os?: string | null;

  @IsOptional()
  @IsString()
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
