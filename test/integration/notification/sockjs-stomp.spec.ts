import http from 'node:http';
import { TaskNotificationType } from '../../../src/notification/task-notification-type.js';
import { serializeTaskNotification } from '../../../src/notification/task-notification.js';
import {
  notification,
  PushTestApp,
  startPushTestApp,
  TASK_A,
  TASK_B,
  WALLET,
} from './push-test-app.js';
import {
  messagesOf,
  request,
  sessionUrl,
  WORKER_CONNECT,
  XhrStream,
  xhrSend,
} from './raw-sockjs.js';

describe('push channel at the SockJS/STOMP protocol level (worker-api.md §8)', () => {
  let push: PushTestApp;
  let base: string;
  const open: XhrStream[] = [];

  beforeAll(async () => {
    push = await startPushTestApp();
    base = push.baseUrl;
  });
  afterEach(() => open.splice(0).forEach((stream) => stream.abort()));
  afterAll(() => push.app.close());

  /** An xhr_streaming session that received `o` and CONNECTED. */
  async function connectedSession(): Promise<{ url: string; stream: XhrStream }> {
    const url = sessionUrl(base);
    const stream = await XhrStream.open(url);
    open.push(stream);
    expect(await stream.next()).toBe('o');
    expect(await xhrSend(url, WORKER_CONNECT)).toBe(204);
    expect(await stream.nextMessages()).toEqual(['CONNECTED\nversion:1.2\nheart-beat:0,0\n\n\0']);
    return { url, stream };
  }

  it('answers /connect/info like the reference, without setting a cookie', async () => {
    const info = await request(`${base}/connect/info`);
    expect(info.status).toBe(200);
    expect(info.headers['content-type']).toMatch(/^application\/json/);
    expect(info.headers['cache-control']).toContain('no-store');
    expect(info.headers['set-cookie']).toBeUndefined();
    const body = JSON.parse(info.body);
    expect(Object.keys(body).sort()).toEqual(['cookie_needed', 'entropy', 'origins', 'websocket']);
    expect(body).toMatchObject({ websocket: false, cookie_needed: true, origins: ['*:*'] });
    expect(Number.isInteger(body.entropy)).toBe(true);
    const preflight = await request(`${base}/connect/info`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://worker', 'Access-Control-Request-Method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('http://worker');
  });

  it('greets on /connect and /connect/', async () => {
    for (const path of ['/connect', '/connect/']) {
      const answer = await request(`${base}${path}`);
      expect([answer.status, answer.body]).toEqual([200, 'Welcome to SockJS!\n']);
    }
  });

  it('keeps the Fastify routes working beside SockJS', async () => {
    const hello = await request(`${base}/hello`);
    expect([hello.status, JSON.parse(hello.body)]).toEqual([200, { hello: 'world' }]);
    const echo = await request(`${base}/hello/echo`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"a":1}',
    });
    expect([echo.status, JSON.parse(echo.body)]).toEqual([201, { echo: { a: 1 } }]);
    const cors = await request(`${base}/hello`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://x', 'Access-Control-Request-Method': 'POST' },
    });
    expect([cors.status, cors.headers['access-control-allow-origin']]).toEqual([204, '*']);
    // Paths merely starting with the prefix, and unknown paths, stay Fastify's.
    for (const path of ['/connectx', '/nope', '/connect?x=1']) {
      const answer = await request(`${base}${path}`);
      expect(answer.status).toBe(404);
      expect(JSON.parse(answer.body)).toMatchObject({ statusCode: 404 });
    }
  });

  it('answers unknown /connect paths and the disabled WebSocket transport itself', async () => {
    for (const path of [
      '/connect/foo',
      '/connect/a/b/unknown',
      '/connect/websocket',
      '/connect/1/2/websocket',
    ]) {
      const answer = await request(`${base}${path}`);
      expect([path, answer.status]).toEqual([path, 404]);
      expect(answer.body).not.toContain('statusCode');
    }
    const wrongMethod = await request(`${base}/connect/1/2/xhr`);
    expect([wrongMethod.status, wrongMethod.headers.allow]).toEqual([405, 'POST, OPTIONS']);
    const noSession = await request(`${base}/connect/1/nosuchsession/xhr_send`, {
      method: 'POST',
      body: '["x"]',
    });
    expect(noSession.status).toBe(404);
  });

  it('carries a full STOMP exchange over xhr_streaming + xhr_send', async () => {
    const url = sessionUrl(base);
    const stream = await XhrStream.open(url);
    open.push(stream);
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('application/javascript; charset=UTF-8');
    expect(await stream.next()).toBe('o');
    expect(stream.prelude).toBe('h'.repeat(2048));

    expect(await xhrSend(url, WORKER_CONNECT)).toBe(204);
    expect(await stream.nextMessages()).toEqual(['CONNECTED\nversion:1.2\nheart-beat:0,0\n\n\0']);

    const topic = `/topic/task/${TASK_A}`;
    await xhrSend(url, `SUBSCRIBE\nid:sub-0\ndestination:${topic}\nreceipt:r-1\n\n\0`);
    expect(await stream.nextMessages()).toEqual(['RECEIPT\nreceipt-id:r-1\n\n\0']);

    const sent = { ...notification(TASK_A, TaskNotificationType.PLEASE_UPLOAD, [WALLET]) };
    expect(push.notifications.notify(sent)).toBe(1);
    expect(push.notifications.notify(notification(TASK_B))).toBe(0);
    const [message] = await stream.nextMessages();
    const json = serializeTaskNotification(sent);
    const match = message.match(
      /^MESSAGE\ndestination:(.*)\ncontent-type:(.*)\nsubscription:(.*)\nmessage-id:(.*)\ncontent-length:(\d+)\n\n([^\0]*)\0$/,
    );
    expect(match).not.toBeNull();
    const [, destination, contentType, subscription, messageId, length, body] = match ?? [];
    expect([destination, contentType, subscription]).toEqual([topic, 'application/json', 'sub-0']);
    expect(messageId).not.toBe('');
    expect(Number(length)).toBe(Buffer.byteLength(json));
    expect(body).toBe(json);
    expect(JSON.parse(body)).toEqual({
      chainTaskId: TASK_A,
      workersAddress: [WALLET],
      taskNotificationType: 'PLEASE_UPLOAD',
      taskNotificationExtra: null,
    });

    // After UNSUBSCRIBE nothing more arrives for that topic: the next frame is the receipt of a
    // later subscription, then that subscription's message.
    await xhrSend(url, 'UNSUBSCRIBE\nid:sub-0\nreceipt:r-2\n\n\0');
    expect(await stream.nextMessages()).toEqual(['RECEIPT\nreceipt-id:r-2\n\n\0']);
    expect(push.notifications.notify(notification(TASK_A))).toBe(0);
    await xhrSend(url, `SUBSCRIBE\nid:sub-1\ndestination:/topic/task/${TASK_B}\nreceipt:r-3\n\n\0`);
    expect(await stream.nextMessages()).toEqual(['RECEIPT\nreceipt-id:r-3\n\n\0']);
    push.notifications.notify(notification(TASK_B));
    const [later] = await stream.nextMessages();
    expect(later).toContain(`destination:/topic/task/${TASK_B}\n`);
    expect(later).toContain('\nsubscription:sub-1\n');

    await xhrSend(url, 'DISCONNECT\nreceipt:77\n\n\0');
    expect(await stream.nextMessages()).toEqual(['RECEIPT\nreceipt-id:77\n\n\0']);
    expect(await stream.next()).toBe('c[1000,"Normal closure"]');
    await stream.end();
    expect(push.notifications.notify(notification(TASK_B))).toBe(0);
  });

  it('serves the xhr polling transport', async () => {
    const url = sessionUrl(base);
    const first = await request(`${url}/xhr`, { method: 'POST' });
    expect([first.status, first.body]).toEqual([200, 'o\n']);
    expect(
      await xhrSend(
        url,
        WORKER_CONNECT,
        `SUBSCRIBE\nid:0\ndestination:/topic/task/${TASK_A}\n\n\0`,
      ),
    ).toBe(204);
    push.notifications.notify(notification(TASK_A));
    const second = await request(`${url}/xhr`, { method: 'POST' });
    const messages = messagesOf(second.body.trimEnd());
    expect(messages[0]).toBe('CONNECTED\nversion:1.2\nheart-beat:0,0\n\n\0');
    expect(messages[1]).toMatch(/^MESSAGE\ndestination:\/topic\/task\/0xa{64}\n/);
    await xhrSend(url, 'DISCONNECT\n\n\0');
  });

  it('answers a malformed frame with ERROR, then closes the session', async () => {
    const { url, stream } = await connectedSession();
    await xhrSend(url, 'SUBSCRIBE\ndestination\n\n\0');
    const [error] = await stream.nextMessages();
    expect(error).toMatch(
      /^ERROR\nmessage:Malformed header line\ncontent-type:text\/plain\ncontent-length:\d+\n\n/,
    );
    expect(await stream.next()).toBe('c[1002,"STOMP protocol error"]');
    await stream.end();
  });

  it('reassembles a STOMP frame split over several SockJS messages', async () => {
    const { url, stream } = await connectedSession();
    await xhrSend(url, 'SUBSCRI', `BE\nid:x\ndestination:/topic/task/${TASK_B}\nrec`);
    await xhrSend(url, 'eipt:r\n\n\0\n');
    expect(await stream.nextMessages()).toEqual(['RECEIPT\nreceipt-id:r\n\n\0']);
  });

  it('closes a streaming response after 128 KiB; the next one gets the rest', async () => {
    const { url, stream } = await connectedSession();
    await xhrSend(url, `SUBSCRIBE\nid:0\ndestination:/topic/task/${TASK_B}\nreceipt:ok\n\n\0`);
    await stream.nextMessages();
    const wallets = Array.from({ length: 20 }, (_, i) => `0x${i.toString(16).padStart(40, '0')}`);
    const count = 200; // about 1 KiB each, 200 KiB in all
    for (let i = 0; i < count; i++) {
      push.notifications.notify(notification(TASK_B, TaskNotificationType.PLEASE_ABORT, wallets));
    }
    await stream.end();
    expect(stream.bytes).toBeGreaterThanOrEqual(128 * 1024);
    expect(stream.bytes).toBeLessThan(140 * 1024);
    const firstPart = stream.frames
      .filter((f) => f.startsWith('a'))
      .flatMap(messagesOf)
      .filter((m) => m.startsWith('MESSAGE\n'));
    const second = await XhrStream.open(url);
    open.push(second);
    const rest = await second.nextMessages();
    expect(firstPart.length).toBeGreaterThan(0);
    expect(firstPart.length + rest.length).toBe(count);
    const ids = [...firstPart, ...rest].map((m) => m.match(/\nmessage-id:(.*)\n/)?.[1]);
    expect(new Set(ids).size).toBe(count);
  });

  it('sends a SockJS heartbeat every 5 s', async () => {
    const { stream } = await connectedSession();
    const started = Date.now();
    expect(await stream.next(7000, false)).toBe('h');
    expect(Date.now() - started).toBeGreaterThan(4000);
    expect(Date.now() - started).toBeLessThan(6500);
  }, 10000);

  it('closes a session about 5 s after its receiving request ended without a new one', async () => {
    const url = sessionUrl(base);
    await request(`${url}/xhr`, { method: 'POST' });
    const idleSince = Date.now();
    // xhr_send answers 204 while the session exists, 404 once it is gone. A lone EOL is a
    // STOMP heart-beat, harmless to the session.
    await new Promise((resolve) => setTimeout(resolve, 3500));
    expect(await xhrSend(url, '\n')).toBe(204);
    let status = 204;
    while (status === 204 && Date.now() - idleSince < 8000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = await xhrSend(url, '\n');
    }
    expect(status).toBe(404);
    expect(Date.now() - idleSince).toBeGreaterThan(4500);
    expect(Date.now() - idleSince).toBeLessThan(6500);
  }, 15000);

  it('refuses oversized xhr_send bodies', async () => {
    const { url } = await connectedSession();
    const status = await xhrSend(url, 'x'.repeat(2 * 1024 * 1024));
    expect(status).toBe(413);
    // Same without content-length: the body is cut while it streams in.
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        `${url}/xhr_send`,
        { method: 'POST', agent: false, headers: { 'Transfer-Encoding': 'chunked' } },
        (res) => resolve(res.statusCode ?? 0),
      );
      req.on('error', reject);
      req.write('["');
      const chunk = 'y'.repeat(64 * 1024);
      let written = 0;
      const pump = () => {
        while (written < 40 && req.write(chunk)) written++;
        if (written < 40) req.once('drain', pump);
        else req.end('"]');
      };
      pump();
    });
    expect(chunked).toBe(413);
  });
});
