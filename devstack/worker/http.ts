// A small HTTP client over node:http for the simulated workers: one keep-alive agent shared by a
// whole fleet, the Java worker's timeouts (connect 10 s, read 60 s), `Content-Type:
// application/json` on every request (§0.1), and one latency sample per call for the stats.
import http from 'node:http';
import https from 'node:https';

export interface HttpResponse {
  status: number;
  body: string;
}

/** No HTTP status at all: connection refused or reset, timeout, aborted. */
export class TransportError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransportError';
  }
}

/** Where latency samples go (FleetStats implements it). */
export interface HttpStatsSink {
  recordHttp(endpoint: string, status: number, durationMs: number): void;
}

export interface HttpRequest {
  /** Stats label, e.g. `R3 updateStatus`. */
  endpoint: string;
  headers?: Record<string, string | undefined>;
  /** Sent as is when a string, as JSON otherwise. */
  body?: unknown;
  signal?: AbortSignal;
}

export interface HttpClientOptions {
  /** Shared keep-alive agent (a fleet passes one to all its workers). */
  agent?: http.Agent;
  connectTimeoutMs?: number;
  readTimeoutMs?: number;
  stats?: HttpStatsSink;
}

export function keepAliveAgent(): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 256 });
}

export class HttpClient {
  readonly agent: http.Agent;
  private readonly ownsAgent: boolean;
  private readonly connectTimeoutMs: number;
  private readonly readTimeoutMs: number;

  constructor(private readonly options: HttpClientOptions = {}) {
    this.ownsAgent = !options.agent;
    this.agent = options.agent ?? keepAliveAgent();
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.readTimeoutMs = options.readTimeoutMs ?? 60_000;
  }

  get stats(): HttpStatsSink | undefined {
    return this.options.stats;
  }

  async request(method: string, url: string, request: HttpRequest): Promise<HttpResponse> {
    const started = performance.now();
    try {
      const response = await this.send(method, url, request);
      this.options.stats?.recordHttp(
        request.endpoint,
        response.status,
        performance.now() - started,
      );
      return response;
    } catch (error) {
      this.options.stats?.recordHttp(request.endpoint, 0, performance.now() - started);
      throw error;
    }
  }

  /** Closes the agent's sockets if this client created it. */
  close(): void {
    if (this.ownsAgent) this.agent.destroy();
  }

  private send(method: string, url: string, request: HttpRequest): Promise<HttpResponse> {
    const target = new URL(url);
    const payload =
      request.body === undefined
        ? undefined
        : Buffer.from(
            typeof request.body === 'string' ? request.body : JSON.stringify(request.body),
          );
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    // The Java client drops empty header values (a worker without token sends no Authorization).
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      if (value) headers[name] = value;
    }
    if (payload) headers['Content-Length'] = String(payload.length);
    const secure = target.protocol === 'https:';
    return new Promise<HttpResponse>((resolve, reject) => {
      if (request.signal?.aborted) {
        reject(new TransportError(`${method} ${url}: aborted`));
        return;
      }
      const req = (secure ? https : http).request(target, {
        method,
        headers,
        agent: secure ? undefined : this.agent,
        timeout: this.readTimeoutMs,
        signal: request.signal,
      });
      let connectTimer: NodeJS.Timeout | undefined;
      req.on('socket', (socket) => {
        if (!socket.connecting) return;
        connectTimer = setTimeout(
          () => req.destroy(new TransportError(`${method} ${url}: connect timeout`)),
          this.connectTimeoutMs,
        );
        socket.once('connect', () => clearTimeout(connectTimer));
      });
      req.on('timeout', () => req.destroy(new TransportError(`${method} ${url}: read timeout`)));
      req.on('error', (error) => {
        clearTimeout(connectTimer);
        reject(
          error instanceof TransportError
            ? error
            : new TransportError(`${method} ${url}: ${error.message}`, { cause: error }),
        );
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => reject(new TransportError(error.message, { cause: error })));
        res.on('end', () => {
          clearTimeout(connectTimer);
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
      });
      req.end(payload);
    });
  }
}

/** `http://host:port/` → `http://host:port` (paths are appended with a leading slash). */
export function baseUrl(url: string): string {
  return url.replace(/\/+$/, '');
}
