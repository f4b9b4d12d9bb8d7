import { mongo } from 'mongoose';
import { rewrites } from '../fixtures/java-database/compare.js';
import { javaConfiguration, javaTask, long } from '../fixtures/java-database/documents.js';
import { javaShapeProblems } from '../fixtures/java-database/shapes.js';

// The checkers of the Java takeover e2e (test/e2e/app/java-takeover.spec.ts) catch what they are for.
const task = () =>
  javaTask({
    chainTaskId: '0x01',
    chainDealId: '0xd1',
    taskIndex: 0,
    dealBlockNumber: 10,
    maxExecutionTime: 300000,
    tag: '0x00',
    dappName: 'app',
    trust: 1,
    contributionDeadline: new Date(1000),
    finalDeadline: new Date(2000),
    history: [{ status: 'RECEIVED', date: new Date(0) }],
    version: 0,
  });

describe('javaShapeProblems', () => {
  it('accepts what Spring writes', () => {
    expect(javaShapeProblems('task', task())).toEqual([]);
    expect(javaShapeProblems('configuration', javaConfiguration(5n, 0))).toEqual([]);
  });

  it('flags an Int32 long, an unknown field, a null, a missing primitive and a bad enum name', () => {
    const doc: Record<string, unknown> = { ...task(), version: new mongo.Int32(0), extra: 'x' };
    doc.tag = null;
    delete doc.trust;
    doc.currentStatus = 'NOT_A_STATUS';
    expect(javaShapeProblems('task', doc)).toEqual([
      'task.version: int, Java writes long',
      'task.tag: null (Spring leaves null fields out)',
      'task.currentStatus: NOT_A_STATUS is no Java enum name',
      'task.trust: missing (a Java primitive or required field)',
      'task.extra: not a field of the Java model',
    ]);
  });
});

describe('rewrites', () => {
  it('allows status changes and appended history, not a changed type or an edited entry', () => {
    const before = task();
    const moved = {
      ...before,
      version: long(1),
      currentStatus: 'INITIALIZING',
      dateStatusList: [...before.dateStatusList, { date: new Date(1), status: 'INITIALIZING' }],
    };
    expect(rewrites('task', before, moved)).toEqual([]);
    const broken = {
      ...moved,
      dealBlockNumber: new mongo.Int32(10),
      dateStatusList: [{ date: new Date(5), status: 'RECEIVED' }],
      trust: new mongo.Int32(2),
    };
    expect(rewrites('task', before, broken)).toEqual([
      'task 0x01.dealBlockNumber: long became int',
      expect.stringMatching(/^task 0x01\.trust: /),
      expect.stringMatching(/^task 0x01\.dateStatusList\.0: was /),
    ]);
    expect(rewrites('task', before, null)).toEqual(['task 0x01: gone']);
  });
});
