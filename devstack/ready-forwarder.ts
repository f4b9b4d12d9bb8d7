import { createServer, IncomingMessage, request, Server, ServerResponse } from 'node:http';
import { connect, Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A small load balancer for replicas of the scheduler (issue 17 §2): forwards every request, and
 * websocket/sockjs upgrades, to the replica whose `/actuator/health/readiness` answers 200 (the
 * leader; a standby answers 503). What a Kubernetes Service with a readiness probe does; for the
 * dev stack and the two-replica tests. No ready replica: 503 with Retry-After.
 */
export interface ReadyForwarderOptions {
  /** Base URLs of the replicas (`http://127.0.0.1:13000`). */
  replicas: string[];
  /** Port to listen on (0: any free one). */
  port?: number;
  /** How often readiness is read (default 100 ms). */
  checkEveryMs?: number;
  /** Called when the ready replica changes (undefined: none ready). */
  onLeader?: (replica: string | undefined) => void;
}

export interface ReadyForwarder {
  url: string;
  port: number;
  /** The replica requests go to now. */
  current(): string | undefined;
  stop(): Promise<void>;
}

async function isReady(replica: string): Promise<boolean> {
  try {
    const res = await fetch(`${replica}/actuator/health/readiness`, {
      signal: AbortSignal.timeout(1000),
    });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

function unavailable(res: ServerResponse, why: string): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
  res.end(JSON.stringify({ status: 503, error: 'Service Unavailable', message: why }));
}

export async function startReadyForwarder(options: ReadyForwarderOptions): Promise<ReadyForwarder> {
  let leader: string | undefined;
  let stopped = false;
  let checking = false;
  const check = async () => {
    if (checking || stopped) return; // never two checks at once
    checking = true;
    try {
      const ready = await Promise.all(options.replicas.map(isReady));
      const next = options.replicas.find((_, i) => ready[i]);
      if (next !== leader) {
        leader = next;
        options.onLeader?.(next);
      }
    } finally {
      checking = false;
    }
  };
  await check();
  const timer = setInterval(() => void check(), options.checkEveryMs ?? 100);

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const target = leader;
    if (!target) return unavailable(res, 'no scheduler replica is ready (leader election)');
    const url = new URL(target);
    const upstream = request(
      {
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        // A replica killed mid-answer (a worker's xhr-streaming push session): the client's
        // connection is cut too, as a load balancer does. Left open, the worker would wait for
        // its staleness watchdog (20 s) before reconnecting to the new leader.
        answer.on('close', () => {
          if (!answer.complete) res.destroy();
        });
      },
    );
    upstream.on('error', (error) => unavailable(res, `replica ${target}: ${error.message}`));
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  };

  // Upgrades (websocket): the raw request head, then the two sockets piped together.
  const tunnels = new Set<Socket>();
  const upgrade = (req: IncomingMessage, socket: Socket, head: Buffer) => {
    tunnels.add(socket);
    socket.on('close', () => tunnels.delete(socket));
    const target = leader;
    if (!target) return void socket.end('HTTP/1.1 503 Service Unavailable\r\n\r\n');
    const url = new URL(target);
    const upstream = connect(Number(url.port), url.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
      for (let i = 0; i < req.rawHeaders.length; i += 2)
        lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    const close = () => {
      upstream.destroy();
      socket.destroy();
    };
    upstream.on('error', close).on('close', close);
    socket.on('error', close).on('close', close);
  };

  const server: Server = createServer(forward);
  server.on('upgrade', upgrade);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    current: () => leader,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      server.closeAllConnections();
      for (const socket of tunnels) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
