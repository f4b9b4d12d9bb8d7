// A minimal route table over node:http for the service stand-ins: explicit paths with `:params`,
// empty-bodied error answers like the real services (the reason goes to a debug header), and a
// stop() that also drops kept-alive connections so tests end promptly.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Header carrying why a stand-in refused a request (the body stays empty, as the real ones). */
export const REASON_HEADER = 'x-devstack-reason';
export const DEFAULT_HOST = '127.0.0.1';
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export interface StandInRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  params: Record<string, string>;
  body: Buffer;
}

export interface Reply {
  status: number;
  body?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

export type Handler = (request: StandInRequest) => Reply | Promise<Reply>;

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'HEAD';
  /** `/v1/tasks/finalize/:chainTaskId/status`: literal segments and `:name` captures. */
  path: string;
  handler: Handler;
}

/** Thrown by handlers: answered with `status`, an empty body and the reason in REASON_HEADER. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(`${status} ${reason}`);
    this.name = 'HttpError';
  }
}

export const badRequest = (reason: string) => new HttpError(400, reason);
export const unauthorized = (reason: string) => new HttpError(401, reason);
export const notFound = (reason: string) => new HttpError(404, reason);

export const text = (body: string, status = 200): Reply => ({
  status,
  body,
  contentType: 'text/plain;charset=UTF-8',
});
export const json = (value: unknown, status = 200, contentType = 'application/json'): Reply => ({
  status,
  body: JSON.stringify(value),
  contentType,
});
export const empty = (status: number): Reply => ({ status });

/** The JSON body, or 400 when it is missing or not JSON. */
export function jsonBody(request: StandInRequest): unknown {
  const raw = request.body.toString('utf8').trim();
  if (raw === '') throw badRequest('missing JSON body');
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw badRequest('body is not JSON');
  }
}

/** A single header value ('' when absent). */
export function header(request: StandInRequest, name: string): string {
  const value = request.headers[name.toLowerCase()];
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
}

export interface StartedServer {
  url: string;
  port: number;
  /** Test hook: while down, every connection is dropped at once (open ones included). */
  setDown(down: boolean): void;
  stop(): Promise<void>;
}

export interface ServeOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** One line per refused or failed request (default: silent). */
  log?: (line: string) => void;
}

interface CompiledRoute extends Route {
  segments: string[];
}

function match(route: CompiledRoute, parts: string[]): Record<string, string> | undefined {
  if (route.segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const segment = route.segments[i];
    if (segment.startsWith(':')) params[segment.slice(1)] = decodeURIComponent(parts[i]);
    else if (segment !== parts[i]) return undefined;
  }
  return params;
}

function send(res: ServerResponse, reply: Reply, method: string): void {
  const headers: Record<string, string> = {};
  // header values must be latin-1: keep reasons readable ASCII
  for (const [key, value] of Object.entries(reply.headers ?? {})) {
    headers[key] = value.replace(/[^\x20-\x7e]/g, '?').slice(0, 500);
  }
  if (reply.contentType) headers['content-type'] = reply.contentType;
  const body = reply.body === undefined ? undefined : Buffer.from(reply.body);
  headers['content-length'] = String(body?.length ?? 0);
  res.writeHead(reply.status, headers);
  res.end(method === 'HEAD' || reply.status === 204 ? undefined : body);
}

/**
 * Serves `routes` on 127.0.0.1. Unknown path → 404, known path with another method → 405,
 * handler errors → their HttpError status, anything else → 500.
 */
export async function serveRoutes(
  name: string,
  routes: readonly Route[],
  options: ServeOptions = {},
): Promise<StartedServer> {
  const compiled: CompiledRoute[] = routes.map((r) => ({
    ...r,
    segments: r.path.split('/').filter(Boolean),
  }));
  const log = options.log ?? (() => {});
  const server = createServer((req, res) => {
    // a client that hangs up mid-request must not crash the process
    req.on('error', () => res.destroy());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      const method = req.method ?? 'GET';
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const parts = url.pathname.split('/').filter(Boolean);
      void (async () => {
        let reply: Reply;
        try {
          if (size > MAX_BODY_BYTES) throw new HttpError(413, 'body too large');
          const candidates = compiled
            .map((route) => ({ route, params: match(route, parts) }))
            .filter((c) => c.params !== undefined);
          if (candidates.length === 0) throw notFound(`no route ${url.pathname}`);
          const chosen = candidates.find((c) => c.route.method === method);
          if (!chosen) throw new HttpError(405, `${method} not allowed on ${url.pathname}`);
          reply = await chosen.route.handler({
            method,
            path: url.pathname,
            query: url.searchParams,
            headers: req.headers,
            params: chosen.params ?? {},
            body: Buffer.concat(chunks),
          });
        } catch (error) {
          if (error instanceof HttpError) {
            reply = { status: error.status, headers: { [REASON_HEADER]: error.reason } };
          } else {
            const message = error instanceof Error ? error.message : String(error);
            reply = { status: 500, headers: { [REASON_HEADER]: message.split('\n')[0] } };
          }
          log(
            `${name}: ${method} ${url.pathname} → ${reply.status} ${reply.headers?.[REASON_HEADER]}`,
          );
        }
        send(res, reply, method);
      })();
    });
  });
  // Node closes an idle keep-alive socket after 5 s; a client reusing it at that very moment gets
  // ECONNRESET (a fleet shares one agent: two workers' uploads once failed together that way).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  let down = false;
  server.on('connection', (socket) => {
    if (down) socket.destroy();
  });
  const host = options.host ?? DEFAULT_HOST;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    port,
    setDown(value) {
      down = value;
      if (down) server.closeAllConnections();
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
