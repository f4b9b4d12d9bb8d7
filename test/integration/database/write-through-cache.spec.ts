import { TestingModule } from '@nestjs/testing';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import {
  ReplicateStatus,
  ReplicateStatusCause,
  ReplicateStatusModifier,
} from '../../../src/replicate/replicate-status.js';
import {
  ChainReceiptDto,
  ReplicateStatusDetailsDto,
} from '../../../src/replicate/replicate-status-update.dto.js';
import { ReplicatesListRepository } from '../../../src/replicate/replicates-list.repository.js';
import { TaskStatus } from '../../../src/task/task-status.js';
import { TaskRepository } from '../../../src/task/task.repository.js';
import { dropDatabase, isolatedMongoUrl } from '../../support/mongo.js';
import { newTask, taskId } from '../../support/read-api-fixtures.js';
import { repositoriesModule } from '../../support/repositories.js';

// The task and replicatesList repositories answer reads by chainTaskId from memory once a
// document was read, applying their own writes to it, and make their compare-and-set in this
// process before writing by _id: what they answer must be exactly what the database holds after
// the same writes, and a write whose expectation does not hold must leave the document alone.
describe('write-through cache of tasks and replicate lists', () => {
  const url = isolatedMongoUrl('cache');
  let moduleRef: TestingModule;
  let connection: Connection;
  const tasks = () => moduleRef.get(TaskRepository);
  const lists = () => moduleRef.get(ReplicatesListRepository);
  const stored = (collection: string, id: string) =>
    connection.collection(collection).findOne({ chainTaskId: id });

  beforeAll(async () => {
    moduleRef = await repositoriesModule(url);
    await moduleRef.init();
    connection = moduleRef.get(getConnectionToken());
    await tasks().insertMany([newTask(1), newTask(2)]);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await dropDatabase(url);
  });

  it('answers a task as stored after status and field writes', async () => {
    const id = taskId(1);
    await tasks().findByChainTaskId(id); // now cached
    const at = new Date();
    expect(
      await tasks().updateStatus(id, TaskStatus.RECEIVED, [
        { date: at, status: TaskStatus.INITIALIZING },
      ]),
    ).toBe(true);
    expect(
      await tasks().updateStatus(
        id,
        TaskStatus.INITIALIZING,
        [
          {
            date: at,
            status: TaskStatus.INITIALIZED,
            chainReceipt: { blockNumber: 12, txHash: '0xabc' },
          },
        ],
        { initializationBlockNumber: 12, enclaveChallenge: '0x0', smsUrl: undefined },
      ),
    ).toBe(true);
    expect(
      await tasks().updateFields(id, TaskStatus.INITIALIZED, {
        revealDeadline: new Date(at.getTime() + 5000),
        consensus: '0xfeed',
      }),
    ).toBe(true);
    const cached = await tasks().findByChainTaskId(id);
    expect(cached).toStrictEqual(await stored('task', id));
    expect(cached?.currentStatus).toBe(TaskStatus.INITIALIZED);
    expect(cached?.version).toBe(3);
  });

  it('answers a replicate list as stored after replicates and status updates', async () => {
    const id = taskId(1);
    await lists().createEmpty(id);
    const empty = await lists().findByChainTaskId(id); // now cached
    const created = {
      status: ReplicateStatus.CREATED,
      modifier: ReplicateStatusModifier.POOL_MANAGER,
      date: new Date(),
    };
    await lists().addReplicate(id, empty!.version, {
      walletAddress: '0xaa',
      chainTaskId: id,
      statusUpdateList: [created],
      contributionHash: '',
      workerWeight: 1,
      appComputeLogsPresent: false,
    });
    // Status details as the controller hands them over: DTO instances, absent fields undefined.
    const details = Object.assign(new ReplicateStatusDetailsDto(), {
      chainReceipt: Object.assign(new ChainReceiptDto(), { blockNumber: 14, txHash: undefined }),
      cause: ReplicateStatusCause.OUT_OF_GAS,
      errorMessage: undefined,
    });
    expect(
      await lists().appendStatusUpdates(
        id,
        1,
        0,
        [
          {
            status: ReplicateStatus.CONTRIBUTED,
            modifier: ReplicateStatusModifier.WORKER,
            date: new Date(),
            details,
          },
        ],
        { contributionHash: '0x1234', resultLink: undefined },
      ),
    ).toBe(true);
    const cached = await lists().findByChainTaskId(id);
    expect(cached).toStrictEqual(await stored('replicatesList', id));
    expect(cached?.replicates[0].statusUpdateList).toHaveLength(2);
  });

  it('refuses a write whose expected status is not the stored one, leaving the document as is', async () => {
    const id = taskId(2);
    const at = new Date();
    expect(
      await tasks().updateStatus(id, TaskStatus.INITIALIZED, [
        { date: at, status: TaskStatus.RUNNING },
      ]),
    ).toBe(false);
    expect(await tasks().updateFields(id, TaskStatus.RUNNING, { consensus: '0x1' })).toBe(false);
    const raw = await stored('task', id);
    expect(raw?.currentStatus).toBe(TaskStatus.RECEIVED);
    expect(raw?.consensus).toBeUndefined();
    expect(await tasks().findByChainTaskId(id)).toStrictEqual(raw);
  });

  it('lets one of two concurrent writes expecting the same version through', async () => {
    const id = taskId(2);
    await lists().createEmpty(id);
    const replicate = (wallet: string) => ({
      walletAddress: wallet,
      chainTaskId: id,
      statusUpdateList: [
        {
          status: ReplicateStatus.CREATED,
          modifier: ReplicateStatusModifier.POOL_MANAGER,
          date: new Date(),
        },
      ],
      contributionHash: '',
      workerWeight: 1,
      appComputeLogsPresent: false,
    });
    const results = await Promise.all([
      lists().addReplicate(id, 0, replicate('0xaa')),
      lists().addReplicate(id, 0, replicate('0xbb')),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const raw = await stored('replicatesList', id);
    expect(raw?.version).toBe(1);
    expect(raw?.replicates).toHaveLength(1);
    expect(await lists().findByChainTaskId(id)).toStrictEqual(raw);
  });

  it('hands out copies: a caller changing a task does not change the next read', async () => {
    const first = await tasks().findByChainTaskId(taskId(1));
    first!.currentStatus = TaskStatus.COMPLETED;
    first!.dateStatusList.length = 0;
    const again = await tasks().findByChainTaskId(taskId(1));
    expect(again).toStrictEqual(await stored('task', taskId(1)));
  });
});
