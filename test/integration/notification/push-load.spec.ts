import { PushClient } from '../../../devstack/worker/push-client.js';
import { TaskNotificationType } from '../../../src/notification/task-notification-type.js';
import { notification, PushTestApp, startPushTestApp, TASK_A, waitFor } from './push-test-app.js';
import { request } from './raw-sockjs.js';

const CLIENTS = 200;
const BROADCASTS = 20;
const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

describe(`push channel with ${CLIENTS} concurrent client sessions`, () => {
  let push: PushTestApp;
  let clients: PushClient[] = [];

  beforeAll(async () => {
    push = await startPushTestApp();
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await push.app.close();
  });

  it('connects them all and delivers every broadcast to every one of them', async () => {
    const memoryBefore = process.memoryUsage();
    const received = new Array<number>(CLIENTS).fill(0);
    const arrival = new Array<number>(CLIENTS).fill(0);

    const connectStart = performance.now();
    clients = Array.from({ length: CLIENTS }, (_, i) => {
      const client = new PushClient({ url: `${push.baseUrl}/connect`, reconnectDelayMs: 500 });
      client.subscribe(TASK_A, () => {
        received[i]++;
        arrival[i] = performance.now();
      });
      client.connect();
      return client;
    });
    await Promise.all(clients.map((client) => client.waitUntilConnected(20000)));
    await waitFor(
      () => push.notifications.stats().subscriptions === CLIENTS,
      10000,
      'subscriptions',
    );
    const connectMs = performance.now() - connectStart;
    const memoryAfter = process.memoryUsage();
    expect(push.notifications.stats()).toMatchObject({
      sessions: CLIENTS,
      connectedSessions: CLIENTS,
      destinations: 1,
    });
    expect(clients.every((client) => client.transport === 'xhr-streaming')).toBe(true);

    // REST keeps answering while every session holds a streaming response open.
    const restStart = performance.now();
    expect((await request(`${push.baseUrl}/hello`)).status).toBe(200);
    const restMs = performance.now() - restStart;

    const latencies: number[] = [];
    for (let round = 1; round <= BROADCASTS; round++) {
      const sent = performance.now();
      const type =
        round % 2 ? TaskNotificationType.PLEASE_UPLOAD : TaskNotificationType.PLEASE_ABORT;
      expect(push.notifications.notify(notification(TASK_A, type))).toBe(CLIENTS);
      await waitFor(() => received.every((count) => count === round), 10000, `broadcast ${round}`);
      latencies.push(Math.max(...arrival) - sent);
    }
    expect(received).toEqual(new Array(CLIENTS).fill(BROADCASTS));
    latencies.sort((a, b) => a - b);
    const median = latencies[Math.floor(latencies.length / 2)];
    const worst = latencies[latencies.length - 1];
    expect(worst).toBeLessThan(5000);

    console.log(
      [
        `${CLIENTS} push clients (sockjs-client xhr-streaming + stompjs) and the server in one process:`,
        `connect+subscribe ${Math.round(connectMs)} ms,`,
        `heap +${mib(memoryAfter.heapUsed - memoryBefore.heapUsed)} MiB,`,
        `rss +${mib(memoryAfter.rss - memoryBefore.rss)} MiB,`,
        `REST GET during load ${Math.round(restMs)} ms,`,
        `broadcast to all ${CLIENTS} (last arrival): median ${median.toFixed(1)} ms,`,
        `worst ${worst.toFixed(1)} ms over ${BROADCASTS} broadcasts`,
      ].join(' '),
    );
  }, 60000);
});
