import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { ObjectId } from 'mongodb';
import type { Model } from 'mongoose';
import { CachedCollection, DEFERRED_WRITE_MS } from '../../src/database/cached-collection.js';

interface List {
  _id: ObjectId;
  chainTaskId: string;
  version: number;
  statuses: string[];
}

/** The part of a Mongoose model CachedCollection uses, over one stored document. */
function fakeModel(stored: List) {
  const updates: object[] = [];
  let failures = 0;
  const model = {
    findOne: () => ({ lean: () => ({ exec: async () => structuredClone(stored) }) }),
    collection: {
      updateOne: async (_filter: object, update: { $push?: object; $inc?: object }) => {
        if (failures > 0) {
          failures--;
          throw new Error('connection reset');
        }
        updates.push(update);
        const pushed = Object.values(update.$push ?? {})[0] as { $each: string[] } | undefined;
        stored.statuses.push(...(pushed?.$each ?? []));
        stored.version += (update.$inc as { version: number } | undefined)?.version ?? 0;
        return { modifiedCount: 1 };
      },
    },
  };
  return {
    model: model as unknown as Model<List>,
    updates,
    failNext: (n: number) => (failures = n),
  };
}

const append = (status: string) => ({
  update: { $push: { statuses: { $each: [status] } }, $inc: { version: 1 } },
  apply: (list: List) => {
    list.statuses.push(status);
    list.version++;
  },
});

describe('CachedCollection deferred writes', () => {
  let stored: List;
  beforeEach(() => {
    jest.useFakeTimers();
    stored = { _id: new ObjectId(), chainTaskId: '0x1', version: 1, statuses: ['CREATED'] };
  });
  afterEach(() => jest.useRealTimers());

  const defer = (collection: CachedCollection<List, List>, status: string) => {
    const { update, apply } = append(status);
    return collection.deferIf('0x1', () => true, update, apply);
  };

  it('writes the deferred updates of a document in one write, DEFERRED_WRITE_MS after the first', async () => {
    const { model, updates } = fakeModel(stored);
    const collection = new CachedCollection<List, List>(model, 'chainTaskId', 10);
    await defer(collection, 'STARTING');
    await defer(collection, 'STARTED');
    expect(updates).toHaveLength(0);
    expect((await collection.findOne('0x1'))?.statuses).toEqual(['CREATED', 'STARTING', 'STARTED']);
    await jest.advanceTimersByTimeAsync(DEFERRED_WRITE_MS);
    expect(updates).toStrictEqual([
      { $push: { statuses: { $each: ['STARTING', 'STARTED'] } }, $inc: { version: 2 } },
    ]);
    expect(stored).toMatchObject({ version: 3, statuses: ['CREATED', 'STARTING', 'STARTED'] });
    expect(collection.deferredCount).toBe(0);
  });

  it('keeps them through a failed write, logs it, and writes them at the next try', async () => {
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { model, updates, failNext } = fakeModel(stored);
    const collection = new CachedCollection<List, List>(model, 'chainTaskId', 10);
    await defer(collection, 'STARTING');
    failNext(1);
    await jest.advanceTimersByTimeAsync(DEFERRED_WRITE_MS);
    expect(updates).toHaveLength(0);
    expect(errors).toHaveBeenCalledWith(expect.stringContaining('retrying in 2000 ms'));
    // The copy was dropped with the failed write: a read reloads and replays.
    expect((await collection.findOne('0x1'))?.statuses).toEqual(['CREATED', 'STARTING']);
    await jest.advanceTimersByTimeAsync(2 * DEFERRED_WRITE_MS);
    expect(stored.statuses).toEqual(['CREATED', 'STARTING']);
    expect(collection.deferredCount).toBe(0);
    errors.mockRestore();
  });

  it('after flushAll (shutdown), writes at once what is deferred later', async () => {
    const { model, updates } = fakeModel(stored);
    const collection = new CachedCollection<List, List>(model, 'chainTaskId', 10);
    await defer(collection, 'STARTING');
    await collection.flushAll();
    expect(updates).toHaveLength(1);
    await defer(collection, 'STARTED');
    expect(updates).toHaveLength(2);
    expect(stored.statuses).toEqual(['CREATED', 'STARTING', 'STARTED']);
  });
});
