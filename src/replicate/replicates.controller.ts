import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AppConfig } from '../config/app-config.js';
import { ChainHealthService } from '../chain/chain-health.service.js';
import { EmptyResponseException } from '../common/http/empty-response.exception.js';
import { serializeTaskNotification } from '../notification/task-notification.js';
import { AuthenticatedWallet, WorkerJwtGuard } from '../worker/auth/worker-jwt.guard.js';
import { WorkerService } from '../worker/worker.service.js';
import { BlockNumberQuery } from './block-number.query.js';
import { ReplicateRecoveryService } from './replicate-recovery.service.js';
import { ReplicateStatusService } from './replicate-status.service.js';
import { ReplicateStatusUpdateDto, withoutNulls } from './replicate-status-update.dto.js';
import { ReplicateSupplyService } from './replicate-supply.service.js';
import { statusUpdateAnswer } from './status-update-rules.js';

/** R1–R3 of worker-api.md: authentication first, then the chain health gate (R1, R3). */
@Controller('replicates')
@UseGuards(WorkerJwtGuard)
export class ReplicatesController {
  constructor(
    private readonly config: AppConfig,
    private readonly health: ChainHealthService,
    private readonly workers: WorkerService,
    private readonly supply: ReplicateSupplyService,
    private readonly recovery: ReplicateRecoveryService,
    private readonly status: ReplicateStatusService,
  ) {}

  private requireInService(): void {
    if (this.health.isOutOfService()) throw new EmptyResponseException(503);
  }

  @Get('available')
  async available(
    @AuthenticatedWallet() wallet: string,
    @Query() query: BlockNumberQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    this.requireInService();
    if (
      !this.workers.tryAcceptReplicateDemand(
        wallet,
        Date.now(),
        this.config.workers.askForReplicatePeriodMs,
      )
    ) {
      reply.status(204);
      return;
    }
    const summary = await this.supply.supply(wallet, query.blockNumber);
    if (!summary) {
      reply.status(204);
      return;
    }
    return {
      workerpoolAuthorization: {
        chainTaskId: summary.workerpoolAuthorization.chainTaskId,
        workerWallet: summary.workerpoolAuthorization.workerWallet,
        enclaveChallenge: summary.workerpoolAuthorization.enclaveChallenge,
        signature: { value: summary.workerpoolAuthorization.signature.value },
      },
      smsUrl: summary.smsUrl,
    };
  }

  @Get('interrupted')
  async interrupted(
    @AuthenticatedWallet() wallet: string,
    @Query() query: BlockNumberQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const notifications = await this.recovery.recover(wallet, query.blockNumber);
    reply.header('content-type', 'application/json');
    return `[${notifications.map(serializeTaskNotification).join(',')}]`;
  }

  @Post(':chainTaskId/updateStatus')
  @HttpCode(200)
  async updateStatus(
    @AuthenticatedWallet() wallet: string,
    @Param('chainTaskId') chainTaskId: string,
    @Body() body: ReplicateStatusUpdateDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    this.requireInService();
    const update = {
      status: body.status,
      details: body.details ? withoutNulls(body.details) : undefined,
    };
    const { outcome } = await this.status.updateFromWorker(chainTaskId, wallet, update);
    const answer = statusUpdateAnswer(outcome);
    reply.status(answer.httpStatus);
    if (answer.body === undefined) return;
    // A JSON string literal, quotes included (the worker decodes an enum).
    reply.header('content-type', 'application/json');
    return JSON.stringify(answer.body);
  }
}
