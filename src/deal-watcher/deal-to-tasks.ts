import type { Hex } from 'viem';
import { ChainDeal } from '../chain/chain-models.js';
import { parseDealParams } from '../chain/deal-params.js';
import { chainTaskId } from '../chain/task-id.js';
import { isTeeTag } from '../chain/tee-tag.js';
import { computeDealDeadlines } from '../task/rules/deadlines.js';
import { TaskStatus } from '../task/task-status.js';
import { Task } from '../task/task.schema.js';

export type DealTasks = { tasks: Task[] } | { skipped: string };

/**
 * The tasks of a deal (task-lifecycle.md §4.2): one RECEIVED task per index of the bag of tasks,
 * or the reason the deal is skipped (contribution deadline passed; TEE deal with trust other
 * than 0 or 1).
 */
export function tasksFromDeal(
  deal: ChainDeal,
  options: { dealBlockNumber: number; contributionDeadlineRatio: number | undefined; now: Date },
): DealTasks {
  const maxExecutionTime = deal.category.maxExecutionTime;
  const deadlines = computeDealDeadlines(
    deal.startTime,
    maxExecutionTime,
    options.contributionDeadlineRatio,
  );
  if (deadlines.contributionDeadline <= options.now.getTime()) {
    return {
      skipped: `contribution deadline ${new Date(deadlines.contributionDeadline).toISOString()} is past`,
    };
  }
  if (isTeeTag(deal.tag) && deal.trust !== 0n && deal.trust !== 1n) {
    return { skipped: `TEE deal with trust ${deal.trust} (TEE deals need trust 0 or 1)` };
  }
  const params = parseDealParams(deal.params);
  const dealId = deal.chainDealId.toLowerCase() as Hex;
  const tasks: Task[] = [];
  for (let index = deal.botFirst; index < deal.botFirst + deal.botSize; index++) {
    tasks.push({
      version: 0,
      chainTaskId: chainTaskId(dealId, index),
      chainDealId: dealId,
      taskIndex: index,
      dealBlockNumber: options.dealBlockNumber,
      maxExecutionTime,
      tag: deal.tag.toLowerCase(),
      dappType: 'DOCKER',
      dappName: deal.chainApp?.uri ?? '',
      commandLine: params.iexecArgs ?? undefined,
      initializationBlockNumber: 0,
      currentStatus: TaskStatus.RECEIVED,
      trust: Number(deal.trust),
      numWorkersNeeded: 0,
      consensusReachedBlockNumber: 0,
      contributionDeadline: new Date(deadlines.contributionDeadline),
      finalDeadline: new Date(deadlines.finalDeadline),
      dateStatusList: [{ date: options.now, status: TaskStatus.RECEIVED }],
    });
  }
  return { tasks };
}
