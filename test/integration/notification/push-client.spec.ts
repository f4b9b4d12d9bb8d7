import { concernsWorker, PushClient } from '../../../devstack/worker/push-client.js';
import { TaskNotificationType } from '../../../src/notification/task-notification-type.js';
import { TaskNotification } from '../../../src/notification/task-notification.js';
import {
  notification,
  PushTestApp,
  startPushTestApp,
  TASK_A,
  TASK_B,
  TASK_C,
  WALLET,
  waitFor,
} from './push-test-app.js';

describe('push client (devstack/worker/push-client.ts) against the push channel', () => {
  let push: PushTestApp;
  const clients: PushClient[] = [];

  function newClient(options: { transports?: string[] } = {}): PushClient {
    const client = new PushClient({
      url: `${push.baseUrl}/connect`,
      reconnectDelayMs: 100,
      ...options,
    });
    clients.push(client);
    client.connect();
    return client;
  }

  const subscriptions = () => push.notifications.stats().subscriptions;

  beforeEach(async () => {
    push = await startPushTestApp();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await push.app.close();
  });

  it('connects over xhr-streaming and receives the notifications of its subscribed tasks only', async () => {
    const client = newClient();
    await client.waitUntilConnected(5000);
    expect(client.isConnected()).toBe(true);
    expect(client.transport).toBe('xhr-streaming');
    const received: Array<[string, TaskNotification]> = [];
    client.subscribe(TASK_A, (n) => received.push(['A', n]));
    client.subscribe(TASK_B, (n) => received.push(['B', n]));
    await waitFor(() => subscriptions() === 2, 5000, 'subscriptions');

    const targeted = notification(TASK_A, TaskNotificationType.PLEASE_UPLOAD, ['0xsomeoneelse']);
    expect(push.notifications.notify(targeted)).toBe(1);
    expect(push.notifications.notify(notification(TASK_C))).toBe(0);
    expect(push.notifications.notify(notification(TASK_B))).toBe(1);
    await waitFor(() => received.length === 2, 5000, 'two notifications');
    expect(received).toEqual([
      ['A', targeted],
      ['B', notification(TASK_B)],
    ]);
    expect(concernsWorker(received[0][1], WALLET)).toBe(false);
    expect(concernsWorker(received[1][1], WALLET)).toBe(true);

    client.unsubscribe(TASK_A);
    expect(client.subscribedTasks()).toEqual([TASK_B]);
    await waitFor(() => subscriptions() === 1, 5000, 'unsubscription');
    expect(push.notifications.notify(notification(TASK_A))).toBe(0);
    push.notifications.notify(notification(TASK_B, TaskNotificationType.PLEASE_ABORT));
    await waitFor(() => received.length === 3, 5000, 'third notification');
    expect(received.map(([topic]) => topic)).toEqual(['A', 'B', 'B']);
  });

  it('reconnects and resubscribes after the server closed its session', async () => {
    const client = newClient();
    const received: TaskNotification[] = [];
    client.subscribe(TASK_A, (n) => received.push(n)); // before the first session
    await client.waitUntilConnected(5000);
    await waitFor(() => subscriptions() === 1, 5000, 'first subscription');

    push.broker.closeAll();
    await waitFor(() => !client.isConnected(), 5000, 'disconnection seen by the client');
    await client.waitUntilConnected(5000);
    expect(client.sessionCount).toBe(2);
    await waitFor(() => subscriptions() === 1, 5000, 'resubscription');
    push.notifications.notify(notification(TASK_A));
    await waitFor(() => received.length === 1, 5000, 'notification after reconnection');
  });

  it('reconnects to a restarted scheduler on the same port', async () => {
    const client = newClient();
    const received: TaskNotification[] = [];
    client.subscribe(TASK_B, (n) => received.push(n));
    await client.waitUntilConnected(5000);
    const port = push.port;
    await push.app.close();
    await waitFor(() => !client.isConnected(), 5000, 'disconnection');
    await new Promise((resolve) => setTimeout(resolve, 300)); // a few refused attempts
    push = await startPushTestApp(port);
    await client.waitUntilConnected(10000);
    await waitFor(() => subscriptions() === 1, 5000, 'resubscription on the new server');
    push.notifications.notify(notification(TASK_B, TaskNotificationType.PLEASE_COMPLETE));
    await waitFor(() => received.length === 1, 5000, 'notification from the new server');
  });

  it('notices at once a scheduler that died mid-stream (no close frame, sockets cut) and reconnects to its successor', async () => {
    const client = newClient();
    const received: TaskNotification[] = [];
    client.subscribe(TASK_C, (n) => received.push(n));
    await client.waitUntilConnected(5000);
    await waitFor(() => subscriptions() === 1, 5000, 'first subscription');
    const port = push.port;
    // What a SIGKILL leaves the client: the streaming response cut, no SockJS or STOMP goodbye.
    push.app.getHttpServer().closeAllConnections();
    // Node reports such a response 'aborted', never 'end': without the driver fix the worker
    // waited for its 20 s staleness watchdog while the new scheduler's notifications went nowhere.
    await waitFor(() => !client.isConnected(), 2000, 'the cut stream seen by the client');
    await push.app.close();
    push = await startPushTestApp(port);
    await client.waitUntilConnected(5000);
    await waitFor(() => subscriptions() === 1, 5000, 'resubscription on the new server');
    push.notifications.notify(notification(TASK_C));
    await waitFor(() => received.length === 1, 5000, 'notification from the new server');
  });

  it('works over xhr-polling when streaming is not allowed', async () => {
    const client = newClient({ transports: ['xhr-polling'] });
    await client.waitUntilConnected(5000);
    expect(client.transport).toBe('xhr-polling');
    const received: TaskNotification[] = [];
    client.subscribe(TASK_C, (n) => received.push(n));
    await waitFor(() => subscriptions() === 1, 5000, 'subscription');
    push.notifications.notify(notification(TASK_C));
    await waitFor(() => received.length === 1, 5000, 'notification');
  });

  it('close() disconnects for good', async () => {
    const client = newClient();
    client.subscribe(TASK_A, () => undefined);
    await client.waitUntilConnected(5000);
    await waitFor(() => subscriptions() === 1, 5000, 'subscription');
    await client.close();
    expect(client.isConnected()).toBe(false);
    await waitFor(() => push.notifications.stats().sessions === 0, 5000, 'session end');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(push.notifications.stats().sessions).toBe(0);
    expect(client.sessionCount).toBe(1);
  });
});
