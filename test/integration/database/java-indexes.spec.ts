import type { TestingModule } from '@nestjs/testing';
import { mongo } from 'mongoose';
import { dropDatabase, isolatedMongoUrl } from '../../support/mongo.js';
import { repositoriesModule } from '../../support/repositories.js';
import { createIndexes, indexesOf, JAVA_INDEXES } from '../../fixtures/java-database/indexes.js';

// A boot over a database whose indexes were named by iexec-core 8.5 (Spring Data: `chainTaskId`)
// or by our earlier versions (Mongoose: `chainTaskId_1`) succeeds, keeps every document and
// leaves exactly the Java indexes, one per key.
const COLLECTIONS = Object.keys(JAVA_INDEXES);
const docOf = (collection: string, i: number) =>
  collection === 'task'
    ? { chainTaskId: `0x${i}`, chainDealId: '0xdeal', taskIndex: i, currentStatus: 'RUNNING' }
    : collection === 'worker'
      ? { walletAddress: `0x${i}`, name: `w${i}` }
      : { chainTaskId: `0x${i}` };

describe.each(['java', 'mongoose'] as const)('booting over %s-named indexes', (naming) => {
  const url = isolatedMongoUrl(`idx-${naming}`);
  const client = new mongo.MongoClient(url);
  let moduleRef: TestingModule | undefined;

  beforeAll(async () => {
    const db = client.db();
    for (const collection of COLLECTIONS) {
      await createIndexes(db, collection, naming);
      await db.collection(collection).insertMany([docOf(collection, 1), docOf(collection, 2)]);
    }
    moduleRef = await repositoriesModule(url);
    await moduleRef.init();
  });

  afterAll(async () => {
    await moduleRef?.close();
    await client.close();
    await dropDatabase(url);
  });

  it.each(COLLECTIONS)('%s: the Java indexes, one per key, documents kept', async (collection) => {
    const db = client.db();
    const expected = [...JAVA_INDEXES[collection]].sort((a, b) => a.name.localeCompare(b.name));
    expect(await indexesOf(db, collection)).toEqual(expected);
    const docs = await db
      .collection(collection)
      .find({}, { projection: { _id: 0 } })
      .toArray();
    expect(docs).toEqual([docOf(collection, 1), docOf(collection, 2)]);
  });

  it('keeps uniqueness: a duplicate chainTaskId is refused under the Java index name', async () => {
    await expect(client.db().collection('task').insertOne(docOf('task', 1))).rejects.toMatchObject({
      code: 11000,
    });
  });

  it('a second boot changes nothing', async () => {
    await moduleRef!.close();
    moduleRef = await repositoriesModule(url);
    await moduleRef.init();
    for (const collection of COLLECTIONS) {
      expect((await indexesOf(client.db(), collection)).map((i) => i.name).sort()).toEqual(
        JAVA_INDEXES[collection].map((i) => i.name).sort(),
      );
    }
  });
});
