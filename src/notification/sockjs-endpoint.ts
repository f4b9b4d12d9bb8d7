import type { EventEmitter } from 'node:events';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import sockjs from 'sockjs';
import { CLOSE_GOING_AWAY, StompBroker } from './stomp/stomp-broker.js';

// SockJS server of the push channel (worker-api.md §8.2), bridging SockJS sessions to the STOMP
// broker. Reference values: no WebSocket transport, 5 s heartbeat, 5 s disconnect delay, 128 KiB
// streaming limit, `cookie_needed: true` in /info.

export const SOCKJS_PREFIX = '/connect';

export interface SockJsEndpointOptions {
  prefix?: string;
  heartbeatDelayMs?: number;
  disconnectDelayMs?: number;
  responseLimitBytes?: number;
  /** Largest request body accepted on a SockJS path (xhr_send); larger requests are cut. */
  maxRequestBodyBytes?: number;
  log?: (severity: string, line: string) => void;
}

/** The part of sockjs-node's connection object used here (its typings declare `code` a string). */
interface SockJsConnection extends EventEmitter {
  write(text: string): boolean;
  close(code?: number, reason?: string): boolean;
}

/** sockjs-node internals used only to finish sessions at shutdown without its 5 s timer. */
interface SockJsSessionInternals {
  recv?: unknown;
  to_tref?: ReturnType<typeof setTimeout> | null;
  didTimeout?: () => void;
}

/** `Server.listener()` exists in sockjs-node 0.3 but is missing from its typings. */
interface SockJsListenerFactory {
  listener(): { getHandler(): (req: IncomingMessage, res: ServerResponse) => boolean };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class SockJsEndpoint {
  private readonly connections = new Set<SockJsConnection>();
  private readonly pathPattern: RegExp;
  private readonly options: Required<SockJsEndpointOptions>;
  private closing = false;
  private installed = false;

  constructor(
    private readonly broker: StompBroker,
    options: SockJsEndpointOptions = {},
  ) {
    this.options = {
      prefix: options.prefix ?? SOCKJS_PREFIX,
      heartbeatDelayMs: options.heartbeatDelayMs ?? 5000,
      disconnectDelayMs: options.disconnectDelayMs ?? 5000,
      responseLimitBytes: options.responseLimitBytes ?? 128 * 1024,
      maxRequestBodyBytes: options.maxRequestBodyBytes ?? 1024 * 1024,
      log: options.log ?? (() => undefined),
    };
    // Same matching rule as sockjs-node's own listener.
    this.pathPattern = new RegExp(`^${escapeRegExp(this.options.prefix)}([/].+|[/]?)$`);
  }

  /**
   * Puts SockJS in front of the server's existing `request` listeners (Fastify's router): paths
   * under the prefix go to SockJS, everything else to the previous listeners, unchanged.
   */
  install(server: Server): void {
    if (this.installed) throw new Error('SockJS endpoint already installed');
    this.installed = true;
    const sockjsServer = sockjs.createServer({
      prefix: this.options.prefix,
      websocket: false,
      heartbeat_delay: this.options.heartbeatDelayMs,
      disconnect_delay: this.options.disconnectDelayMs,
      response_limit: this.options.responseLimitBytes,
      // A function sets no cookie but makes /info say `cookie_needed: true`, like the reference.
      jsessionid: () => undefined,
      log: this.options.log,
    });
    sockjsServer.on('connection', (conn: SockJsConnection) => this.accept(conn));
    const handle = (sockjsServer as unknown as SockJsListenerFactory).listener().getHandler();
    const previous = server.listeners('request') as RequestListener[];
    server.removeAllListeners('request');
    const listener: RequestListener = (req, res) => {
      if (!this.pathPattern.test(req.url ?? '')) {
        for (const next of previous) next.call(server, req, res);
        return;
      }
      if (this.closing) {
        res.writeHead(503, { 'Content-Type': 'text/plain; charset=UTF-8', Connection: 'close' });
        res.end('Server shutting down\n');
        return;
      }
      if (this.limitBody(req, res)) handle(req, res);
    };
    server.on('request', listener);
  }

  /** Refuses new SockJS requests and closes every session (their clients see a close frame). */
  close(): void {
    this.closing = true;
    this.broker.closeAll(CLOSE_GOING_AWAY, 'Server shutting down');
    for (const conn of [...this.connections]) finishNow(conn);
    this.connections.clear();
  }

  private accept(conn: SockJsConnection): void {
    if (this.closing) {
      conn.close(CLOSE_GOING_AWAY, 'Server shutting down');
      return;
    }
    this.connections.add(conn);
    const session = this.broker.open({
      send: (frame) => void conn.write(frame),
      close: (code, reason) => void conn.close(code, reason),
    });
    conn.on('data', (message: string) => session.receive(message));
    conn.on('close', () => {
      this.connections.delete(conn);
      session.closed();
    });
  }

  /**
   * sockjs-node buffers request bodies without bound: refuses oversized ones up front (false) or
   * cuts them while they stream in. This listener and sockjs's own are attached in the same tick,
   * before the body starts flowing, so sockjs loses nothing.
   */
  private limitBody(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'POST') return true;
    const limit = this.options.maxRequestBodyBytes;
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      refuse(req, res);
      return false;
    }
    let received = 0;
    const count = (chunk: Buffer) => {
      received += chunk.length;
      if (received <= limit) return;
      req.off('data', count);
      refuse(req, res);
    };
    req.on('data', count);
    return true;
  }
}

function refuse(req: IncomingMessage, res: ServerResponse): void {
  if (res.headersSent) {
    req.destroy();
    return;
  }
  // Stop reading (and buffering) the body once the answer is out.
  res.once('finish', () => req.destroy());
  res.writeHead(413, { 'Content-Type': 'text/plain; charset=UTF-8', Connection: 'close' });
  res.end('Payload too large\n');
}

/** Ends a closed session immediately instead of after the disconnect delay (shutdown only). */
function finishNow(conn: SockJsConnection): void {
  const session = (conn as unknown as { _session?: SockJsSessionInternals })._session;
  if (!session || session.recv || typeof session.didTimeout !== 'function') return;
  if (session.to_tref) clearTimeout(session.to_tref);
  session.to_tref = null;
  try {
    session.didTimeout();
  } catch {
    // Already finished by sockjs itself.
  }
}
