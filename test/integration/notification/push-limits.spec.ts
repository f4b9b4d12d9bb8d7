import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SockJsEndpoint } from '../../../src/notification/sockjs-endpoint.js';
import { StompBroker } from '../../../src/notification/stomp/stomp-broker.js';
import { waitFor } from './push-test-app.js';
import { request, sessionUrl, WORKER_CONNECT, XhrStream, xhrSend } from './raw-sockjs.js';

// The push channel's bounds on anonymous clients, over real HTTP: sessions in total and per
// client, and non-text messages.
describe('push channel limits', () => {
  let server: http.Server;
  let endpoint: SockJsEndpoint;
  let broker: StompBroker;
  let base: string;
  const open: XhrStream[] = [];

  beforeAll(async () => {
    broker = new StompBroker();
    server = http.createServer((_req, res) => res.end('rest'));
    endpoint = new SockJsEndpoint(broker, {
      maxSessions: 3,
      maxSessionsPerClient: 2,
      disconnectDelayMs: 200,
    });
    endpoint.install(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    open.splice(0).forEach((stream) => stream.abort());
    await waitFor(() => broker.stats().sessions === 0, 10000, 'sessions closed');
  });
  afterAll(async () => {
    endpoint.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** Opens a session as `client`: 'open', or the close frame that followed sockjs's `o`. */
  async function session(client: string): Promise<{ url: string; first: string }> {
    const url = sessionUrl(base);
    const stream = await XhrStream.open(url, { 'X-Forwarded-For': client });
    open.push(stream);
    expect(await stream.next()).toBe('o');
    const next = await stream.next(300).catch(() => 'open');
    return { url, first: next };
  }

  it('closes sessions over the per-client bound and over the total bound with 1013', async () => {
    expect((await session('198.51.100.1')).first).toBe('open');
    expect((await session('198.51.100.1')).first).toBe('open');
    expect((await session('198.51.100.1')).first).toBe('c[1013,"Too many sessions"]');
    expect((await session('198.51.100.2')).first).toBe('open');
    expect((await session('198.51.100.3')).first).toBe('c[1013,"Too many sessions"]');
    expect(broker.stats().sessions).toBe(3);
  });

  it('frees a client slot when its session ends', async () => {
    const a = await session('198.51.100.4');
    await session('198.51.100.4');
    expect((await session('198.51.100.4')).first).toBe('c[1013,"Too many sessions"]');
    open[0].abort();
    await waitFor(() => broker.stats().sessions === 1, 10000, 'first session closed');
    expect(a.first).toBe('open');
    expect((await session('198.51.100.4')).first).toBe('open');
  });

  it('ends a session that posts a non-text message, and keeps serving', async () => {
    const { url } = await session('198.51.100.5');
    expect(await xhrSend(url, WORKER_CONNECT)).toBe(204);
    await waitFor(() => broker.stats().connectedSessions === 1, 5000, 'connected');
    const posted = await request(`${url}/xhr_send`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
      body: '[{"length":1000000000}]',
    });
    expect(posted.status).toBe(204);
    expect(broker.stats().sessions).toBe(0);
    expect((await request(`${base}/other`)).body).toBe('rest');
  });
});
