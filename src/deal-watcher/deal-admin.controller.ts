import {
  BadRequestException,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsInt, Matches, Min } from 'class-validator';
import type { Hex } from 'viem';
import { ApiProperty } from '@nestjs/swagger';
import { AdminTokenGuard } from '../common/http/admin-token.guard.js';
import { parseLongParameter } from '../common/http/long-parameter.js';
import { EmptyResponseException } from '../common/http/empty-response.exception.js';
import { DealWatcherService, ReplayAboveHeadError } from './deal-watcher.service.js';
import { SkippedDealRepository } from './skipped-deal.repository.js';
import { ApiAdminAuth, ApiBadRequest, ApiJsonAnswer } from '../openapi/api-answers.js';

class ReplayQuery {
  @ApiProperty({ type: 'integer', format: 'int64', minimum: 0, description: 'First block to read' })
  // A Java `long` as Spring converts it; beyond 2^53 refused, not rounded to another block.
  @Transform(({ value }) => parseLongParameter(value) ?? Number.NaN)
  @IsInt({ message: 'fromBlock must be an integer block number' })
  @Min(0, { message: 'fromBlock must be >= 0' })
  fromBlock!: number;
}

class DealIdParam {
  @ApiProperty({ type: String, pattern: '^0x[0-9a-fA-F]{64}$' })
  @Matches(/^0x[0-9a-fA-F]{64}$/, { message: 'chainDealId must be 0x and 64 hex digits' })
  chainDealId!: string;
}

/** Operator commands (Bearer IEXEC_CORE_ADMIN_TOKEN; 404 when no token is configured). */
@ApiAdminAuth()
@Controller('admin/deals')
@UseGuards(AdminTokenGuard)
export class DealAdminController {
  constructor(
    private readonly watcher: DealWatcherService,
    private readonly skipped: SkippedDealRepository,
  ) {}

  /** Reads deals again from a block, without touching MongoDB by hand. */
  @ApiJsonAnswer(202, 'Deals are read again from `fromBlock`')
  @ApiBadRequest('`fromBlock` is not a block number, or is above the chain head')
  @Post('replay')
  @HttpCode(202)
  async replay(@Query() query: ReplayQuery) {
    const { previous, next } = await this.watcher
      .replayFrom(BigInt(query.fromBlock))
      .catch((error: unknown) => {
        if (error instanceof ReplayAboveHeadError) throw new BadRequestException(error.message);
        throw error;
      });
    return {
      fromBlock: Number(next),
      previousCursor: previous === undefined ? null : Number(previous),
    };
  }

  /** Deals given up after their attempts, with the reason, oldest block first. */
  @ApiJsonAnswer(200, 'Skipped deals', { type: 'array', items: { type: 'object' } })
  @Get('skipped')
  async listSkipped() {
    return (await this.skipped.list()).map((deal) => ({
      ...deal,
      skippedAt: deal.skippedAt.toISOString(),
    }));
  }

  /** Tries a skipped deal again (fresh attempts); it leaves the list when it succeeds. */
  @ApiJsonAnswer(202, 'The deal is tried again')
  @ApiBadRequest('`chainDealId` is not 0x and 64 hex digits')
  @Post('skipped/:chainDealId/retry')
  @HttpCode(202)
  async retrySkipped(@Param() param: DealIdParam) {
    const chainDealId = param.chainDealId.toLowerCase() as Hex;
    if (!(await this.watcher.retrySkipped(chainDealId))) throw new EmptyResponseException(404);
    return { chainDealId };
  }
}
