import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PushClient } from '../../../devstack/worker/push-client.js';
import { createApp } from '../../../src/bootstrap.js';
import { NotificationService } from '../../../src/notification/notification.service.js';
import { testConfig } from '../../support/config.js';
import { dropDatabase, isolatedMongoUrl } from '../../support/mongo.js';
import { notification, TASK_A, waitFor } from './push-test-app.js';
import { request } from './raw-sockjs.js';

describe('push channel in the real application (createApp + AppModule)', () => {
  const mongoUrl = isolatedMongoUrl('push');
  let app: NestFastifyApplication;
  let base: string;

  beforeAll(async () => {
    app = await createApp(testConfig({ MONGO_URL: mongoUrl }));
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address();
    if (!address || typeof address === 'string') throw new Error('no TCP address');
    base = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    await app?.close();
    await dropDatabase(mongoUrl);
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
      const notifications = app.get(NotificationService);
      await waitFor(() => notifications.stats().subscriptions === 1, 5000, 'subscription');
      notifications.notify(notification(TASK_A));
      await waitFor(() => received.length === 1, 5000, 'notification');
    } finally {
      await client.close();
    }
  });
});
