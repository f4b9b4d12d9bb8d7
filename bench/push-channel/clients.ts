import { PushClient } from '../../devstack/worker/push-client.js';

// Child process of idle-sessions.ts: opens N push clients, each subscribed to its own task topic
// and to a common one, and reports over IPC. Kept out of the server process so the server's
// memory is measured alone.

const [url, countText, commonTask] = process.argv.slice(2);
const count = Number(countText);
const send = (message: object) => process.send?.(message);

const clients: PushClient[] = [];
let broadcastReceived = 0;
let broadcastTarget = 0;

function ownTask(i: number): string {
  return `0x${(i + 1).toString(16).padStart(64, '0')}`;
}

async function main(): Promise<void> {
  const started = performance.now();
  const batch = 250;
  for (let i = 0; i < count; i += batch) {
    const slice: PushClient[] = [];
    for (let j = i; j < Math.min(count, i + batch); j++) {
      const client = new PushClient({ url, reconnectDelayMs: 5000 });
      client.subscribe(ownTask(j), () => send({ type: 'own', index: j }));
      client.subscribe(commonTask, () => {
        if (++broadcastReceived === broadcastTarget) send({ type: 'broadcast-done' });
      });
      client.connect();
      slice.push(client);
    }
    await Promise.all(slice.map((client) => client.waitUntilConnected(120000)));
    clients.push(...slice);
  }
  const transports: Record<string, number> = {};
  for (const client of clients) {
    const name = client.transport ?? 'none';
    transports[name] = (transports[name] ?? 0) + 1;
  }
  const sessions = clients.reduce((sum, client) => sum + client.sessionCount, 0);
  send({
    type: 'ready',
    connectMs: performance.now() - started,
    memory: process.memoryUsage(),
    transports: Object.entries(transports)
      .map(([name, n]) => `${name}:${n}`)
      .join(' '),
    reconnections: sessions - clients.length,
  });
}

process.on('message', (message: { type: string; expected?: number }) => {
  if (message.type === 'expect-broadcast') {
    broadcastReceived = 0;
    broadcastTarget = message.expected ?? count;
    send({ type: 'armed' });
  } else if (message.type === 'status') {
    send({ type: 'status', connected: clients.filter((c) => c.isConnected()).length });
  } else if (message.type === 'close') {
    void Promise.all(clients.map((client) => client.close())).then(() => process.exit(0));
  }
});

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
