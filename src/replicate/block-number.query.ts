import { Transform } from 'class-transformer';
import { IsInt } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { parseLongParameter } from '../common/http/long-parameter.js';

/** `?blockNumber=` (required, a Java `long`): the worker's latest block. */
export class BlockNumberQuery {
  @ApiProperty({ type: 'integer', format: 'int64', description: "The worker's latest block" })
  @Transform(({ value }) => parseLongParameter(value) ?? Number.NaN)
  @IsInt({ message: 'blockNumber must be an integer' })
  blockNumber!: number;
}
