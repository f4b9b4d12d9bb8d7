import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPublicClient, http as httpTransport } from 'viem';
import { hiddenNodeUrl } from '../../src/chain/node-url.js';
import { nodeHttpFetch } from '../../src/chain/node-http-fetch.js';
import { freePort } from '../setup/mongo-server.js';

// A hosted RPC URL carries its API key (path, query or user part); viem writes its transport's
// URL into every error message, and the scheduler logs those (issue 18 §3).
describe('hiddenNodeUrl', () => {
  let server: http.Server;
  let origin: string;
  const seen: { url?: string; authorization?: string }[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ url: req.url, authorization: req.headers.authorization });
        const { method, id } = JSON.parse(body) as { method: string; id: number };
        if (method === 'eth_chainId') {
          res.writeHead(403, { 'Content-Type': 'text/plain' });
          res.end('forbidden');
          return;
        }
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ jsonrpc: '2.0', id, result: '0x2a' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const clientOf = (nodeUrl: string) => {
    const node = hiddenNodeUrl(nodeUrl, nodeHttpFetch);
    const client = createPublicClient({
      transport: httpTransport(node.url, {
        fetchFn: node.fetch as unknown as typeof fetch,
        retryCount: 0,
      }),
    });
    return { node, client };
  };

  it('sends every call to the full URL, user part as basic auth, and shows viem the origin', async () => {
    const secretUrl = origin.replace('//', '//alice:s3cret@') + '/v3/SECRETKEY?apikey=K3Y';
    const { node, client } = clientOf(secretUrl);
    expect(node.url).toBe(origin);
    seen.length = 0;
    expect(await client.getBlockNumber()).toBe(42n);
    expect(seen).toEqual([
      {
        url: '/v3/SECRETKEY?apikey=K3Y',
        authorization: `Basic ${Buffer.from('alice:s3cret').toString('base64')}`,
      },
    ]);
  });

  it('keeps the key out of the errors viem raises: HTTP refusal and unreachable node', async () => {
    const refused = await clientOf(`${origin}/v3/SECRETKEY`)
      .client.getChainId()
      .catch((error: Error) => error);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toContain(`URL: ${origin}`);
    expect((refused as Error).message).not.toContain('SECRETKEY');

    const down = `http://127.0.0.1:${await freePort()}`;
    const unreachable = await clientOf(`${down}/v3/SECRETKEY?apikey=K3Y`)
      .client.getBlockNumber()
      .catch((error: Error) => error);
    expect((unreachable as Error).message).toContain(`URL: ${down}`);
    expect((unreachable as Error).message).not.toMatch(/SECRETKEY|K3Y/);
  });

  it('leaves a URL that is its own origin as it is', () => {
    expect(hiddenNodeUrl('http://127.0.0.1:8545', nodeHttpFetch).url).toBe('http://127.0.0.1:8545');
    expect(hiddenNodeUrl('http://127.0.0.1:8545/', nodeHttpFetch).url).toBe(
      'http://127.0.0.1:8545/',
    );
  });
});
