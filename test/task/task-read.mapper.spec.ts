import {
  ReplicateStatus,
  ReplicateStatusCause,
  ReplicateStatusModifier,
} from '../../src/replicate/replicate-status.js';
import type {
  Replicate,
  ReplicateStatusUpdate,
} from '../../src/replicate/replicates-list.schema.js';
import { replicateUrl, toReplicateModel, toTaskModel } from '../../src/task/task-read.mapper.js';
import { TaskStatus } from '../../src/task/task-status.js';

const BASE = 'http://core:13000';
const TASK = '0x' + '01'.repeat(32);
const WALLET = '0x1a69b2eb604db8eba185df03ea4f5288dcbbd248';
const DATE = new Date('2024-06-19T08:15:30.123Z');
const ISO = '2024-06-19T08:15:30.123+00:00';

const update = (
  status: ReplicateStatus,
  details?: ReplicateStatusUpdate['details'],
): ReplicateStatusUpdate => ({
  status,
  modifier: ReplicateStatusModifier.WORKER,
  date: DATE,
  ...(details ? { details } : {}),
});

const replicate = (fields: Partial<Replicate> = {}): Replicate => ({
  chainTaskId: TASK,
  walletAddress: WALLET,
  statusUpdateList: [update(ReplicateStatus.CREATED)],
  contributionHash: '',
  workerWeight: 0,
  appComputeLogsPresent: false,
  ...fields,
});

describe('toReplicateModel', () => {
  it('builds an absolute self URL and omits null and empty values', () => {
    expect(toReplicateModel(replicate(), BASE)).toEqual({
      self: `${BASE}/tasks/${TASK}/replicates/${WALLET}`,
      chainTaskId: TASK,
      walletAddress: WALLET,
      currentStatus: 'CREATED',
      statusUpdateList: [{ status: 'CREATED', date: ISO }],
    });
  });

  it('adds appLogs only when compute logs were captured', () => {
    const model = toReplicateModel(replicate({ appComputeLogsPresent: true }), BASE);
    expect(model.appLogs).toBe(`${BASE}/tasks/${TASK}/replicates/${WALLET}/logs`);
    expect(model.appLogs!.endsWith('/logs')).toBe(true);
  });

  it('takes the LAST exit code and TEE session error of the history (the reference fails on duplicates)', () => {
    const model = toReplicateModel(
      replicate({
        statusUpdateList: [
          update(ReplicateStatus.CREATED),
          update(ReplicateStatus.COMPUTE_FAILED, {
            exitCode: 1,
            teeSessionGenerationError: 'a',
            cause: ReplicateStatusCause.APP_COMPUTE_FAILED,
          }),
          update(ReplicateStatus.COMPUTE_FAILED, { exitCode: 0 }),
          update(ReplicateStatus.FAILED, { teeSessionGenerationError: 'b' }),
          update(ReplicateStatus.FAILED, { errorMessage: 'no exit code here' }),
        ],
      }),
      BASE,
    );
    expect(model.appExitCode).toBe(0);
    expect(model.teeSessionGenerationError).toBe('b');
    expect(model.currentStatus).toBe('FAILED');
    expect(model.statusUpdateList![1]).toEqual({
      status: 'COMPUTE_FAILED',
      date: ISO,
      cause: 'APP_COMPUTE_FAILED',
    });
  });

  it('keeps the result fields and a non-empty contribution hash, in the reference key order', () => {
    const model = toReplicateModel(
      replicate({
        resultLink: '/ipfs/Qm',
        chainCallbackData: '0xcb',
        contributionHash: '0xhash',
        appComputeLogsPresent: true,
      }),
      BASE,
    );
    expect(Object.keys(model)).toEqual([
      'self',
      'chainTaskId',
      'walletAddress',
      'currentStatus',
      'statusUpdateList',
      'resultLink',
      'chainCallbackData',
      'contributionHash',
      'appLogs',
    ]);
  });

  it('encodes path segments of the URLs', () => {
    expect(replicateUrl(BASE, 'a/b', 'c d')).toBe(`${BASE}/tasks/a%2Fb/replicates/c%20d`);
  });

  it('omits currentStatus and statusUpdateList for an empty history', () => {
    const model = toReplicateModel(replicate({ statusUpdateList: [] }), BASE);
    expect(model).not.toHaveProperty('currentStatus');
    expect(model).not.toHaveProperty('statusUpdateList');
  });
});

describe('toTaskModel', () => {
  const task = {
    chainTaskId: TASK,
    chainDealId: '0xdeal',
    taskIndex: 0,
    currentStatus: TaskStatus.INITIALIZED,
    maxExecutionTime: 3000,
    tag: '0x' + '0'.repeat(64),
    dappType: 'DOCKER',
    dappName: 'app',
    initializationBlockNumber: 12,
    trust: 1,
    contributionDeadline: DATE,
    finalDeadline: DATE,
    dateStatusList: [
      { date: DATE, status: TaskStatus.RECEIVED },
      { date: DATE, status: TaskStatus.INITIALIZED, chainReceipt: { blockNumber: 5 } },
    ],
  };

  it('emits every property with nulls, replicates null without a replicates document', () => {
    expect(toTaskModel(task, null, BASE)).toEqual({
      chainTaskId: TASK,
      replicates: null,
      maxExecutionTime: 3000,
      tag: task.tag,
      dappType: 'DOCKER',
      dappName: 'app',
      commandLine: null,
      initializationBlockNumber: 12,
      currentStatus: 'INITIALIZED',
      trust: 1,
      uploadingWorkerWalletAddress: null,
      consensus: null,
      contributionDeadline: ISO,
      revealDeadline: null,
      finalDeadline: ISO,
      resultLink: null,
      chainCallbackData: null,
      dateStatusList: [
        { date: ISO, status: 'RECEIVED' },
        { date: ISO, status: 'INITIALIZED', chainReceipt: { blockNumber: 5, txHash: null } },
      ],
    });
  });

  it('lists the replicates as ReplicateModels (an empty document gives an empty list)', () => {
    expect(toTaskModel(task, [], BASE).replicates).toEqual([]);
    const model = toTaskModel(task, [replicate(), replicate({ walletAddress: '0xother' })], BASE);
    expect(model.replicates!.map((r) => r.self)).toEqual([
      `${BASE}/tasks/${TASK}/replicates/${WALLET}`,
      `${BASE}/tasks/${TASK}/replicates/0xother`,
    ]);
  });
});
