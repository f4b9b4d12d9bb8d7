import { PushClient } from '../../../devstack/worker/push-client.js';
import { NotificationService } from '../../../src/notification/notification.service.js';
import { isolateChainPerFile, testChain } from '../../support/chain.js';
import { RunningScheduler, startScheduler } from '../../support/scheduler.js';
import { notification, TASK_A, waitFor } from '../../integration/notification/push-test-app.js';
import { request } from '../../integration/notification/raw-sockjs.js';

const chain = testChain();
isolateChainPerFile(chain);

describe('push channel in the real application (createApp + AppModule)', () => {
  let scheduler: RunningScheduler;
  let base: string;

  beforeAll(async () => {
    scheduler = await startScheduler(chain, await chain.fixtures.createWorkerpool());
    base = scheduler.baseUrl;
  });
  afterAll(async () => {
    await scheduler?.close();
  });

  it('serves /connect beside the REST endpoints, and a worker-like client gets notified', async () => {
    const info = await request(`${base}/connect/info`);
    expect(JSON.parse(info.body)).toMatchObject({ websocket: false, cookie_needed: true });
    expect((await request(`${base}/version`)).status).toBe(200);

    const client = new PushClient({ url: `${base}/connect`, reconnectDelayMs: 200 });
    const received: unknown[] = [];
    client.subscribe(TASK_A, (n) => received.push(n));
    client.connect();
    try {
      await client.waitUntilConnected(5000);
      const notifications = scheduler.get(NotificationService);
      await waitFor(() => notifications.stats().subscriptions === 1, 5000, 'subscription');
      notifications.notify(notification(TASK_A));
      await waitFor(() => received.length === 1, 5000, 'notification');
    } finally {
      await client.close();
    }
  });
});
