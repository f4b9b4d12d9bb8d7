import { ChainTaskStatus } from '../../../src/chain/chain-status.js';
import { TaskLogsRepository } from '../../../src/logs/task-logs.repository.js';
import { ReplicateStatus } from '../../../src/replicate/replicate-status.js';
import { currentStatus } from '../../../src/replicate/replicate-workflow.js';
import { ReplicatesListRepository } from '../../../src/replicate/replicates-list.repository.js';
import { TaskStatus } from '../../../src/task/task-status.js';
import { isolateChainPerFile, testChain } from '../../support/chain.js';
import { eventually } from '../../support/scheduler.js';
import { startStack, Stack } from '../../support/stack.js';

const chain = testChain();
isolateChainPerFile(chain);

describe('a standard deal, end to end (volume 5, trust 1, 3 honest workers)', () => {
  let stack: Stack;
  afterEach(async () => {
    await stack?.stop();
  });

  it.each(['embedded', 'adapter'] as const)(
    'completes every task on chain with the %s writer',
    async (writer) => {
      stack = await startStack(chain, { writer });
      await stack.startWorkers(3);
      const deal = await chain.fixtures.createDeal({
        workerpool: stack.workerpool,
        volume: 5,
        trust: 1,
        workers: stack.workers(3),
      });
      const tasks = await stack.waitForDeal(deal.dealId, 90000);

      expect(tasks.map((t) => t.currentStatus)).toEqual(Array(5).fill(TaskStatus.COMPLETED));
      const replicates = stack.scheduler.get(ReplicatesListRepository);
      const logs = stack.scheduler.get(TaskLogsRepository);
      for (const task of tasks) {
        expect((await chain.fixtures.viewTask(task.chainTaskId as `0x${string}`)).status).toBe(
          ChainTaskStatus.COMPLETED,
        );
        expect(task.dateStatusList.map((s) => s.status)).toEqual([
          TaskStatus.RECEIVED,
          TaskStatus.INITIALIZING,
          TaskStatus.INITIALIZED,
          TaskStatus.RUNNING,
          TaskStatus.CONSENSUS_REACHED,
          TaskStatus.AT_LEAST_ONE_REVEALED,
          TaskStatus.RESULT_UPLOADING,
          TaskStatus.RESULT_UPLOADED,
          TaskStatus.FINALIZING,
          TaskStatus.FINALIZED,
          TaskStatus.COMPLETED,
        ]);
        expect(task.resultLink).toBeTruthy();
        const uploaded = stack.services.resultProxy.uploaded(task.chainTaskId);
        expect(uploaded?.link).toBeTruthy();
        expect(task.resultLink).toContain(uploaded!.link);
        // The worker reports COMPLETING / COMPLETED once told the task is completed: just after.
        const list = await eventually(
          async () => {
            const found = await replicates.findByChainTaskId(task.chainTaskId);
            const done = found?.replicates.every(
              (r) => currentStatus(r) === ReplicateStatus.COMPLETED,
            );
            return done && found ? found : undefined;
          },
          10000,
          `every replicate of ${task.chainTaskId} COMPLETED`,
        );
        expect(list.replicates.length).toBeGreaterThanOrEqual(1);
        expect(
          (await logs.findByChainTaskId(task.chainTaskId))?.computeLogsList.length,
        ).toBeGreaterThanOrEqual(1);
      }
    },
  );
});
