import type { AddressInfo } from 'node:net';
import { LeaseKeeper } from '../../src/leadership/lease-keeper.js';
import { startStandbyServer, stopStandbyServer } from '../../src/leadership/standby-server.js';
import {
  assertLeading,
  installFence,
  isWriteCommand,
  uninstallFence,
} from '../../src/leadership/write-fence.js';
import { MemoryLeaseStore } from './memory-lease-store.js';

describe('write fence', () => {
  afterEach(() => uninstallFence());

  it('treats changes as writes and reads as reads', () => {
    expect(
      ['insert', 'update', 'delete', 'findAndModify', 'createIndexes'].every(isWriteCommand),
    ).toBe(true);
    expect(['find', 'aggregate', 'hello', 'count'].some(isWriteCommand)).toBe(false);
  });

  it('is a no-op when no fence is installed (in-process tests)', () => {
    expect(() => assertLeading('MongoDB insert')).not.toThrow();
  });

  it('stops a leader past its certainty before the write, and lets a certain one pass', async () => {
    let now = 0;
    const keeper = new LeaseKeeper(new MemoryLeaseStore(), {
      durationMs: 5000,
      marginMs: 1000,
      renewEveryMs: 1000,
      pollEveryMs: 100,
      now: () => now,
    });
    const stops: string[] = [];
    installFence(keeper, (reason) => {
      stops.push(reason);
      throw new Error('stopped');
    });
    expect(() => assertLeading('MongoDB insert')).toThrow('stopped'); // still a standby
    await keeper.step();
    expect(() => assertLeading('MongoDB insert')).not.toThrow();
    now = 4000; // woke up past the lease
    expect(() => assertLeading('MongoDB update')).toThrow('stopped');
    expect(stops[1]).toMatch(/lease lost .*before MongoDB update/);
  });
});

describe('standby endpoints', () => {
  it('live, not ready, role in health, 503 on the worker API', async () => {
    const view = { holder: 'b', leader: () => ({ holder: 'a', version: 4 }) };
    const server = await startStandbyServer(view, 0);
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await fetch(`${base}/actuator/health/liveness`)).status).toBe(200);
      expect((await fetch(`${base}/actuator/health/readiness`)).status).toBe(503);
      const health = await fetch(`${base}/actuator/health`);
      const body = (await health.json()) as { components: { leadership: { details: unknown } } };
      expect(body.components.leadership.details).toEqual({
        role: 'standby',
        holder: 'b',
        leader: 'a',
        leaseVersion: 4,
      });
      const api = await fetch(`${base}/workers/config`);
      expect(api.status).toBe(503);
      expect(((await api.json()) as { message: string }).message).toMatch(
        /standby; the leader is a/,
      );
    } finally {
      await stopStandbyServer(server);
    }
  });
});
