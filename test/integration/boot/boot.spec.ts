import { freePort } from '../../setup/mongo-server.js';
import { dropDatabase, isolatedMongoUrl } from '../../support/mongo.js';
import { spawnScheduler, waitForStatus } from '../../support/process.js';

// The built artifact (`npm run build` → dist/) as operators run it.
describe('node dist/main.js', () => {
  it('boots against the Mongo-wire server, answers health, and stops cleanly on SIGTERM', async () => {
    const url = isolatedMongoUrl('boot');
    const port = await freePort();
    const scheduler = spawnScheduler({ MONGO_URL: url, IEXEC_CORE_PORT: String(port) });
    try {
      await waitForStatus(`http://127.0.0.1:${port}/actuator/health`, 200, 20000);
      scheduler.child.kill('SIGTERM');
      expect(await scheduler.exited).toBe(0);
    } finally {
      scheduler.child.kill('SIGKILL');
      await dropDatabase(url);
    }
  });

  it('refuses to boot on a bad variable, naming it, with a non-zero exit', async () => {
    const scheduler = spawnScheduler({ IEXEC_CORE_PORT: 'http', POOL_ADDRESS: '0x42' });
    expect(await scheduler.exited).toBe(1);
    expect(scheduler.output()).toContain('IEXEC_CORE_PORT="http": expected a TCP port');
    expect(scheduler.output()).toContain('POOL_ADDRESS="0x42": expected an address');
  });

  it('fails clearly after a bounded wait when MongoDB is unreachable', async () => {
    const deadPort = await freePort();
    const started = Date.now();
    const scheduler = spawnScheduler({
      MONGO_URL: `mongodb://127.0.0.1:${deadPort}/iexec?directConnection=true`,
      MONGO_CONNECT_TIMEOUT: '1000',
      IEXEC_CORE_PORT: String(await freePort()),
    });
    expect(await scheduler.exited).not.toBe(0);
    expect(Date.now() - started).toBeLessThan(15000);
    expect(scheduler.output()).toMatch(/MongoDB/);
    expect(scheduler.output()).toContain(`127.0.0.1:${deadPort}`);
  });
});
