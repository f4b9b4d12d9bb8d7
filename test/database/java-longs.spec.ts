import { mongo } from 'mongoose';
import { withJavaLongs } from '../../src/database/java-longs.js';

const isLong = (v: unknown) => v instanceof mongo.Long;

describe('withJavaLongs', () => {
  it('makes the long fields of a task document Int64, the int ones stay numbers', () => {
    const doc = withJavaLongs('task', {
      version: 0,
      taskIndex: 3,
      trust: 1,
      dealBlockNumber: 12,
      dateStatusList: [{ status: 'X', chainReceipt: { blockNumber: 7, txHash: '0x' } }],
      contributionDeadline: new Date(5),
    });
    expect(isLong(doc.version)).toBe(true);
    expect(isLong(doc.dealBlockNumber)).toBe(true);
    expect(isLong(doc.dateStatusList[0].chainReceipt.blockNumber)).toBe(true);
    expect(doc.taskIndex).toBe(3);
    expect(doc.trust).toBe(1);
    expect(doc.contributionDeadline).toEqual(new Date(5));
  });

  it('follows update operators, $each and dotted paths with array positions', () => {
    const update = withJavaLongs('replicatesList', {
      $push: {
        'replicates.2.statusUpdateList': {
          $each: [{ status: 'CONTRIBUTED', details: { chainReceipt: { blockNumber: 9 } } }],
        },
      },
      $set: { 'replicates.2.workerWeight': 1 },
      $inc: { version: 1 },
    });
    const pushed = update.$push['replicates.2.statusUpdateList'].$each[0];
    expect(isLong(pushed.details.chainReceipt.blockNumber)).toBe(true);
    expect(isLong(update.$inc.version)).toBe(true);
    expect(update.$set['replicates.2.workerWeight']).toBe(1);
  });

  it('leaves collections without long fields alone', () => {
    const doc = { cpuNb: 4 };
    expect(withJavaLongs('worker', doc)).toBe(doc);
  });
});
