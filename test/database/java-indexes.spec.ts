import { indexesToDrop, type DeclaredIndex } from '../../src/database/java-indexes.js';

const DECLARED: DeclaredIndex[] = [
  [{ chainTaskId: 1 }, { unique: true, name: 'chainTaskId' }],
  [{ currentStatus: 1 }, { name: 'currentStatus' }],
  [
    { chainDealId: 1, taskIndex: 1 },
    { unique: true, name: 'unique_deal_idx' },
  ],
];

describe('indexesToDrop', () => {
  it('keeps the Java-named indexes and _id_', () => {
    const existing = [
      { name: '_id_', key: { _id: 1 } },
      { name: 'chainTaskId', key: { chainTaskId: 1 }, unique: true },
      { name: 'currentStatus', key: { currentStatus: 1 } },
      { name: 'unique_deal_idx', key: { chainDealId: 1, taskIndex: 1 }, unique: true },
    ];
    expect(indexesToDrop(existing, DECLARED)).toEqual([]);
  });

  it('drops the Mongoose-named ones on a declared key', () => {
    const existing = [
      { name: 'chainTaskId_1', key: { chainTaskId: 1 }, unique: true },
      { name: 'currentStatus_1', key: { currentStatus: 1 } },
    ];
    expect(indexesToDrop(existing, DECLARED)).toEqual(['chainTaskId_1', 'currentStatus_1']);
  });

  it('drops a Java-named index whose uniqueness or key differ', () => {
    const existing = [
      { name: 'chainTaskId', key: { chainTaskId: 1 } },
      { name: 'unique_deal_idx', key: { taskIndex: 1, chainDealId: 1 }, unique: true },
    ];
    expect(indexesToDrop(existing, DECLARED)).toEqual(['chainTaskId', 'unique_deal_idx']);
  });

  it('leaves indexes on other keys alone', () => {
    expect(indexesToDrop([{ name: 'tag_1', key: { tag: 1 } }], DECLARED)).toEqual([]);
  });
});
