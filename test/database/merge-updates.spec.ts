import { mergeUpdates } from '../../src/database/merge-updates.js';

describe('mergeUpdates', () => {
  const append = (index: number, ...statuses: string[]) => ({
    $push: { [`replicates.${index}.statusUpdateList`]: { $each: statuses } },
    $inc: { version: 1 },
  });

  it('appends in order, adds the increments and keeps the last $set of a path', () => {
    const merged = mergeUpdates([
      append(0, 'STARTING'),
      { ...append(1, 'STARTED'), $set: { 'replicates.1.workerWeight': 1 } },
      { ...append(0, 'STARTED', 'APP_DOWNLOADING'), $set: { 'replicates.1.workerWeight': 2 } },
    ]);
    expect(merged).toStrictEqual({
      $set: { 'replicates.1.workerWeight': 2 },
      $push: {
        'replicates.0.statusUpdateList': { $each: ['STARTING', 'STARTED', 'APP_DOWNLOADING'] },
        'replicates.1.statusUpdateList': { $each: ['STARTED'] },
      },
      $inc: { version: 3 },
    });
  });

  it('takes a plain $push value as one element', () => {
    const replicate = { walletAddress: '0xaa' };
    expect(mergeUpdates([{ $push: { replicates: replicate } }])).toStrictEqual({
      $push: { replicates: { $each: [replicate] } },
    });
  });

  it('refuses paths that one MongoDB update cannot hold together', () => {
    // a path inside another
    expect(mergeUpdates([append(0, 'STARTING'), { $push: { replicates: {} } }])).toBeNull();
    expect(mergeUpdates([{ $set: { replicates: [] } }, append(0, 'STARTING')])).toBeNull();
    // the same path under two operators
    expect(mergeUpdates([{ $set: { version: 3 } }, { $inc: { version: 1 } }])).toBeNull();
  });

  it('refuses operators and $push modifiers it does not know', () => {
    expect(mergeUpdates([{ $unset: { consensus: '' } }])).toBeNull();
    expect(mergeUpdates([{ $push: { list: { $each: [1], $slice: -1 } } }])).toBeNull();
    expect(mergeUpdates([{ version: 2 }])).toBeNull();
  });

  it('merges nothing into an empty update', () => {
    expect(mergeUpdates([])).toStrictEqual({});
  });
});
