import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mongo } from 'mongoose';
import { writeSchedulerWallet } from '../../../devstack/wallet.js';
import { LEASE_LOST_EXIT_CODE } from '../../../src/leadership/leadership.js';
import { LEASE_COLLECTION } from '../../../src/leadership/lease-store.js';
import { freePort } from '../../setup/mongo-server.js';
import { isolateChainPerFile, testChain } from '../../support/chain.js';
import { dropDatabase, isolatedMongoUrl } from '../../support/mongo.js';
import {
  builtSchedulerEnv,
  SchedulerProcess,
  spawnScheduler,
  waitForStatus,
} from '../../support/process.js';
import { eventually } from '../../support/scheduler.js';

// Two built schedulers (dist/main.js) on one database and chain (issue 17 §2): the second waits
// as a standby; the leader frozen (SIGSTOP) past its 2 s lease is replaced; woken up (SIGCONT)
// it exits 75 without a single write, although a deal nobody has ingested yet waits for it.
const chain = testChain();
isolateChainPerFile(chain);
// Short, yet long enough for a loaded 2-core box not to lose it during the standby's boot.
const LEASE = '2s';

interface Health {
  components?: { leadership?: { details?: { role?: string; holder?: string; leader?: string } } };
}

async function health(base: string): Promise<{ status: number; body: Health }> {
  const res = await fetch(`${base}/actuator/health`);
  return { status: res.status, body: (await res.json()) as Health };
}

/** Every document of every collection but the lease's, as text: equal texts, no write. */
async function snapshot(url: string): Promise<string> {
  const client = new mongo.MongoClient(url);
  try {
    const db = client.db();
    const names = (await db.listCollections().toArray())
      .map((c) => c.name)
      .filter((n) => n !== LEASE_COLLECTION)
      .sort();
    const parts: string[] = [];
    for (const name of names) {
      const docs = await db.collection(name).find({}).sort({ _id: 1 }).toArray();
      parts.push(`${name}: ${mongo.BSON.EJSON.stringify(docs)}`);
    }
    return parts.join('\n');
  } finally {
    await client.close();
  }
}

describe('two scheduler processes on one database', () => {
  const url = isolatedMongoUrl('fence');
  const dir = mkdtempSync(join(tmpdir(), 'iexec-fence-'));
  const started: SchedulerProcess[] = [];

  afterAll(async () => {
    for (const p of started) {
      p.child.kill('SIGCONT');
      p.child.kill('SIGKILL');
    }
    await dropDatabase(url);
  });

  it('one leads, the other waits as standby, takes over a frozen leader, and the woken leader writes nothing', async () => {
    const workerpool = await chain.fixtures.createWorkerpool();
    const wallet = writeSchedulerWallet(join(dir, 'scheduler.json'));
    const [portA, portB] = [await freePort(), await freePort()];
    const spawnOn = (port: number) => {
      const p = spawnScheduler(
        builtSchedulerEnv(chain, workerpool, wallet, {
          MONGO_URL: url,
          IEXEC_CORE_PORT: String(port),
          IEXEC_CORE_LEASE_DURATION: LEASE,
        }),
      );
      started.push(p);
      return p;
    };
    const [baseA, baseB] = [portA, portB].map((p) => `http://127.0.0.1:${p}`);

    const a = spawnOn(portA);
    await waitForStatus(`${baseA}/actuator/health`, 200, 20000);
    const aHealth = await health(baseA);
    expect(aHealth.body.components?.leadership?.details?.role).toBe('leader');
    const holderA = aHealth.body.components!.leadership!.details!.holder!;
    expect(holderA).toMatch(new RegExp(`:${portA}:${a.child.pid}:`));

    // The standby: live, not ready, its role and the leader in health, 503 on the worker API.
    const b = spawnOn(portB);
    await waitForStatus(`${baseB}/actuator/health/liveness`, 200, 20000);
    await eventually(async () => b.output().includes('Standby: the leader lease is held by'), 5000);
    expect(b.output()).toContain(holderA);
    expect((await fetch(`${baseB}/actuator/health/readiness`)).status).toBe(503);
    const bHealth = await health(baseB);
    expect(bHealth.status).toBe(503);
    expect(bHealth.body.components?.leadership?.details).toMatchObject({
      role: 'standby',
      leader: holderA,
    });
    expect((await fetch(`${baseB}/workers/config`)).status).toBe(503);
    // It stays a standby while the leader renews (several lease durations).
    await new Promise((r) => setTimeout(r, 2500));
    expect((await fetch(`${baseB}/actuator/health/readiness`)).status).toBe(503);
    expect((await fetch(`${baseA}/actuator/health/readiness`)).status).toBe(200);

    // Frozen past its lease: the standby leads within the bound.
    a.child.kill('SIGSTOP');
    const frozenAt = performance.now();
    await waitForStatus(`${baseB}/actuator/health`, 200, 10000).catch((error: Error) => {
      throw new Error(`${error.message}; the standby said:\n${b.output().slice(-3000)}`);
    });
    const takeoverMs = Math.round(performance.now() - frozenAt);
    console.log(`takeover of a frozen leader (lease ${LEASE}): ${takeoverMs} ms`);
    expect(takeoverMs).toBeLessThan(10000);
    expect((await health(baseB)).body.components?.leadership?.details?.role).toBe('leader');

    // Nobody else may write from here on: the new leader is killed, then a deal arrives that
    // only the frozen one could ingest (tasks in the database, an initialize transaction).
    b.child.kill('SIGKILL');
    await b.exited;
    await chain.fixtures.createDeal({ workerpool, volume: 2 });
    const before = await snapshot(url);
    const nonce = () =>
      chain.clients.publicClient.getTransactionCount({ address: chain.roles.scheduler.address });
    const nonceBefore = await nonce();

    a.child.kill('SIGCONT');
    const code = await Promise.race([
      a.exited,
      new Promise<string>((r) => setTimeout(() => r('still running after 5 s'), 5000).unref()),
    ]);
    expect(code).toBe(LEASE_LOST_EXIT_CODE);
    expect(a.output()).toMatch(/Leadership lost \(.*\); .* stops now without another write/);
    await new Promise((r) => setTimeout(r, 500)); // writes already sent would have landed
    expect(await snapshot(url)).toBe(before);
    expect(await nonce()).toBe(nonceBefore);
  }, 90_000);
});
