import http from 'node:http';
import https from 'node:https';
import { originOf } from '../common/redact.js';

/** What viem's HTTP transport reads of a fetch response (viem/utils/rpc/http). */
export interface RpcResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly headers: { get(name: string): string | null };
  /** Always null: the body is read with `text()`, as viem does when there is no stream. */
  readonly body: null;
  text(): Promise<string>;
  json(): Promise<unknown>;
}

export interface RpcRequestInit {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly signal?: AbortSignal | null;
}

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 32 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 32 }),
};

/**
 * A `fetch` for viem's HTTP transport on node:http with keep-alive sockets. Global fetch
 * (undici) cost about 2 ms of CPU per JSON-RPC call in the scheduler, web streams included,
 * for a call whose own work is a few hundred microseconds; the node makes thousands an hour.
 */
export async function nodeHttpFetch(
  url: string | URL,
  init: RpcRequestInit = {},
): Promise<RpcResponse> {
  let target = typeof url === 'string' ? new URL(url) : url;
  // 307/308 keep the method and body, as fetch follows them (a node URL moved to https, say).
  for (let redirects = 0; ; redirects++) {
    const response = await send(target, init);
    const location = response.headers.get('location');
    if (![307, 308].includes(response.status) || !location) return response;
    if (redirects === MAX_REDIRECTS)
      throw new TypeError(`too many redirects from ${originOf(String(url))}`);
    target = new URL(location, target);
  }
}

const MAX_REDIRECTS = 5;

function send(target: URL, init: RpcRequestInit): Promise<RpcResponse> {
  const agent = agents[target.protocol as keyof typeof agents];
  if (!agent) return Promise.reject(new TypeError(`unsupported protocol ${target.protocol}`));
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      target,
      {
        method: init.method ?? 'GET',
        headers: init.headers,
        agent,
        signal: init.signal ?? undefined,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = response.statusCode ?? 0;
          resolve({
            ok: status >= 200 && status < 300,
            status,
            statusText: response.statusMessage ?? '',
            headers: { get: (name) => headerValue(response.headers[name.toLowerCase()]) },
            body: null,
            text: () => Promise.resolve(text),
            json: () => Promise.resolve().then(() => JSON.parse(text) as unknown),
          });
        });
      },
    );
    request.on('error', reject);
    request.end(init.body);
  });
}

function headerValue(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}
