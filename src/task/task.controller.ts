import { Controller, Get, Param, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ReadApiException } from '../common/http/read-api.exception.js';
import { requestBaseUrl } from '../common/http/request-base-url.js';
import { ReplicatesListRepository } from '../replicate/replicates-list.repository.js';
import { ReplicateModel, TaskModel, toReplicateModel, toTaskModel } from './task-read.mapper.js';
import { TaskRepository } from './task.repository.js';
import { ApiJsonAnswer } from '../openapi/api-answers.js';

/** Public read endpoints T1 and T2 (worker-api.md §9.1, §9.2); refusals name their reason. */
@Controller('tasks')
export class TaskController {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly replicates: ReplicatesListRepository,
  ) {}

  @ApiJsonAnswer(200, 'The task (TaskModel)')
  @ApiJsonAnswer(404, 'Unknown task (the reason in `message`)')
  @Get(':chainTaskId')
  async getTask(
    @Param('chainTaskId') chainTaskId: string,
    @Req() request: FastifyRequest,
  ): Promise<TaskModel> {
    const [task, list] = await Promise.all([
      this.tasks.findByChainTaskId(chainTaskId),
      this.replicates.findByChainTaskId(chainTaskId),
    ]);
    if (!task) throw new ReadApiException(404, `task ${chainTaskId} is unknown to this scheduler`);
    return toTaskModel(task, list ? list.replicates : null, requestBaseUrl(request));
  }

  /** The wallet is matched exactly (wallet strings are kept verbatim). */
  @ApiJsonAnswer(200, 'The replicate (ReplicateModel)')
  @ApiJsonAnswer(404, 'No such task or replicate (the reason in `message`)')
  @Get(':chainTaskId/replicates/:walletAddress')
  async getTaskReplicate(
    @Param('chainTaskId') chainTaskId: string,
    @Param('walletAddress') walletAddress: string,
    @Req() request: FastifyRequest,
  ): Promise<ReplicateModel> {
    const list = await this.replicates.findByChainTaskId(chainTaskId);
    const replicate = list?.replicates.find((r) => r.walletAddress === walletAddress);
    if (!replicate) {
      throw new ReadApiException(
        404,
        list
          ? `task ${chainTaskId} has no replicate of ${walletAddress}`
          : `task ${chainTaskId} has no replicates on this scheduler`,
      );
    }
    return toReplicateModel(replicate, requestBaseUrl(request));
  }
}
