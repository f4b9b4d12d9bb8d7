import { TestingModule } from '@nestjs/testing';
import { getConnectionToken, getModelToken } from '@nestjs/mongoose';
import { mongo, type Connection } from 'mongoose';
import { BlockCursorRepository } from '../../../src/deal-watcher/block-cursor.repository.js';
import { TaskLogsRepository } from '../../../src/logs/task-logs.repository.js';
import {
  ReplicateStatus,
  ReplicateStatusModifier,
} from '../../../src/replicate/replicate-status.js';
import { ReplicatesListRepository } from '../../../src/replicate/replicates-list.repository.js';
import { TaskStatus } from '../../../src/task/task-status.js';
import { TaskRepository } from '../../../src/task/task.repository.js';
import { Task } from '../../../src/task/task.schema.js';
import { WorkerRepository } from '../../../src/worker/worker.repository.js';
import { dropDatabase, isolatedMongoUrl } from '../../support/mongo.js';
import { DEAL_ID, newTask, taskId } from '../../support/read-api-fixtures.js';
import { repositoriesModule } from '../../support/repositories.js';

describe('repositories against the Mongo-wire server', () => {
  const url = isolatedMongoUrl('repos');
  let moduleRef: TestingModule;
  let connection: Connection;

  beforeAll(async () => {
    moduleRef = await repositoriesModule(url);
    await moduleRef.init();
    connection = moduleRef.get(getConnectionToken());
  });

  afterAll(async () => {
    await moduleRef?.close();
    await dropDatabase(url);
  });

  describe('task', () => {
    const repo = () => moduleRef.get(TaskRepository);

    it('creates the Java indexes', async () => {
      const indexes = await connection.collection('task').indexes();
      const byName = Object.fromEntries(indexes.map((i) => [i.name, i]));
      // Spring Data's names (iexec-core 8.5 @Indexed), not Mongoose's `chainTaskId_1`.
      expect(byName['chainTaskId']).toMatchObject({ key: { chainTaskId: 1 }, unique: true });
      expect(byName['currentStatus']).toMatchObject({ key: { currentStatus: 1 } });
      expect(byName['currentStatus'].unique).toBeFalsy();
      expect(byName['unique_deal_idx']).toMatchObject({
        key: { chainDealId: 1, taskIndex: 1 },
        unique: true,
      });
    });

    it('round-trips a task with the Java field names', async () => {
      expect(await repo().insertMany([newTask(1)])).toEqual([taskId(1)]);
      const raw = await connection.collection('task').findOne({ chainTaskId: taskId(1) });
      expect(raw).toMatchObject({
        _class: 'com.iexec.core.task.Task',
        version: 0,
        chainDealId: DEAL_ID,
        taskIndex: 1,
        currentStatus: 'RECEIVED',
        dappType: 'DOCKER',
      });
      expect(raw?.contributionDeadline).toBeInstanceOf(Date);
      const read = await repo().findByChainTaskId(taskId(1));
      expect(read?.dateStatusList.map((s) => s.status)).toEqual([TaskStatus.RECEIVED]);
    });

    it('skips duplicates of chainTaskId and of (deal, index) in a bulk insert', async () => {
      const sameIndexOtherId = { ...newTask(2), chainTaskId: taskId(999), taskIndex: 1 };
      const inserted = await repo().insertMany([
        newTask(1),
        newTask(2),
        sameIndexOtherId,
        newTask(3),
      ]);
      expect(inserted).toEqual([taskId(2), taskId(3)]);
      expect(await connection.collection('task').countDocuments()).toBe(3);
    });

    it('rejects a duplicate chainTaskId at the database level', async () => {
      await expect(
        connection.collection('task').insertOne({ ...newTask(1), taskIndex: 77 }),
      ).rejects.toMatchObject({
        code: 11000,
      });
    });

    it('updates the status only from the expected status, appending the history in one write', async () => {
      const repository = repo();
      const now = new Date();
      expect(
        await repository.updateStatus(taskId(2), TaskStatus.INITIALIZED, [
          { date: now, status: TaskStatus.RUNNING },
        ]),
      ).toBe(false);
      expect(
        await repository.updateStatus(
          taskId(2),
          TaskStatus.RECEIVED,
          [
            { date: now, status: TaskStatus.FINAL_DEADLINE_REACHED, cause: 'too late' },
            { date: now, status: TaskStatus.FAILED },
          ],
          { smsUrl: 'http://sms' },
        ),
      ).toBe(true);
      const task = await repository.findByChainTaskId(taskId(2));
      expect(task?.currentStatus).toBe(TaskStatus.FAILED);
      expect(task?.smsUrl).toBe('http://sms');
      expect(task?.version).toBe(1);
      expect(task?.dateStatusList.map((s) => s.status)).toEqual([
        TaskStatus.RECEIVED,
        TaskStatus.FINAL_DEADLINE_REACHED,
        TaskStatus.FAILED,
      ]);
      // The failure reason is stored beside Java's fields (Spring ignores it on read).
      const raw = await connection.collection('task').findOne({ chainTaskId: taskId(2) });
      expect(raw?.dateStatusList.map((s: { cause?: string }) => s.cause ?? null)).toEqual([
        null,
        'too late',
        null,
      ]);
    });

    it('counts tasks per status', async () => {
      const counts = await repo().countByStatus();
      expect(counts.get(TaskStatus.RECEIVED)).toBe(2);
      expect(counts.get(TaskStatus.FAILED)).toBe(1);
    });

    it('lists the unfinished tasks (the start-up resumer), not the FAILED one', async () => {
      const refs = await repo().findUnfinishedRefs();
      expect(refs.map((r) => r.currentStatus)).toEqual([TaskStatus.RECEIVED, TaskStatus.RECEIVED]);
      expect(refs.map((r) => r.chainTaskId)).not.toContain(taskId(2));
    });
    it('lists the supply candidates from its own writes after one read; a restart reads them back', async () => {
      const repository = repo();
      const inS = (s: number) => new Date(Date.now() + s * 1000);
      await repository.insertMany([
        newTask(10),
        newTask(11),
        newTask(12, { contributionDeadline: inS(30) }),
      ]);
      expect(await repository.findSupplyCandidates(new Date())).toEqual([]);
      const move = async (i: number, from: TaskStatus, to: TaskStatus) =>
        expect(
          await repository.updateStatus(taskId(i), from, [{ date: new Date(), status: to }]),
        ).toBe(true);
      await move(10, TaskStatus.RECEIVED, TaskStatus.INITIALIZED);
      await move(11, TaskStatus.RECEIVED, TaskStatus.INITIALIZED);
      await move(11, TaskStatus.INITIALIZED, TaskStatus.RUNNING);
      await move(12, TaskStatus.RECEIVED, TaskStatus.INITIALIZED);
      const candidates = async (r: TaskRepository) =>
        (await r.findSupplyCandidates(new Date())).map((t) => [t.chainTaskId, t.currentStatus]);
      expect(await candidates(repository)).toEqual([
        [taskId(11), TaskStatus.RUNNING],
        [taskId(12), TaskStatus.INITIALIZED],
        [taskId(10), TaskStatus.INITIALIZED],
      ]);
      await move(11, TaskStatus.RUNNING, TaskStatus.CONSENSUS_REACHED);
      const open = [
        [taskId(12), TaskStatus.INITIALIZED],
        [taskId(10), TaskStatus.INITIALIZED],
      ];
      expect(await candidates(repository)).toEqual(open);
      const restarted = new TaskRepository(moduleRef.get(getModelToken(Task.name)));
      expect(await candidates(restarted)).toEqual(open);
    });
  });

  describe('replicatesList', () => {
    const repo = () => moduleRef.get(ReplicatesListRepository);

    it('creates one list per task (unique chainTaskId)', async () => {
      expect(await repo().createEmpty(taskId(1))).toBe(true);
      expect(await repo().createEmpty(taskId(1))).toBe(false);
    });

    it('adds replicates and appends statuses with an optimistic version check', async () => {
      const repository = repo();
      const created = {
        status: ReplicateStatus.CREATED,
        modifier: ReplicateStatusModifier.POOL_MANAGER,
        date: new Date(),
      };
      const replicate = (wallet: string) => ({
        walletAddress: wallet,
        chainTaskId: taskId(1),
        statusUpdateList: [created],
        contributionHash: '',
        workerWeight: 2,
        appComputeLogsPresent: false,
      });
      expect(await repository.addReplicate(taskId(1), 0, replicate('0xaa'))).toBe(true);
      expect(await repository.addReplicate(taskId(1), 0, replicate('0xbb'))).toBe(false); // stale version
      expect(await repository.addReplicate(taskId(1), 1, replicate('0xbb'))).toBe(true);
      const update = {
        status: ReplicateStatus.STARTING,
        modifier: ReplicateStatusModifier.WORKER,
        date: new Date(),
      };
      expect(
        await repository.appendStatusUpdates(taskId(1), 2, 1, [update], { workerWeight: 5 }),
      ).toBe(true);
      expect(await repository.appendStatusUpdates(taskId(1), 2, 1, [update])).toBe(false);
      const list = await repository.findByChainTaskId(taskId(1));
      expect(list?.version).toBe(3);
      expect(list?.replicates.map((r) => r.walletAddress)).toEqual(['0xaa', '0xbb']);
      expect(list?.replicates[1].statusUpdateList.map((s) => s.status)).toEqual([
        ReplicateStatus.CREATED,
        ReplicateStatus.STARTING,
      ]);
      expect(list?.replicates[1].workerWeight).toBe(5);
      expect(list?.replicates[0].statusUpdateList).toHaveLength(1);
    });
  });

  describe('worker', () => {
    const repo = () => moduleRef.get(WorkerRepository);
    const registration = {
      name: 'w1',
      walletAddress: '0x1111111111111111111111111111111111111111',
      os: 'Linux',
      cpu: 'amd64',
      cpuNb: 4,
      maxNbTasks: 4,
      memorySize: 16,
      teeEnabled: false,
      gpuEnabled: false,
    };

    it('registers, keeps id and task lists on re-registration, and clears persisted liveness', async () => {
      const repository = repo();
      const first = await repository.upsertRegistration(registration);
      await repository.addTask(registration.walletAddress, taskId(1));
      await repository.saveLastAliveDates(new Map([[registration.walletAddress, new Date()]]));
      const second = await repository.upsertRegistration({
        ...registration,
        cpuNb: 8,
        maxNbTasks: 8,
      });
      expect(second._id.toString()).toBe(first._id.toString());
      expect(second.cpuNb).toBe(8);
      expect(second.participatingChainTaskIds).toEqual([taskId(1)]);
      expect(second.computingChainTaskIds).toEqual([taskId(1)]);
      expect(second.lastAliveDate).toBeUndefined();
    });

    it('rejects a second document for the same wallet (unique walletAddress)', async () => {
      await expect(
        connection.collection('worker').insertOne({ walletAddress: registration.walletAddress }),
      ).rejects.toMatchObject({ code: 11000 });
    });

    it('removes task ids from the lists', async () => {
      const repository = repo();
      await repository.removeComputingTask(registration.walletAddress, taskId(1));
      let worker = await repository.findByWalletAddress(registration.walletAddress);
      expect(worker?.computingChainTaskIds).toEqual([]);
      expect(worker?.participatingChainTaskIds).toEqual([taskId(1)]);
      await repository.removeTask(registration.walletAddress, taskId(1));
      worker = await repository.findByWalletAddress(registration.walletAddress);
      expect(worker?.participatingChainTaskIds).toEqual([]);
    });

    it('follows a worker whose document was deleted and registered again (a new _id)', async () => {
      const repository = repo();
      const wallet = registration.walletAddress;
      await connection.collection('worker').deleteMany({ walletAddress: wallet });
      expect(await repository.addTask(wallet, taskId(2))).toBe(false); // no document: no match
      const again = await repository.upsertRegistration(registration);
      expect(await repository.addTask(wallet, taskId(2))).toBe(true);
      await repository.saveDates(new Map([[wallet, new Date(5000)]]), new Map());
      const stored = await connection.collection('worker').findOne({ walletAddress: wallet });
      expect(stored?._id).toEqual(again._id);
      expect(stored?.participatingChainTaskIds).toEqual([taskId(2)]);
      expect(stored?.lastAliveDate).toEqual(new Date(5000));
    });
  });

  describe('taskLogs', () => {
    const repo = () => moduleRef.get(TaskLogsRepository);

    it('stores the first logs of each wallet and ignores a second submission', async () => {
      const repository = repo();
      expect(
        await repository.addComputeLogs(taskId(1), {
          walletAddress: '0xaa',
          stdout: 'out',
          stderr: 'err',
        }),
      ).toBe(true);
      expect(
        await repository.addComputeLogs(taskId(1), { walletAddress: '0xaa', stdout: 'again' }),
      ).toBe(false);
      expect(
        await repository.addComputeLogs(taskId(1), { walletAddress: '0xbb', stdout: 'b' }),
      ).toBe(true);
      const logs = await repository.findByChainTaskId(taskId(1));
      expect(logs?.computeLogsList).toEqual([
        { walletAddress: '0xaa', stdout: 'out', stderr: 'err' },
        { walletAddress: '0xbb', stdout: 'b' },
      ]); // The Java scheduler's document: its class name, version 0 on insert (Spring's save), +1 per entry.
      const raw = await connection
        .collection('taskLogs')
        .findOne({ chainTaskId: taskId(1) }, { promoteLongs: false });
      expect(raw).toMatchObject({ _class: 'com.iexec.core.logs.TaskLogs' });
      expect(raw?.version).toEqual(mongo.Long.fromNumber(1));
    });

    it('rejects a second document for the same task (unique chainTaskId)', async () => {
      await expect(
        connection.collection('taskLogs').insertOne({ chainTaskId: taskId(1) }),
      ).rejects.toMatchObject({
        code: 11000,
      });
    });

    it('deletes by task ids, unknown ids being a no-op', async () => {
      expect(await repo().deleteByChainTaskIds([taskId(424242)])).toBe(0);
      expect(await repo().deleteByChainTaskIds([taskId(1)])).toBe(1);
      expect(await repo().findByChainTaskId(taskId(1))).toBeNull();
    });
  });

  describe('configuration and replayConfiguration', () => {
    const repo = () => moduleRef.get(BlockCursorRepository);

    it('creates the cursors with the start block when absent, then the stored value wins', async () => {
      const repository = repo();
      expect(await repository.getLastSeenBlockWithDeal(42n)).toBe(42n);
      expect(await repository.getLastSeenBlockWithDeal(7n)).toBe(42n);
      expect(await repository.getReplayFromBlock(42n)).toBe(42n);
      const raw = await connection.collection('configuration').findOne();
      expect(raw).toMatchObject({
        _class: 'com.iexec.core.configuration.Configuration',
        lastSeenBlockWithDeal: '42',
      });
    });

    it('moves the deal cursor forward only (unless explicitly allowed)', async () => {
      const repository = repo();
      await repository.setLastSeenBlockWithDeal(100n);
      await repository.setLastSeenBlockWithDeal(50n);
      expect(await repository.getLastSeenBlockWithDeal(0n)).toBe(100n);
      await repository.setLastSeenBlockWithDeal(10n, true);
      expect(await repository.getLastSeenBlockWithDeal(0n)).toBe(10n);
      await repository.setReplayFromBlock(99n);
      expect(await repository.getReplayFromBlock(0n)).toBe(99n);
      expect(await connection.collection('configuration').countDocuments()).toBe(1);
    });

    it('applies the start block again once the document is deleted', async () => {
      await connection.collection('configuration').deleteMany({});
      expect(await repo().getLastSeenBlockWithDeal(5n)).toBe(5n);
    });
  });
});
