// FakeScheduler behind real HTTP and the real push channel (SockJS endpoint + STOMP broker of
// src/notification), plus a minimal Result Proxy: to test the simulated worker's wire format.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { recoverMessageAddress, type Hex } from 'viem';
import type { ApiResult } from '../../devstack/worker/scheduler-api.js';
import { workerpoolAuthorizationHash } from '../../src/chain/workerpool-authorization.js';
import { SockJsEndpoint } from '../../src/notification/sockjs-endpoint.js';
import { StompBroker } from '../../src/notification/stomp/stomp-broker.js';
import {
  serializeTaskNotification,
  taskTopic,
  type TaskNotification,
  type WorkerpoolAuthorization,
} from '../../src/notification/task-notification.js';
import type { FakeScheduler } from './fake-scheduler.js';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface FakeSchedulerServer {
  url: string;
  requests: RecordedRequest[];
  /** TCP connections accepted so far (keep-alive check). */
  connections: number;
  /** Result Proxy state: uploads by task, and the JWTs it issued (to wallets). */
  uploads: Map<string, { wallet: string; model: Record<string, unknown> }>;
  publish(notification: TaskNotification): number;
  /** STOMP subscriptions currently open on the broker. */
  subscriptions(): number;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

export async function startFakeSchedulerServer(fake: FakeScheduler): Promise<FakeSchedulerServer> {
  const requests: RecordedRequest[] = [];
  const uploads = new Map<string, { wallet: string; model: Record<string, unknown> }>();
  const proxyTokens = new Map<string, string>();
  const broker = new StompBroker();
  const state = { connections: 0 };

  const send = <T>(res: ServerResponse, result: ApiResult<T>, render: (v: T) => string) => {
    if (result.ok && result.status === 204) return res.writeHead(204).end();
    if (!result.ok) return res.writeHead(result.status || 500).end();
    const body = render(result.value);
    res.writeHead(result.status, { 'Content-Type': 'application/json' }).end(body);
  };
  const json = (v: unknown) => JSON.stringify(v);
  const text = (v: string) => v;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push({
      method: req.method ?? '',
      path: url.pathname + url.search,
      headers: req.headers,
      body,
    });
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const wallet = url.searchParams.get('walletAddress') ?? '';
    const block = Number(url.searchParams.get('blockNumber'));
    const route = `${req.method} ${url.pathname}`;
    const status = /^\/replicates\/(0x[0-9a-f]+)\/updateStatus$/.exec(url.pathname);
    if (route === 'GET /workers/config') return send(res, await fake.getConfig(), json);
    if (route === 'GET /workers/challenge') return send(res, await fake.getChallenge(wallet), text);
    if (route === 'POST /workers/login') {
      return send(res, await fake.login(wallet, JSON.parse(body).value), text);
    }
    if (route === 'POST /workers/register') {
      return send(res, await fake.register(token, JSON.parse(body)), () => '{}');
    }
    if (route === 'POST /workers/ping') return send(res, await fake.ping(token), text);
    if (route === 'GET /workers/computing') return send(res, await fake.computing(token), json);
    if (route === 'GET /replicates/available') {
      return send(res, await fake.available(token, block), json);
    }
    if (route === 'GET /replicates/interrupted') {
      return send(res, await fake.interrupted(token, block), json);
    }
    if (req.method === 'POST' && status) {
      const result = await fake.updateStatus(token, status[1], JSON.parse(body));
      // "no next action" is a 200 with an empty body
      if (!result.ok && result.status === 200) return res.writeHead(200).end();
      return send(res, result, json);
    }
    return resultProxy(route, url, req, res, body);
  };

  /** services.md §6 as the worker uses it. */
  const resultProxy = async (
    route: string,
    url: URL,
    req: IncomingMessage,
    res: ServerResponse,
    body: string,
  ) => {
    if (route === 'POST /v1/results/token') {
      const auth = JSON.parse(body) as WorkerpoolAuthorization;
      const hash = workerpoolAuthorizationHash(
        auth.workerWallet,
        auth.chainTaskId,
        auth.enclaveChallenge,
      );
      const signer = await recoverMessageAddress({
        message: { raw: hash },
        signature: req.headers.authorization as Hex,
      }).catch(() => undefined);
      if (signer?.toLowerCase() !== auth.workerWallet.toLowerCase())
        return res.writeHead(401).end();
      const jwt = `proxy-jwt-${proxyTokens.size + 1}`;
      proxyTokens.set(jwt, auth.workerWallet);
      return res.writeHead(200, { 'Content-Type': 'text/plain' }).end(jwt);
    }
    if (route === 'POST /v1/results') {
      const wallet = proxyTokens.get(req.headers.authorization ?? '');
      if (!wallet) return res.writeHead(401).end();
      const model = JSON.parse(body) as Record<string, unknown>;
      uploads.set(String(model.chainTaskId), { wallet, model });
      return res.writeHead(200).end(`/ipfs/QmUploaded${uploads.size}`);
    }
    const ipfs = /^\/v1\/results\/(0x[0-9a-f]+)\/ipfshash$/.exec(url.pathname);
    if (req.method === 'GET' && ipfs && uploads.has(ipfs[1])) {
      return res.writeHead(200).end(`QmHashOf${ipfs[1].slice(2, 10)}`);
    }
    res.writeHead(404).end();
  };

  const server = http.createServer((req, res) => void handle(req, res));
  server.on('connection', () => state.connections++);
  const sockjs = new SockJsEndpoint(broker, { disconnectDelayMs: 200 });
  sockjs.install(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get connections() {
      return state.connections;
    },
    uploads,
    publish: (n) => broker.publish(taskTopic(n.chainTaskId), serializeTaskNotification(n)),
    subscriptions: () => broker.stats().subscriptions,
    async close() {
      sockjs.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
