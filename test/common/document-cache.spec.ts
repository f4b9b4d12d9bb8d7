import { jest } from '@jest/globals';
import { ObjectId } from 'mongodb';
import { copyDocument, DocumentCache } from '../../src/common/document-cache.js';

interface Doc {
  status: string;
  history: string[];
}

/** A load or a write the test settles by hand, to interleave them. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const doc = (status: string): Doc => ({ status, history: [status] });

describe('DocumentCache', () => {
  it('loads once, then answers from memory', async () => {
    const cache = new DocumentCache<Doc>(10);
    const load = jest.fn(async () => doc('A'));
    expect(await cache.get('t', load)).toEqual(doc('A'));
    expect(await cache.get('t', load)).toEqual(doc('A'));
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('shares one load between concurrent misses', async () => {
    const cache = new DocumentCache<Doc>(10);
    const pending = deferred<Doc | null>();
    const load = jest.fn(() => pending.promise);
    const both = Promise.all([cache.get('t', load), cache.get('t', load)]);
    pending.resolve(doc('A'));
    expect(await both).toEqual([doc('A'), doc('A')]);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('does not keep an absent document', async () => {
    const cache = new DocumentCache<Doc>(10);
    const load = jest
      .fn<() => Promise<Doc | null>>()
      .mockResolvedValueOnce(null)
      .mockResolvedValueOnce(doc('A'));
    expect(await cache.get('t', load)).toBeNull();
    expect(await cache.get('t', load)).toEqual(doc('A'));
  });

  it('hands out copies: what a caller changes does not reach the cache', async () => {
    const cache = new DocumentCache<Doc>(10);
    const loaded = doc('A');
    const first = await cache.get('t', async () => loaded);
    first!.history.push('changed by a caller');
    loaded.history.push('changed by the loader');
    expect(await cache.get('t', async () => null)).toEqual(doc('A'));
  });

  /** A compare-and-set whose expectation always holds: the write path alone. */
  const writeThrough = (
    cache: DocumentCache<Doc>,
    persist: () => Promise<boolean>,
    apply: (d: Doc) => void = () => undefined,
  ) =>
    cache.compareAndWrite(
      't',
      async () => doc('loaded for the write'),
      () => true,
      persist,
      apply,
    );

  it('applies a successful write to the cached copy', async () => {
    const cache = new DocumentCache<Doc>(10);
    await cache.get('t', async () => doc('A'));
    const written = await writeThrough(
      cache,
      async () => true,
      (d) => {
        d.status = 'B';
        d.history.push('B');
      },
    );
    expect(written).toBe(true);
    expect(await cache.get('t', async () => doc('from the database'))).toEqual({
      status: 'B',
      history: ['A', 'B'],
    });
  });

  it('drops the copy when the write did not apply, or threw', async () => {
    const cache = new DocumentCache<Doc>(10);
    await cache.get('t', async () => doc('A'));
    expect(await writeThrough(cache, async () => false)).toBe(false);
    expect(await cache.get('t', async () => doc('database'))).toEqual(doc('database'));
    await expect(writeThrough(cache, () => Promise.reject(new Error('network')))).rejects.toThrow(
      'network',
    );
    expect(await cache.get('t', async () => doc('database again'))).toEqual(doc('database again'));
  });

  it('does not keep a read that was in flight when a write started', async () => {
    const cache = new DocumentCache<Doc>(10);
    await cache.get('t', async () => doc('A'));
    const read = deferred<Doc | null>();
    let reading: Promise<Doc | null> | undefined;
    await cache.compareAndWrite(
      't',
      async () => null,
      () => {
        // Between the check and the write the copy goes (as an eviction would) and a read starts.
        cache.forget('t');
        reading = cache.get('t', () => read.promise);
        return true;
      },
      async () => true,
      () => undefined,
    );
    read.resolve(doc('before the write'));
    expect(await reading).toEqual(doc('before the write'));
    expect(await cache.get('t', async () => doc('after the write'))).toEqual(
      doc('after the write'),
    );
  });

  it('does not keep a read that started while a write was in flight', async () => {
    const cache = new DocumentCache<Doc>(10);
    const persist = deferred<boolean>();
    const writing = cache.compareAndWrite(
      't',
      async () => doc('A'),
      () => (cache.forget('t'), true), // the copy goes meanwhile, as an eviction would
      () => persist.promise,
      () => undefined,
    );
    await new Promise((r) => setImmediate(r)); // the write is now waiting for the database
    await cache.get('t', async () => doc('during the write'));
    persist.resolve(true);
    await writing;
    expect(await cache.get('t', async () => doc('after the write'))).toEqual(
      doc('after the write'),
    );
  });

  it('forgets a key, including a read in flight', async () => {
    const cache = new DocumentCache<Doc>(10);
    await cache.get('t', async () => doc('A'));
    cache.forget('t');
    const read = deferred<Doc | null>();
    const reading = cache.get('t', () => read.promise);
    cache.forget('t');
    read.resolve(doc('raced'));
    await reading;
    expect(await cache.get('t', async () => doc('database'))).toEqual(doc('database'));
  });

  it('keeps at most `limit` documents, the least recently used leaving first', async () => {
    const cache = new DocumentCache<Doc>(2);
    await cache.get('a', async () => doc('a'));
    await cache.get('b', async () => doc('b'));
    await cache.get('a', async () => null); // a is now the most recently used
    await cache.get('c', async () => doc('c'));
    expect(cache.size).toBe(2);
    expect(await cache.get('a', async () => doc('reloaded'))).toEqual(doc('a'));
    expect(await cache.get('b', async () => doc('reloaded'))).toEqual(doc('reloaded'));
  });

  it('compare-and-set: checks the current document, then writes it, one call per key at a time', async () => {
    const cache = new DocumentCache<Doc>(10);
    let stored = doc('A');
    const load = async () => stored;
    const move = (from: string, to: string) =>
      cache.compareAndWrite(
        't',
        load,
        (current) => current.status === from,
        async (current) => {
          await new Promise((r) => setTimeout(r, 5)); // a slow database
          stored = { status: to, history: [...current.history, to] };
          return true;
        },
        (cached) => {
          cached.status = to;
          cached.history.push(to);
        },
      );
    // Both expect A: the second sees B once the first is written, and is refused.
    expect(await Promise.all([move('A', 'B'), move('A', 'C')])).toEqual([true, false]);
    expect(stored).toEqual({ status: 'B', history: ['A', 'B'] });
    expect(await cache.get('t', load)).toEqual(stored);
    expect(await move('B', 'C')).toBe(true);
    expect(await cache.get('t', async () => null)).toEqual({
      status: 'C',
      history: ['A', 'B', 'C'],
    });
  });

  it('compare-and-set: nothing is written when the document is absent', async () => {
    const cache = new DocumentCache<Doc>(10);
    const persist = jest.fn(async () => true);
    expect(
      await cache.compareAndWrite(
        't',
        async () => null,
        () => true,
        persist,
        () => undefined,
      ),
    ).toBe(false);
    expect(persist).not.toHaveBeenCalled();
  });

  it('remembers a document just inserted: no load, and a copy, not the inserted object', async () => {
    const cache = new DocumentCache<Doc>(10);
    const inserted = doc('A');
    await cache.remember('t', inserted);
    inserted.status = 'changed by the inserter';
    const load = jest.fn(async () => doc('database'));
    expect(await cache.get('t', load)).toEqual(doc('A'));
    expect(load).not.toHaveBeenCalled();
  });

  it('remembers nothing over a copy already there (a write since the insert is newer)', async () => {
    const cache = new DocumentCache<Doc>(10);
    expect(
      await cache.compareAndWrite(
        't',
        async () => doc('A'),
        () => true,
        async () => true,
        (cached) => void (cached.status = 'B'),
      ),
    ).toBe(true);
    await cache.remember('t', doc('A'));
    expect(await cache.get('t', async () => null)).toMatchObject({ status: 'B' });
  });

  it('remembers after a compare-and-set in flight, not in the middle of it', async () => {
    const cache = new DocumentCache<Doc>(10);
    const write = deferred<boolean>();
    const writing = cache.compareAndWrite(
      't',
      async () => doc('A'),
      () => true,
      () => write.promise,
      (cached) => void (cached.status = 'B'),
    );
    const remembering = cache.remember('t', doc('A'));
    write.resolve(true);
    await Promise.all([writing, remembering]);
    expect(await cache.get('t', async () => null)).toMatchObject({ status: 'B' });
  });

  it('refuses a limit below 1', () => {
    expect(() => new DocumentCache<Doc>(0)).toThrow('cache limit must be ≥ 1: 0');
  });
});

describe('copyDocument', () => {
  class Details {
    constructor(
      public cause: string,
      public exitCode?: number,
    ) {}
  }

  it('copies as stored: plain objects, no undefined, dates cloned, BSON values shared', () => {
    const id = new ObjectId();
    const date = new Date(1000);
    const source = { _id: id, date, list: [new Details('TIMEOUT')], gone: undefined, n: null };
    const copy = copyDocument(source);
    expect(copy).toStrictEqual({
      _id: id,
      date: new Date(1000),
      list: [{ cause: 'TIMEOUT' }],
      n: null,
    });
    expect(copy._id).toBe(id);
    expect(copy.date).not.toBe(date);
    expect(Object.getPrototypeOf(copy.list[0])).toBe(Object.prototype);
  });
});
