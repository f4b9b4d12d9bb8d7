import {
  TaskAbortCause,
  TaskNotificationType,
} from '../../src/notification/task-notification-type.js';
import {
  emptyTaskNotificationExtra,
  serializeTaskNotification,
  TaskNotification,
  taskNotificationJson,
  taskTopic,
} from '../../src/notification/task-notification.js';

const TASK = '0xd94b63fc2d3ec4b96daf84b403bbafdc8c8517e8e2addd51fec0fa4e67801be8';
const WALLET = '0x748e091bf16048cb5103e0e10f9d5a8b7fbdd860';
const SIGNATURE =
  '0x63f2c959ed7dfc11619e1e0b5ba8a4bf56f81ce81d0b6e6e9cdeca538cb85d97737747b747bc6c7d42cba859fdd030b1bed8b2513699ba78ac67dab5b785fda51c';

describe('TaskNotification JSON (worker-api.md §8.6)', () => {
  it('serializes a notification without extra with every property, null emitted', () => {
    const json = serializeTaskNotification({
      chainTaskId: TASK,
      workersAddress: [],
      taskNotificationType: TaskNotificationType.PLEASE_COMPLETE,
      taskNotificationExtra: null,
    });
    expect(json).toBe(
      `{"chainTaskId":"${TASK}","workersAddress":[],"taskNotificationType":"PLEASE_COMPLETE","taskNotificationExtra":null}`,
    );
  });

  it('serializes the extra in reference order, with no top-level taskAbortCause', () => {
    const json = serializeTaskNotification({
      chainTaskId: TASK,
      workersAddress: [WALLET, '0xB'],
      taskNotificationType: TaskNotificationType.PLEASE_ABORT,
      taskNotificationExtra: {
        ...emptyTaskNotificationExtra(),
        taskAbortCause: TaskAbortCause.CONSENSUS_REACHED,
      },
    });
    expect(json).toBe(
      `{"chainTaskId":"${TASK}","workersAddress":["${WALLET}","0xB"],"taskNotificationType":"PLEASE_ABORT",` +
        `"taskNotificationExtra":{"workerpoolAuthorization":null,"smsUrl":null,"blockNumber":0,"taskAbortCause":"CONSENSUS_REACHED"}}`,
    );
  });

  it('serializes a WorkerpoolAuthorization with exactly its four properties', () => {
    const json = serializeTaskNotification({
      chainTaskId: TASK,
      workersAddress: [WALLET],
      taskNotificationType: TaskNotificationType.PLEASE_REVEAL,
      taskNotificationExtra: {
        workerpoolAuthorization: {
          chainTaskId: TASK,
          workerWallet: WALLET,
          enclaveChallenge: '0x0000000000000000000000000000000000000000',
          signature: { value: SIGNATURE },
        },
        smsUrl: 'http://sms',
        blockNumber: 1234,
        taskAbortCause: null,
      },
    });
    expect(json).toBe(
      `{"chainTaskId":"${TASK}","workersAddress":["${WALLET}"],"taskNotificationType":"PLEASE_REVEAL",` +
        `"taskNotificationExtra":{"workerpoolAuthorization":{"chainTaskId":"${TASK}","workerWallet":"${WALLET}",` +
        `"enclaveChallenge":"0x0000000000000000000000000000000000000000","signature":{"value":"${SIGNATURE}"}},` +
        `"smsUrl":"http://sms","blockNumber":1234,"taskAbortCause":null}}`,
    );
  });

  it('drops properties the worker does not know, whatever the input object carries', () => {
    const polluted = {
      taskAbortCause: 'UNKNOWN',
      taskNotificationExtra: {
        ...emptyTaskNotificationExtra(),
        extra: 1,
        workerpoolAuthorization: {
          chainTaskId: TASK,
          workerWallet: WALLET,
          enclaveChallenge: '0x00',
          signature: { value: '0x01', r: '0x' },
          _id: 'x',
        },
      },
      chainTaskId: TASK,
      workersAddress: [],
      taskNotificationType: TaskNotificationType.PLEASE_UPLOAD,
      _id: 'mongo',
    } as unknown as TaskNotification;
    const json = taskNotificationJson(polluted);
    expect(Object.keys(json)).toEqual([
      'chainTaskId',
      'workersAddress',
      'taskNotificationType',
      'taskNotificationExtra',
    ]);
    expect(Object.keys(json.taskNotificationExtra ?? {})).toEqual([
      'workerpoolAuthorization',
      'smsUrl',
      'blockNumber',
      'taskAbortCause',
    ]);
    expect(json.taskNotificationExtra?.workerpoolAuthorization).toEqual({
      chainTaskId: TASK,
      workerWallet: WALLET,
      enclaveChallenge: '0x00',
      signature: { value: '0x01' },
    });
    expect(serializeTaskNotification(polluted)).not.toContain('"taskAbortCause":"UNKNOWN"');
  });

  it('names the task topic /topic/task/{chainTaskId}', () => {
    expect(taskTopic(TASK)).toBe(`/topic/task/${TASK}`);
  });
});
