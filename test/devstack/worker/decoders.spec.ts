import {
  decodePublicConfiguration,
  decodeReplicateTaskSummary,
  decodeTaskNotification,
  decodeTaskNotifications,
} from '../../../devstack/worker/decoders.js';

const CONFIG = {
  workerPoolAddress: '0x365E7BABAa85eC61Dffe5b520763062e6C29dA27',
  schedulerPublicAddress: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8',
  blockchainAdapterUrl: 'http://localhost:8888',
  configServerUrl: 'http://localhost:8888',
  resultRepositoryURL: 'http://localhost:13200',
  askForReplicatePeriod: 5000,
  requiredWorkerVersion: '',
};

const AUTHORIZATION = {
  chainTaskId: `0x${'ab'.repeat(32)}`,
  workerWallet: '0xbcd4042de499d14e55001ccbb24a551f3b954096',
  enclaveChallenge: '0x0000000000000000000000000000000000000000',
  signature: { value: `0x${'11'.repeat(65)}` },
};

describe('strict HTTP decoding (worker-api.md §0.2)', () => {
  it('decodes the seven W5 properties and nothing else', () => {
    expect(decodePublicConfiguration(JSON.stringify(CONFIG))).toEqual(CONFIG);
    expect(() => decodePublicConfiguration(JSON.stringify({ ...CONFIG, chainId: 1 }))).toThrow(
      /unknown properties chainId/,
    );
    const { askForReplicatePeriod: _, ...missing } = CONFIG;
    expect(() => decodePublicConfiguration(JSON.stringify(missing))).toThrow(/missing/);
  });

  it('refuses a null requiredWorkerVersion and falls back to blockchainAdapterUrl', () => {
    const nullVersion = { ...CONFIG, requiredWorkerVersion: null };
    expect(() => decodePublicConfiguration(JSON.stringify(nullVersion))).toThrow(
      /requiredWorkerVersion/,
    );
    const noConfigServer = { ...CONFIG, configServerUrl: '', blockchainAdapterUrl: 'http://a:1' };
    expect(decodePublicConfiguration(JSON.stringify(noConfigServer)).configServerUrl).toBe(
      'http://a:1',
    );
  });

  it('decodes R1 summaries with exactly two properties and a four-property authorization', () => {
    const summary = { workerpoolAuthorization: AUTHORIZATION, smsUrl: null };
    expect(decodeReplicateTaskSummary(JSON.stringify(summary))).toEqual(summary);
    expect(() =>
      decodeReplicateTaskSummary(JSON.stringify({ ...summary, taskDescription: {} })),
    ).toThrow(/unknown properties taskDescription/);
    const extraSignature = {
      ...summary,
      workerpoolAuthorization: { ...AUTHORIZATION, signature: { value: '0x', v: 27 } },
    };
    expect(() => decodeReplicateTaskSummary(JSON.stringify(extraSignature))).toThrow(/signature/);
  });

  it('refuses the derived top-level taskAbortCause in R2 answers, not on STOMP', () => {
    const notification = {
      chainTaskId: AUTHORIZATION.chainTaskId,
      workersAddress: [AUTHORIZATION.workerWallet],
      taskNotificationType: 'PLEASE_ABORT',
      taskNotificationExtra: {
        workerpoolAuthorization: AUTHORIZATION,
        smsUrl: null,
        blockNumber: 0,
        taskAbortCause: 'CONSENSUS_REACHED',
      },
    };
    expect(decodeTaskNotifications(JSON.stringify([notification]))).toEqual([notification]);
    const derived = { ...notification, taskAbortCause: 'CONSENSUS_REACHED' };
    expect(() => decodeTaskNotifications(JSON.stringify([derived]))).toThrow(/taskAbortCause/);
    expect(decodeTaskNotification(derived, false)).toEqual(notification);
  });

  it('keeps a null workersAddress as null (the worker then ignores the notification)', () => {
    const n = decodeTaskNotification(
      { chainTaskId: '0x01', workersAddress: null, taskNotificationType: 'PLEASE_COMPLETE' },
      false,
    );
    expect(n.workersAddress).toBeNull();
    expect(n.taskNotificationExtra).toBeNull();
    expect(() =>
      decodeTaskNotification({ chainTaskId: '0x01', taskNotificationType: 'PLEASE_DANCE' }, false),
    ).toThrow(/unknown/);
  });
});
