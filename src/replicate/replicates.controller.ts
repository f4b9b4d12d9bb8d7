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
import {
  REPLICATE_TASK_SUMMARY_SCHEMA,
  TASK_NOTIFICATION_SCHEMA,
} from '../openapi/worker-answer-schemas.js';
import {
  ApiBadRequest,
  ApiEmptyAnswers,
  ApiJsonAnswer,
  ApiNotificationAnswer,
  ApiWorkerAuth,
} from '../openapi/api-answers.js';

/** R1–R3 of worker-api.md: authentication first, then the chain health gate (R1, R3). */
@ApiWorkerAuth()
@ApiBadRequest('`blockNumber` missing or not a long, or body invalid')
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

  @ApiJsonAnswer(
    200,
    'A replicate to compute (workerpool authorization and SMS URL)',
    REPLICATE_TASK_SUMMARY_SCHEMA,
  )
  @ApiEmptyAnswers({ 204: 'Nothing to compute now, or asked too soon', 503: 'Chain out of sync' })
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

  @ApiJsonAnswer(200, 'Notifications of the replicates to resume', {
    type: 'array',
    items: TASK_NOTIFICATION_SCHEMA,
  })
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

  @ApiNotificationAnswer(200, 'Accepted; the next action')
  @ApiNotificationAnswer(202, 'Refused; PLEASE_ABORT')
  @ApiNotificationAnswer(208, 'Already reported; the action answered then')
  @ApiEmptyAnswers({
    500: 'Cannot update (GENERIC_CANT_UPDATE)',
    503: 'Chain out of sync, or verification deferred',
  })
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
