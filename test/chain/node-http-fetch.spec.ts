import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPublicClient, http as httpTransport } from 'viem';
import { nodeHttpFetch } from '../../src/chain/node-http-fetch.js';

// viem's HTTP transport on nodeHttpFetch: answers, JSON-RPC errors, HTTP errors and timeouts
// come out as they do with global fetch.
describe('nodeHttpFetch', () => {
  let server: http.Server;
  let url: string;
  const seen: { method?: string; contentType?: string; body: string }[] = [];
  let answer: (body: { method: string; id: number }, res: http.ServerResponse) => void;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ method: req.method, contentType: req.headers['content-type'], body });
        answer(JSON.parse(body) as { method: string; id: number }, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const client = (timeout = 2000) =>
    createPublicClient({
      transport: httpTransport(url, {
        fetchFn: nodeHttpFetch as unknown as typeof fetch,
        timeout,
        retryCount: 0,
      }),
    });
  const json = (res: http.ServerResponse, status: number, value: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(value));
  };

  it('posts the JSON-RPC request and returns the result', async () => {
    answer = (body, res) => json(res, 200, { jsonrpc: '2.0', id: body.id, result: '0x2a' });
    expect(await client().getBlockNumber({ cacheTime: 0 })).toBe(42n);
    const last = seen.at(-1)!;
    expect(last.method).toBe('POST');
    expect(last.contentType).toBe('application/json');
    expect(JSON.parse(last.body)).toMatchObject({ jsonrpc: '2.0', method: 'eth_blockNumber' });
  });

  it('turns a JSON-RPC error into viem’s error for its code', async () => {
    answer = (body, res) =>
      json(res, 200, {
        jsonrpc: '2.0',
        id: body.id,
        error: { code: -32601, message: 'no such method' },
      });
    await expect(client().getChainId()).rejects.toMatchObject({
      name: 'MethodNotFoundRpcError',
      code: -32601,
    });
  });

  it('reports an HTTP error with its status', async () => {
    answer = (_body, res) => {
      res.writeHead(503, { 'Content-Type': 'text/plain' });
      res.end('overloaded');
    };
    await expect(client().getChainId()).rejects.toMatchObject({
      name: 'HttpRequestError',
      status: 503,
    });
  });

  it('gives up at the timeout and aborts the request', async () => {
    let closed = false;
    answer = (_body, res) => res.on('close', () => (closed = true)); // never answers
    await expect(client(200).getChainId()).rejects.toMatchObject({ name: 'TimeoutError' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(closed).toBe(true);
  });

  it('follows a 307/308 redirect with the same method and body', async () => {
    let hops = 0;
    answer = (body, res) => {
      if (hops++ === 0) {
        res.writeHead(308, { Location: '/moved' });
        return void res.end();
      }
      json(res, 200, { jsonrpc: '2.0', id: body.id, result: '0x7' });
    };
    expect(await client().getBlockNumber({ cacheTime: 0 })).toBe(7n);
    const [moved, original] = [seen.at(-1)!, seen.at(-2)!];
    expect(moved).toEqual(original);
  });

  it('refuses a protocol it cannot speak', async () => {
    await expect(nodeHttpFetch('ftp://example.org/')).rejects.toThrow('unsupported protocol');
  });
});
