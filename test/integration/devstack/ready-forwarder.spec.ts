import {
  createServer,
  get,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { startReadyForwarder, type ReadyForwarder } from '../../../devstack/ready-forwarder.js';

// A replica that is ready and answers /stream with headers and a first chunk, then never ends
// (a sockjs xhr-streaming session) until the test kills it.
async function streamingReplica(): Promise<{ url: string; kill(): void; server: Server }> {
  const responses = new Set<ServerResponse>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/actuator/health/readiness') return void res.end('{"status":"UP"}');
    res.writeHead(200, { 'content-type': 'application/javascript' });
    res.write('h\n');
    responses.add(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    // what SIGKILL does to its sockets: gone, no last chunk
    kill: () => {
      for (const res of responses) res.socket?.destroy();
      server.close();
    },
  };
}

describe('ReadyForwarder', () => {
  let forwarder: ReadyForwarder | undefined;
  afterEach(async () => {
    await forwarder?.stop();
  });

  it("cuts the client's stream when the replica behind it dies mid-answer", async () => {
    const replica = await streamingReplica();
    forwarder = await startReadyForwarder({ replicas: [replica.url], checkEveryMs: 50 });
    const firstChunk = new Promise<IncomingMessage>((resolve, reject) =>
      get(`${forwarder!.url}/stream`, (res) => res.once('data', () => resolve(res))).on(
        'error',
        reject,
      ),
    );
    const res = await firstChunk;
    const closed = new Promise<number>((resolve) => {
      const started = performance.now();
      res.once('close', () => resolve(performance.now() - started));
    });
    replica.kill();
    const within = await Promise.race([
      closed,
      new Promise<undefined>((r) => setTimeout(() => r(undefined), 2000)),
    ]);
    expect(within).toBeDefined();
    expect(res.complete).toBe(false);
  });

  it('answers 503 with Retry-After while no replica is ready', async () => {
    forwarder = await startReadyForwarder({ replicas: ['http://127.0.0.1:9'], checkEveryMs: 50 });
    const res = await fetch(`${forwarder.url}/replicates/available`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
  });
});
