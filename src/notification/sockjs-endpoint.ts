import type { EventEmitter } from 'node:events';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import sockjs from 'sockjs';
import { clientOf } from '../common/http/client-address.js';
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
  /** Sessions open at once, all clients together; more are closed at once ("try again later"). */
  maxSessions?: number;
  /** Sessions open at once from one client (see `clientOf`). */
  maxSessionsPerClient?: number;
  log?: (severity: string, line: string) => void;
}

/** The part of sockjs-node's connection object used here (its typings declare `code` a string). */
interface SockJsConnection extends EventEmitter {
  remoteAddress?: string;
  headers?: Record<string, string>;
  write(text: string): boolean;
  close(code?: number, reason?: string): boolean;
}

/** SockJS/WebSocket close code 1013: the server is overloaded, the client may retry later. */
export const CLOSE_TRY_AGAIN_LATER = 1013;

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
  private readonly sessionsPerClient = new Map<string, number>();
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
      maxSessions: options.maxSessions ?? 10_000,
      maxSessionsPerClient: options.maxSessionsPerClient ?? 256,
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
    this.sessionsPerClient.clear();
  }

  private accept(conn: SockJsConnection): void {
    if (this.closing) {
      conn.close(CLOSE_GOING_AWAY, 'Server shutting down');
      return;
    }
    const client = clientOf(conn.remoteAddress, conn.headers);
    const ofClient = this.sessionsPerClient.get(client) ?? 0;
    if (
      this.connections.size >= this.options.maxSessions ||
      ofClient >= this.options.maxSessionsPerClient
    ) {
      this.options.log('info', `Push session of ${client} refused: too many sessions`);
      conn.close(CLOSE_TRY_AGAIN_LATER, 'Too many sessions');
      return;
    }
    this.connections.add(conn);
    this.sessionsPerClient.set(client, ofClient + 1);
    const session = this.broker.open({
      send: (frame) => void conn.write(frame),
      close: (code, reason) => void conn.close(code, reason),
    });
    // sockjs hands over any JSON value of the posted array, not only strings.
    conn.on('data', (message: unknown) => session.receive(message));
    conn.on('close', () => {
      if (!this.connections.delete(conn)) return;
      const left = (this.sessionsPerClient.get(client) ?? 1) - 1;
      if (left > 0) this.sessionsPerClient.set(client, left);
      else this.sessionsPerClient.delete(client);
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
