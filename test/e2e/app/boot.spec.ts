import { cpSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePrivateKey } from 'viem/accounts';
import { writeSchedulerWallet, writeWalletFile } from '../../../devstack/wallet.js';
import { freePort } from '../../setup/mongo-server.js';
import { isolateChainPerFile, testChain } from '../../support/chain.js';
import { dropDatabase, isolatedMongoUrl } from '../../support/mongo.js';
import { statusBeforeBody } from '../../support/early-answer.js';
import { builtSchedulerEnv, ROOT, spawnScheduler, waitForStatus } from '../../support/process.js';
import { eventually } from '../../support/scheduler.js';

// The built artifact (`npm run build` → dist/main.js, one bundled file) as operators run it,
// against the dev chain.
const chain = testChain();
isolateChainPerFile(chain);
const dir = mkdtempSync(join(tmpdir(), 'iexec-boot-'));
const wallet = writeSchedulerWallet(join(dir, 'scheduler.json'));

const env = (pool: string, overrides: Record<string, string> = {}) =>
  builtSchedulerEnv(chain, pool, wallet, overrides);

describe('node dist/main.js', () => {
  let pool: string;
  beforeAll(async () => {
    pool = await chain.fixtures.createWorkerpool();
  });

  it('boots against the chain and the Mongo-wire server, answers health, and stops cleanly on SIGTERM', async () => {
    const url = isolatedMongoUrl('boot');
    const port = await freePort();
    // As the image ships it: dist/ and package.json in a directory with no node_modules above.
    const app = mkdtempSync(join(tmpdir(), 'iexec-boot-app-'));
    cpSync(join(ROOT, 'dist'), join(app, 'dist'), { recursive: true });
    cpSync(join(ROOT, 'package.json'), join(app, 'package.json'));
    expect(existsSync(join(app, 'node_modules'))).toBe(false);
    const scheduler = spawnScheduler(
      env(pool, { MONGO_URL: url, IEXEC_CORE_PORT: String(port) }),
      join(app, 'dist', 'main.js'),
    );
    try {
      await waitForStatus(`http://127.0.0.1:${port}/actuator/health`, 200, 20000);
      // The OpenAPI document and Swagger UI, its assets from dist/swagger-ui.
      const doc = (await (await fetch(`http://127.0.0.1:${port}/v3/api-docs`)).json()) as {
        openapi: string;
      };
      expect(doc.openapi).toMatch(/^3\./);
      const ui = await fetch(`http://127.0.0.1:${port}/swagger-ui/index.html`);
      expect(ui.status).toBe(200);
      expect(await ui.text()).toContain('swagger-ui-bundle.js');
      const bundle = await fetch(`http://127.0.0.1:${port}/swagger-ui/swagger-ui-bundle.js`);
      expect(bundle.status).toBe(200);
      expect((await bundle.text()).length).toBeGreaterThan(100_000);
      // dist/main.js is one bundled file: it still finds package.json and dist/build-info.json.
      const info = (await (await fetch(`http://127.0.0.1:${port}/actuator/info`)).json()) as {
        build: { name: string; version: string; time: string };
      };
      expect(info.build).toMatchObject({ name: 'iexec-core-ts', version: expect.any(String) });
      expect(Date.parse(info.build.time)).toBeGreaterThan(0);
      // The dev wallet's password is the Java default: said at boot, even at IEXEC_LOG_LEVEL=WARN.
      expect(scheduler.output()).toContain('IEXEC_CORE_WALLET_PASSWORD is the public default');
      // An anonymous status update is refused before its (announced 60 MB) body is read.
      const updateStatus = `http://127.0.0.1:${port}/replicates/0x${'1'.repeat(64)}/updateStatus`;
      expect(await statusBeforeBody(updateStatus, { declaredBytes: 60 * 1024 * 1024 })).toBe(401);
      const register = `http://127.0.0.1:${port}/workers/register`;
      const bearer = { authorization: 'Bearer not-a-token' };
      expect(await statusBeforeBody(register, { headers: bearer, declaredBytes: 60_000 })).toBe(
        401,
      );
      scheduler.child.kill('SIGTERM');
      expect(await scheduler.exited).toBe(0);
      // IEXEC_LOG_LEVEL=WARN: JSON lines, none below WARN.
      const levels = scheduler
        .output()
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => (JSON.parse(l) as { level: string }).level);
      expect(levels.length).toBeGreaterThan(0);
      expect(levels.filter((l) => !['WARN', 'ERROR', 'FATAL'].includes(l))).toEqual([]);
    } finally {
      scheduler.child.kill('SIGKILL');
      await dropDatabase(url);
    }
  });

  it('at DEBUG writes an access line per request, and names the actuator ids it ignores', async () => {
    const url = isolatedMongoUrl('boot-debug');
    const port = await freePort();
    const scheduler = spawnScheduler(
      env(pool, {
        MONGO_URL: url,
        IEXEC_CORE_PORT: String(port),
        IEXEC_LOG_LEVEL: 'DEBUG',
        IEXEC_CORE_MANAGEMENT_ACTUATORS: 'health, env, no-such-thing',
      }),
    );
    try {
      await waitForStatus(`http://127.0.0.1:${port}/actuator/health/readiness`, 200, 20000);
      const records = () =>
        scheduler
          .output()
          .split('\n')
          .filter((l) => l.trim() !== '')
          .map((l) => JSON.parse(l) as Record<string, unknown>);
      await eventually(
        async () => records().some((r) => r.context === 'HttpAccess'),
        5000,
        'an access line',
      );
      expect(records().find((r) => r.context === 'HttpAccess')).toMatchObject({
        level: 'DEBUG',
        method: 'GET',
        uri: '/actuator/health/:name',
        status: 200,
      });
      const warning = records().find(
        (r) =>
          r.context === 'Config' &&
          r.level === 'WARN' &&
          String(r.message).includes('IEXEC_CORE_MANAGEMENT_ACTUATORS'),
      );
      expect(String(warning?.message)).toContain('env (a Spring Boot endpoint not served here)');
      expect(String(warning?.message)).toContain('no-such-thing (unknown)');
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
    const scheduler = spawnScheduler(
      env(pool, {
        MONGO_URL: `mongodb://127.0.0.1:${deadPort}/iexec?directConnection=true`,
        MONGO_CONNECT_TIMEOUT: '1000',
        IEXEC_CORE_PORT: String(await freePort()),
      }),
    );
    expect(await scheduler.exited).not.toBe(0);
    expect(Date.now() - started).toBeLessThan(15000);
    expect(scheduler.output()).toContain(
      `MongoDB unreachable at mongodb://127.0.0.1:${deadPort}/iexec`,
    );
  });

  it('stops the boot on a wrong keystore password, naming the wallet file', async () => {
    const scheduler = spawnScheduler(
      env(pool, { IEXEC_CORE_WALLET_PASSWORD: 'not-it', MONGO_URL: isolatedMongoUrl('badpw') }),
    );
    expect(await scheduler.exited).toBe(1);
    expect(scheduler.output()).toContain(`IEXEC_CORE_WALLET_PATH=${wallet.path}`);
    expect(scheduler.output()).toMatch(/wrong.*password/i);
  });

  it('stops the boot on an unreadable keystore', async () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"not":"a keystore"}');
    const missing = spawnScheduler(
      env(pool, {
        IEXEC_CORE_WALLET_PATH: join(dir, 'nope.json'),
        MONGO_URL: isolatedMongoUrl('nofile'),
      }),
    );
    expect(await missing.exited).toBe(1);
    expect(missing.output()).toContain('cannot read the keystore');
    const malformed = spawnScheduler(
      env(pool, { IEXEC_CORE_WALLET_PATH: broken, MONGO_URL: isolatedMongoUrl('badfile') }),
    );
    expect(await malformed.exited).toBe(1);
    expect(malformed.output()).toContain(`IEXEC_CORE_WALLET_PATH=${broken}`);
  });

  it('stops the boot when the wallet does not own the workerpool, saying who does', async () => {
    const stranger = writeWalletFile(join(dir, 'stranger.json'), generatePrivateKey());
    const scheduler = spawnScheduler(
      env(pool, { IEXEC_CORE_WALLET_PATH: stranger.path, MONGO_URL: isolatedMongoUrl('owner') }),
    );
    expect(await scheduler.exited).toBe(1);
    expect(scheduler.output()).toContain(`does not own the workerpool POOL_ADDRESS=`);
    expect(scheduler.output()).toContain(`owner: ${chain.roles.scheduler.address.toLowerCase()}`);
  });
});
