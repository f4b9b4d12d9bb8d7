import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSchedulerWallet } from '../../../devstack/wallet.js';
import { freePort } from '../../setup/mongo-server.js';
import { isolateChainPerFile, testChain } from '../../support/chain.js';
import { dropDatabase, isolatedMongoUrl } from '../../support/mongo.js';
import {
  builtSchedulerEnv,
  residentBytes,
  spawnScheduler,
  waitForStatus,
} from '../../support/process.js';
import {
  request,
  sessionUrl,
  WORKER_CONNECT,
  XhrStream,
  xhrSend,
} from '../../integration/notification/raw-sockjs.js';

// Anonymous abuse of the push channel against the built scheduler (issue 18 §2): a message
// `{"length":1000000000}` used to reach `Buffer.from` and block the event loop for ~30 s with a
// gigabyte allocated per message.
const chain = testChain();
isolateChainPerFile(chain);
const wallet = writeSchedulerWallet(
  join(mkdtempSync(join(tmpdir(), 'iexec-push-abuse-')), 'w.json'),
);
const MiB = 1024 * 1024;

async function healthLatencyMs(base: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${base}/actuator/health`);
  await res.text();
  if (res.status !== 200) throw new Error(`health answered ${res.status}`);
  return performance.now() - started;
}

describe('push channel under anonymous abuse (node dist/main.js)', () => {
  it('keeps health under 100 ms and RSS under idle + 50 MB when sent non-text messages', async () => {
    const pool = await chain.fixtures.createWorkerpool();
    const url = isolatedMongoUrl('push-abuse');
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const scheduler = spawnScheduler(
      builtSchedulerEnv(chain, pool, wallet, { MONGO_URL: url, IEXEC_CORE_PORT: String(port) }),
    );
    const streams: XhrStream[] = [];
    try {
      await waitForStatus(`${base}/actuator/health`, 200, 20000);
      for (let i = 0; i < 5; i++) await healthLatencyMs(base);
      const idle = residentBytes(scheduler.child.pid!);

      const latencies: number[] = [];
      const attacks: Promise<unknown>[] = [];
      for (let i = 0; i < 10; i++) {
        const session = sessionUrl(base);
        const stream = await XhrStream.open(session);
        streams.push(stream);
        expect(await stream.next()).toBe('o');
        if (i % 2 === 0) expect(await xhrSend(session, WORKER_CONNECT)).toBe(204);
        attacks.push(
          request(`${session}/xhr_send`, {
            method: 'POST',
            headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
            body: JSON.stringify([{ length: 1_000_000_000 }, 1_000_000_000, { length: 5e8 }]),
          }),
        );
        latencies.push(await healthLatencyMs(base));
      }
      await Promise.all(attacks);
      for (let i = 0; i < 10; i++) latencies.push(await healthLatencyMs(base));
      const after = residentBytes(scheduler.child.pid!);

      expect(Math.max(...latencies)).toBeLessThan(100);
      expect(after - idle).toBeLessThan(50 * MiB);
      // Every abusing session was closed with a STOMP ERROR: the broker holds none of them.
      for (const stream of streams) {
        const frames = stream.frames.filter((frame) => frame !== 'h' && frame !== 'o');
        expect(frames.at(-1)).toMatch(/^c\[1002,/);
      }
      expect(scheduler.child.exitCode).toBeNull();
    } finally {
      streams.forEach((stream) => stream.abort());
      scheduler.child.kill('SIGKILL');
      await dropDatabase(url);
    }
  });
});
