import { keccak256, recoverAddress, toHex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { workerAccount } from '../../../devstack/chain/accounts.js';
import {
  abortCauseOf,
  concernsWorker,
  decodeNextAction,
  isAuthorizationFromScheduler,
  isSuccessStatus,
  signLoginChallenge,
  statusUpdateBody,
  walletString,
} from '../../../devstack/worker/protocol.js';
import { lenientHexToBytes } from '../../../src/common/lenient-hex.js';
import { signWorkerpoolAuthorization } from '../../../src/chain/workerpool-authorization.js';
import {
  TaskAbortCause,
  TaskNotificationType,
} from '../../../src/notification/task-notification-type.js';
import type { TaskNotification } from '../../../src/notification/task-notification.js';
import { ReplicateStatus, ReplicateStatusCause } from '../../../src/replicate/replicate-status.js';
import { isLoginSignatureValid, loginDigest } from '../../../src/worker/auth/login-signature.js';

describe('login signature (worker-api.md §2.2, §13)', () => {
  const worker = workerAccount(0);
  const wallet = walletString(worker.address);

  it('signs the §13 digest of "challenge": lenient bytes 0x0cfaefdffe, no message prefix', async () => {
    expect(toHex(lenientHexToBytes('challenge'))).toBe('0x0cfaefdffe');
    const digest = '0x795a02268962015518a88faa7fadb4cff5a4305778ef0ef9187acf3f36f70de1';
    expect(loginDigest('challenge')).toBe(digest);
    expect(keccak256(lenientHexToBytes('challenge'))).toBe(digest);

    const signature = await signLoginChallenge(worker, 'challenge');
    expect(signature).toMatch(/^0x[0-9a-f]{128}(1b|1c)$/);
    expect(await recoverAddress({ hash: digest, signature })).toBe(worker.address);
    // the scheduler's own check accepts it, for the lowercase wallet the worker presents
    expect(wallet).toBe(worker.address.toLowerCase());
    expect(isLoginSignatureValid('challenge', signature, wallet)).toBe(true);
  });

  it('is accepted for Base64 challenges as the scheduler issues them, and only for its signer', async () => {
    const challenge = 'q9m0c5Zr1k2xM1QmL5mJ+0l8D8Zs0yL0tq8sVhC2uJk=';
    const signature = await signLoginChallenge(worker, challenge);
    expect(isLoginSignatureValid(challenge, signature, wallet)).toBe(true);
    expect(
      isLoginSignatureValid(challenge, signature, walletString(workerAccount(1).address)),
    ).toBe(false);
    expect(isLoginSignatureValid('another challenge', signature, wallet)).toBe(false);
  });
});

describe('WorkerpoolAuthorization check (§5.6)', () => {
  // §13 vector: the scheduler key and the signature it must produce
  const scheduler = privateKeyToAccount(
    '0x2a46e8c1535792f6689b10d5c882c9363910c30751ec193ae71ec71630077909',
  );
  const fields = {
    chainTaskId: '0xd94b63fc2d3ec4b96daf84b403bbafdc8c8517e8e2addd51fec0fa4e67801be8',
    workerWallet: '0x748e091bf16048cb5103E0E10F9D5a8b7fBDd860',
    enclaveChallenge: '0x9a43BB008b7A657e1936ebf5d8e28e5c5E021596',
  };

  it('accepts the scheduler signature, whatever the casing of schedulerPublicAddress', async () => {
    const authorization = await signWorkerpoolAuthorization(scheduler, fields);
    expect(authorization.signature.value).toBe(
      '0x63f2c959ed7dfc11619e1e0b5ba8a4bf56f81ce81d0b6e6e9cdeca538cb85d97737747b747bc6c7d42cba859fdd030b1bed8b2513699ba78ac67dab5b785fda51c',
    );
    expect(isAuthorizationFromScheduler(authorization, scheduler.address)).toBe(true);
    expect(isAuthorizationFromScheduler(authorization, scheduler.address.toLowerCase())).toBe(true);
  });

  it('rejects another signer, a tampered authorization and a missing one', async () => {
    const intruder = privateKeyToAccount(generatePrivateKey());
    const forged = await signWorkerpoolAuthorization(intruder, fields);
    expect(isAuthorizationFromScheduler(forged, scheduler.address)).toBe(false);

    const genuine = await signWorkerpoolAuthorization(scheduler, fields);
    const otherTask = { ...genuine, chainTaskId: `0x${'11'.repeat(32)}` };
    expect(isAuthorizationFromScheduler(otherTask, scheduler.address)).toBe(false);
    const otherWorker = { ...genuine, workerWallet: workerAccount(0).address };
    expect(isAuthorizationFromScheduler(otherWorker, scheduler.address)).toBe(false);
    expect(isAuthorizationFromScheduler(null, scheduler.address)).toBe(false);
    const malformed = { ...genuine, signature: { value: '0x1234' } };
    expect(isAuthorizationFromScheduler(malformed, scheduler.address)).toBe(false);
  });
});

describe('status update body (§4.4, §4.5)', () => {
  const NULL_DETAILS =
    '{"chainReceipt":null,"resultLink":null,"chainCallbackData":null,"errorMessage":null,' +
    '"cause":null,"computeLogs":null,"exitCode":null,"teeSessionGenerationError":null}';

  it('has exactly status, modifier, date, details (every property, nulls) and success', () => {
    expect(JSON.stringify(statusUpdateBody(ReplicateStatus.STARTING))).toBe(
      `{"status":"STARTING","modifier":null,"date":null,"details":${NULL_DETAILS},"success":true}`,
    );
  });

  it('carries the given details in place, the others stay null', () => {
    const body = statusUpdateBody(ReplicateStatus.CONTRIBUTED, {
      chainReceipt: { blockNumber: 28511423, txHash: '0x5e' },
    });
    expect(JSON.stringify(body)).toBe(
      '{"status":"CONTRIBUTED","modifier":null,"date":null,"details":{"chainReceipt":' +
        '{"blockNumber":28511423,"txHash":"0x5e"},"resultLink":null,"chainCallbackData":null,' +
        '"errorMessage":null,"cause":null,"computeLogs":null,"exitCode":null,' +
        '"teeSessionGenerationError":null},"success":true}',
    );
    const failed = statusUpdateBody(ReplicateStatus.COMPUTE_FAILED, {
      cause: ReplicateStatusCause.APP_COMPUTE_FAILED,
      exitCode: 1,
      computeLogs: { walletAddress: '0xabc', stdout: 'out', stderr: 'err' },
    });
    expect(failed.success).toBe(false);
    expect(Object.keys(failed.details)).toEqual(Object.keys(JSON.parse(NULL_DETAILS)));
    expect(failed.details).toMatchObject({ cause: 'APP_COMPUTE_FAILED', exitCode: 1 });
  });

  it('sets success for the success group only', () => {
    const successes = Object.values(ReplicateStatus).filter(isSuccessStatus);
    expect(successes).toEqual([
      'CREATED',
      'STARTING',
      'STARTED',
      'APP_DOWNLOADING',
      'APP_DOWNLOADED',
      'DATA_DOWNLOADING',
      'DATA_DOWNLOADED',
      'COMPUTING',
      'COMPUTED',
      'CONTRIBUTING',
      'CONTRIBUTED',
      'REVEALING',
      'REVEALED',
      'CONTRIBUTE_AND_FINALIZE_ONGOING',
      'CONTRIBUTE_AND_FINALIZE_DONE',
      'COMPLETING',
      'COMPLETED',
    ]);
    for (const status of ['ABORTED', 'RESULT_UPLOADED', 'RESULT_UPLOADING', 'FAILED'] as const) {
      expect(statusUpdateBody(ReplicateStatus[status]).success).toBe(false);
    }
  });
});

describe('R3 answer decoding (§0.2, §7.1)', () => {
  it('decodes quoted notification types of 2xx answers (200, 202, 208)', () => {
    expect(decodeNextAction(200, '"PLEASE_CONTINUE"')).toBe(TaskNotificationType.PLEASE_CONTINUE);
    expect(decodeNextAction(202, '"PLEASE_ABORT"')).toBe(TaskNotificationType.PLEASE_ABORT);
    expect(decodeNextAction(208, '"PLEASE_WAIT"')).toBe(TaskNotificationType.PLEASE_WAIT);
  });

  it('treats empty, unquoted, unknown and error answers as undecodable', () => {
    expect(decodeNextAction(200, '')).toBeUndefined();
    expect(decodeNextAction(200, 'PLEASE_WAIT')).toBeUndefined();
    expect(decodeNextAction(200, '"PLEASE_DANCE"')).toBeUndefined();
    expect(decodeNextAction(200, '{"type":"PLEASE_WAIT"}')).toBeUndefined();
    expect(decodeNextAction(500, '"PLEASE_WAIT"')).toBeUndefined();
    expect(decodeNextAction(401, '')).toBeUndefined();
  });
});

describe('pushed notification filter (§8.5)', () => {
  const wallet = walletString(workerAccount(0).address);
  const to = (workersAddress: string[] | null): TaskNotification => ({
    chainTaskId: '0x01',
    workersAddress: workersAddress as string[],
    taskNotificationType: TaskNotificationType.PLEASE_COMPLETE,
    taskNotificationExtra: null,
  });

  it('takes an empty list as everybody and its exact wallet string', () => {
    expect(concernsWorker(to([]), wallet)).toBe(true);
    expect(concernsWorker(to([wallet]), wallet)).toBe(true);
    expect(concernsWorker(to(['0x0000000000000000000000000000000000000001', wallet]), wallet)).toBe(
      true,
    );
  });

  it('ignores other wallets, other casings and a null list', () => {
    expect(concernsWorker(to(['0x0000000000000000000000000000000000000001']), wallet)).toBe(false);
    expect(concernsWorker(to([workerAccount(0).address]), wallet)).toBe(false); // checksummed
    expect(concernsWorker(to([wallet.toUpperCase()]), wallet)).toBe(false);
    expect(concernsWorker(to(null), wallet)).toBe(false);
  });
});

describe('abort cause mapping (§4.3)', () => {
  const withCause = (taskAbortCause: TaskAbortCause | null) => ({
    taskNotificationExtra: {
      workerpoolAuthorization: null,
      smsUrl: null,
      blockNumber: 0,
      taskAbortCause,
    },
  });

  it('maps CONSENSUS_REACHED and CONTRIBUTION_TIMEOUT, anything else to UNKNOWN', () => {
    expect(abortCauseOf(withCause(TaskAbortCause.CONSENSUS_REACHED))).toBe('CONSENSUS_REACHED');
    expect(abortCauseOf(withCause(TaskAbortCause.CONTRIBUTION_TIMEOUT))).toBe(
      'CONTRIBUTION_TIMEOUT',
    );
    expect(abortCauseOf(withCause(TaskAbortCause.UNKNOWN))).toBe('UNKNOWN');
    expect(abortCauseOf(withCause(null))).toBe('UNKNOWN');
    expect(abortCauseOf({ taskNotificationExtra: null })).toBe('UNKNOWN');
    expect(abortCauseOf(undefined)).toBe('UNKNOWN');
  });
});
