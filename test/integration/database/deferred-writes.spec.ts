import { TestingModule } from '@nestjs/testing';
import { getConnectionToken, getModelToken } from '@nestjs/mongoose';
import type { Connection, Model } from 'mongoose';
import { CachedCollection, DEFERRED_WRITE_MS } from '../../../src/database/cached-collection.js';
import {
  ReplicateStatus as S,
  ReplicateStatusModifier,
} from '../../../src/replicate/replicate-status.js';
import {
  ReplicatesListRecord,
  ReplicatesListRepository,
} from '../../../src/replicate/replicates-list.repository.js';
import { ReplicatesList } from '../../../src/replicate/replicates-list.schema.js';
import { dropDatabase, isolatedMongoUrl } from '../../support/mongo.js';
import { taskId } from '../../support/read-api-fixtures.js';
import { repositoriesModule } from '../../support/repositories.js';

// Progress statuses are written deferred: readers see them at once, the database gets them with
// the list's next write (one write for all) or alone DEFERRED_WRITE_MS later, at shutdown at the
// latest; a list loaded again meanwhile gets them replayed, never twice.
describe('deferred progress statuses', () => {
  const url = isolatedMongoUrl('deferred');
  let moduleRef: TestingModule;
  let connection: Connection;
  const lists = () => moduleRef.get(ReplicatesListRepository);
  const stored = (id: string) =>
    connection
      .collection('replicatesList')
      .findOne({ chainTaskId: id }) as Promise<ReplicatesListRecord | null>;
  const statusesOf = (list: ReplicatesListRecord | null) =>
    list?.replicates[0].statusUpdateList.map((u) => u.status);
  const update = (status: S) => ({
    status,
    modifier: ReplicateStatusModifier.WORKER,
    date: new Date(),
  });

  /** A list with one replicate at CREATED (version 1). */
  async function listWithReplicate(id: string): Promise<void> {
    await lists().createEmpty(id);
    await lists().addReplicate(id, 0, {
      walletAddress: '0xaa',
      chainTaskId: id,
      statusUpdateList: [{ ...update(S.CREATED), modifier: ReplicateStatusModifier.POOL_MANAGER }],
      contributionHash: '',
      workerWeight: 0,
      appComputeLogsPresent: false,
    });
  }

  beforeAll(async () => {
    moduleRef = await repositoriesModule(url);
    await moduleRef.init();
    connection = moduleRef.get(getConnectionToken());
  });

  afterAll(async () => {
    await moduleRef?.close();
    await dropDatabase(url);
  });

  it('are read at once and written with the next write of the list, in order', async () => {
    const id = taskId(1);
    await listWithReplicate(id);
    expect(await lists().appendProgressStatus(id, 1, 0, update(S.STARTING))).toBe(true);
    expect(await lists().appendProgressStatus(id, 2, 0, update(S.STARTED))).toBe(true);
    // a compare-and-set sees them: version 3 now, 1 is refused
    expect(await lists().appendProgressStatus(id, 1, 0, update(S.STARTED))).toBe(false);
    expect(statusesOf(await lists().findByChainTaskId(id))).toStrictEqual([
      S.CREATED,
      S.STARTING,
      S.STARTED,
    ]);
    expect(statusesOf(await stored(id))).toStrictEqual([S.CREATED]);

    expect(await lists().appendStatusUpdates(id, 3, 0, [update(S.APP_DOWNLOADING)])).toBe(true);
    const raw = await stored(id);
    expect(statusesOf(raw)).toStrictEqual([S.CREATED, S.STARTING, S.STARTED, S.APP_DOWNLOADING]);
    expect(raw?.version).toBe(4);
    expect(await lists().findByChainTaskId(id)).toStrictEqual(raw);
  });

  it(`are written alone ${DEFERRED_WRITE_MS} ms later when nothing else is`, async () => {
    const id = taskId(2);
    await listWithReplicate(id);
    await lists().appendProgressStatus(id, 1, 0, update(S.STARTING));
    await new Promise((resolve) => setTimeout(resolve, DEFERRED_WRITE_MS + 500));
    const raw = await stored(id);
    expect(statusesOf(raw)).toStrictEqual([S.CREATED, S.STARTING]);
    expect(raw?.version).toBe(2);
  });

  it('go first, in a write of their own, before a write they cannot merge with', async () => {
    const id = taskId(3);
    await listWithReplicate(id);
    await lists().appendProgressStatus(id, 1, 0, update(S.STARTING));
    // a second replicate: `$push replicates` cannot share an update with `replicates.0.…`
    await lists().addReplicate(id, 2, {
      walletAddress: '0xbb',
      chainTaskId: id,
      statusUpdateList: [update(S.CREATED)],
      contributionHash: '',
      workerWeight: 0,
      appComputeLogsPresent: false,
    });
    const raw = await stored(id);
    expect(statusesOf(raw)).toStrictEqual([S.CREATED, S.STARTING]);
    expect(raw?.replicates).toHaveLength(2);
    expect(raw?.version).toBe(3);
  });

  it('are replayed onto a list loaded again, except those the database already has', async () => {
    const model = moduleRef.get<Model<ReplicatesList>>(getModelToken(ReplicatesList.name));
    // A cache of one: reading another list drops the first from memory.
    const collection = new CachedCollection<ReplicatesList, ReplicatesListRecord>(
      model,
      'chainTaskId',
      1,
    );
    const [a, b] = [taskId(4), taskId(5)];
    await listWithReplicate(a);
    await listWithReplicate(b);
    const append = (status: S, at: ReplicatesListRecord) => ({
      update: {
        $push: { 'replicates.0.statusUpdateList': { $each: [update(status)] } },
        $inc: { version: 1 },
      },
      apply: (list: ReplicatesListRecord) => {
        list.replicates[0].statusUpdateList.push(update(status));
        list.version = at.version + 1;
      },
    });
    const first = (await collection.findOne(a))!;
    const starting = append(S.STARTING, first);
    await collection.deferIf(a, () => true, starting.update, starting.apply);
    const second = (await collection.findOne(a))!;
    const started = append(S.STARTED, second);
    await collection.deferIf(a, () => true, started.update, started.apply);
    // STARTING reaches the database another way (a write whose answer was lost, say)
    await model.updateOne({ chainTaskId: a }, starting.update).exec();
    await collection.findOne(b); // `a` leaves the cache
    expect(statusesOf(await collection.findOne(a))).toStrictEqual([
      S.CREATED,
      S.STARTING,
      S.STARTED,
    ]);
    expect(collection.deferredCount).toBe(1);
    await collection.flushAll();
    const raw = await stored(a);
    expect(statusesOf(raw)).toStrictEqual([S.CREATED, S.STARTING, S.STARTED]);
    expect(raw?.version).toBe(3);
    expect(collection.deferredCount).toBe(0);
  });

  it('are written at shutdown', async () => {
    const other = await repositoriesModule(url);
    await other.init();
    const id = taskId(6);
    const repository = other.get(ReplicatesListRepository);
    await repository.createEmpty(id);
    await repository.addReplicate(id, 0, {
      walletAddress: '0xaa',
      chainTaskId: id,
      statusUpdateList: [update(S.CREATED)],
      contributionHash: '',
      workerWeight: 0,
      appComputeLogsPresent: false,
    });
    await repository.appendProgressStatus(id, 1, 0, update(S.STARTING));
    expect(statusesOf(await stored(id))).toStrictEqual([S.CREATED]);
    await other.close();
    expect(statusesOf(await stored(id))).toStrictEqual([S.CREATED, S.STARTING]);
  });
});
