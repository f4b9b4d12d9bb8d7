import { Type } from 'class-transformer';
import { IsInt } from 'class-validator';

/** `?blockNumber=` (required, integer): the worker's latest block. */
export class BlockNumberQuery {
  @Type(() => Number)
  @IsInt({ message: 'blockNumber must be an integer' })
  blockNumber!: number;
}
