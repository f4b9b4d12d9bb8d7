import { Controller, Get, Headers, Param, Query } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ChainContext } from '../chain/chain-context.js';
import { ReadApiException } from '../common/http/read-api.exception.js';
import { ANONYMOUS_RATE_LIMITED } from '../common/http/http-app.js';
import {
  ComputeLogsModel,
  TaskLogsModel,
  toComputeLogsModel,
  toTaskLogsModel,
} from './compute-logs-rules.js';
import { ComputeLogsService } from './compute-logs.service.js';
import {
  isLogsSignatureValid,
  logsChallengeTypedData,
  parseLogsAuthorization,
  type LogsChallengeTypedData,
} from './logs-challenge.js';
import { LogsChallengeStore } from './logs-challenge.store.js';
import { TaskRequesters } from './task-requesters.js';
import { ApiAddressQuery, ApiJsonAnswer } from '../openapi/api-answers.js';

/** T3–T7 (worker-api.md §2.8, §9.3): compute logs, readable by the task requester only. */
@Controller('tasks')
export class TaskLogsController {
  constructor(
    private readonly chain: ChainContext,
    private readonly challenges: LogsChallengeStore,
    private readonly requesters: TaskRequesters,
    private readonly logs: ComputeLogsService,
  ) {}

  @ApiJsonAnswer(200, 'EIP-712 typed data to sign (the logs challenge of `address`)')
  @ApiJsonAnswer(400, '`address` missing or not an address')
  @ApiAddressQuery('address', 'The address that will sign the challenge (the requester)')
  @Get('logs/challenge')
  @RouteConfig(ANONYMOUS_RATE_LIMITED)
  getChallenge(@Query('address') address?: string): LogsChallengeTypedData {
    if (address === undefined)
      throw new ReadApiException(400, "Required parameter 'address' is not present.");
    if (!LogsChallengeStore.keyOf(address))
      throw new ReadApiException(400, `Not an address: ${address}`);
    return logsChallengeTypedData(
      this.challenges.getOrCreate(address),
      this.chain.chainConfig.chainId,
    );
  }

  @ApiJsonAnswer(200, 'Compute logs of every worker of the task')
  @ApiJsonAnswer(400, 'No Authorization header')
  @ApiJsonAnswer(
    401,
    'Authorization is not <digest>_<signature>_<address> of the challenge, or not the requester',
  )
  @ApiJsonAnswer(404, 'No compute logs for the task')
  @Get([':chainTaskId/logs', ':chainTaskId/stdout'])
  async getTaskLogs(
    @Param('chainTaskId') chainTaskId: string,
    @Headers('authorization') authorization?: string,
  ): Promise<TaskLogsModel> {
    await this.authorize(chainTaskId, authorization);
    const list = await this.logs.getTaskLogs(chainTaskId);
    if (!list) throw new ReadApiException(404, `no compute logs for task ${chainTaskId}`);
    return toTaskLogsModel(chainTaskId, list);
  }

  @ApiJsonAnswer(200, 'Compute logs of one worker')
  @ApiJsonAnswer(400, 'No Authorization header')
  @ApiJsonAnswer(
    401,
    'Authorization is not <digest>_<signature>_<address> of the challenge, or not the requester',
  )
  @ApiJsonAnswer(404, 'No compute logs of that worker')
  @Get([
    ':chainTaskId/replicates/:walletAddress/logs',
    ':chainTaskId/replicates/:walletAddress/stdout',
  ])
  async getComputeLogs(
    @Param('chainTaskId') chainTaskId: string,
    @Param('walletAddress') walletAddress: string,
    @Headers('authorization') authorization?: string,
  ): Promise<ComputeLogsModel> {
    await this.authorize(chainTaskId, authorization);
    const logs = await this.logs.getComputeLogs(chainTaskId, walletAddress);
    if (!logs) {
      throw new ReadApiException(
        404,
        `no compute logs of ${walletAddress} for task ${chainTaskId}`,
      );
    }
    return toComputeLogsModel(logs);
  }

  /**
   * Header absent → 400; not `<digest>_<signature>_<address>` → 401 (no chain access); address
   * not the requester of the task's deal, or requester unreadable → 403; signature not over the
   * CURRENT challenge of that address → 401.
   */
  private async authorize(chainTaskId: string, header: string | undefined): Promise<void> {
    if (header === undefined)
      throw new ReadApiException(400, "Required request header 'Authorization' is not present.");
    const parsed = parseLogsAuthorization(header);
    if (!parsed) {
      throw new ReadApiException(401, 'Authorization is not <digest>_<signature>_<address>');
    }
    const requester = await this.requesters.requesterOf(chainTaskId);
    if (!requester) {
      throw new ReadApiException(
        403,
        `the requester of task ${chainTaskId} is unknown (a task unknown to this scheduler, or its deal unreadable)`,
      );
    }
    if (requester.toLowerCase() !== parsed.address.toLowerCase()) {
      throw new ReadApiException(
        403,
        `${parsed.address} is not the requester of task ${chainTaskId}`,
      );
    }
    const challenge = this.challenges.getOrCreate(parsed.address);
    if (
      !isLogsSignatureValid(
        challenge,
        this.chain.chainConfig.chainId,
        parsed.signature,
        parsed.address,
      )
    ) {
      throw new ReadApiException(
        401,
        `the signature is not over the current challenge of ${parsed.address} (GET /tasks/logs/challenge)`,
      );
    }
  }
}
