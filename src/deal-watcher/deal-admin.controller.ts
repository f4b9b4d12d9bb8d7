import { Controller, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, Min } from 'class-validator';
import { AdminTokenGuard } from '../common/http/admin-token.guard.js';
import { DealWatcherService } from './deal-watcher.service.js';

class ReplayQuery {
  @Type(() => Number)
  @IsInt({ message: 'fromBlock must be an integer block number' })
  @Min(0, { message: 'fromBlock must be >= 0' })
  fromBlock!: number;
}

/** Operator commands (Bearer IEXEC_CORE_ADMIN_TOKEN; 404 when no token is configured). */
@Controller('admin/deals')
@UseGuards(AdminTokenGuard)
export class DealAdminController {
  constructor(private readonly watcher: DealWatcherService) {}

  /** Reads deals again from a block, without touching MongoDB by hand. */
  @Post('replay')
  @HttpCode(202)
  async replay(@Query() query: ReplayQuery) {
    const { previous, next } = await this.watcher.replayFrom(BigInt(query.fromBlock));
    return {
      fromBlock: Number(next),
      previousCursor: previous === undefined ? null : Number(previous),
    };
  }
}
