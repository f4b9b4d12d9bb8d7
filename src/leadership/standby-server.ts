import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';

export interface StandbyView {
  holder: string;
  /** This process's role (`standby` when not given); `leader` while the scheduler boots. */
  role?(): string;
  /** Who holds the lease, as last read. */
  leader(): { holder: string; version: number } | undefined;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'retry-after': '1' });
  res.end(JSON.stringify(body));
}

function leadershipDetails(view: StandbyView) {
  const leader = view.leader();
  return {
    role: view.role?.() ?? 'standby',
    holder: view.holder,
    ...(leader ? { leader: leader.holder, leaseVersion: leader.version } : {}),
  };
}

/**
 * What a standby serves while it waits for the lease, before the scheduler itself boots: live,
 * not ready, its role in `/actuator/health`, and 503 on everything else (the worker API), so a
 * load balancer or a worker's retry reaches the leader.
 */
export function handleStandbyRequest(
  view: StandbyView,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const path = (req.url ?? '/').split('?')[0].replace(/\/+$/, '');
  if (path === '/actuator/health/liveness') return send(res, 200, { status: 'UP' });
  if (path === '/actuator/health/readiness')
    return send(res, 503, {
      status: 'OUT_OF_SERVICE',
      components: { leadership: { status: 'OUT_OF_SERVICE', details: leadershipDetails(view) } },
    });
  if (path === '/actuator/health')
    return send(res, 503, {
      status: 'OUT_OF_SERVICE',
      components: { leadership: { status: 'OUT_OF_SERVICE', details: leadershipDetails(view) } },
    });
  const leader = view.leader();
  send(res, 503, {
    status: 503,
    error: 'Service Unavailable',
    message: `This scheduler is a standby; the leader is ${leader ? leader.holder : 'being elected'}. Retry on the leader.`,
    path,
  });
}

export async function startStandbyServer(view: StandbyView, port: number): Promise<Server> {
  const server = createServer((req, res) => handleStandbyRequest(view, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolve());
  });
  return server;
}

export async function stopStandbyServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
