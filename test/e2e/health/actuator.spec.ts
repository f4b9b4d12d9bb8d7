import { startLocalChain } from '../../../devstack/chain/local-chain.js';
import { createChainClients } from '../../../devstack/chain/clients.js';
import { PocoFixtures } from '../../../devstack/poco/fixtures.js';
import { freePort, startFerretDb } from '../../setup/mongo-server.js';
import { jsonOf } from '../../support/app.js';
import { isolateChainPerFile, testChain } from '../../support/chain.js';
import { eventually, RunningScheduler, startScheduler } from '../../support/scheduler.js';

const chain = testChain();
isolateChainPerFile(chain);

async function health(scheduler: RunningScheduler) {
  const res = await fetch(`${scheduler.baseUrl}/actuator/health`);
  return { status: res.status, body: await jsonOf(res) };
}

describe('actuator endpoints', () => {
  describe('with the default exposure (health, info)', () => {
    let scheduler: RunningScheduler;
    beforeAll(async () => {
      scheduler = await startScheduler(chain, await chain.fixtures.createWorkerpool());
    });
    afterAll(async () => {
      await scheduler.close();
    });

    it('reports UP with the Spring Boot shape: blockchainConnection, mongo, diskSpace, ping', async () => {
      const { status, body } = await eventually(
        async () => {
          const h = await health(scheduler);
          return h.status === 200 ? h : undefined;
        },
        10000,
        'health UP',
      );
      expect(status).toBe(200);
      expect(body.status).toBe('UP');
      expect(Object.keys(body.components).sort()).toEqual([
        'blockchainConnection',
        'diskSpace',
        'mongo',
        'ping',
      ]);
      expect(body.components.blockchainConnection).toMatchObject({
        status: 'UP',
        details: {
          consecutiveFailures: 0,
          pollingInterval: 'PT0.2S',
          outOfServiceThreshold: 2,
          chainId: chain.chainId,
        },
      });
      expect(body.components.blockchainConnection.details.latestBlock).toBeGreaterThan(0);
      expect(body.components.mongo).toEqual({
        status: 'UP',
        details: { maxWireVersion: expect.any(Number) },
      });
      expect(body.components.ping).toEqual({ status: 'UP' });
      expect(body.components.diskSpace.details).toMatchObject({
        threshold: 10485760,
        exists: true,
      });
      expect(body.components.diskSpace.details.free).toBeGreaterThan(0);
    });

    it('serves the liveness and readiness probes as Spring Boot does, and single components', async () => {
      const probe = async (path: string) => {
        const res = await fetch(`${scheduler.baseUrl}/actuator/health/${path}`);
        return { status: res.status, body: await jsonOf(res) };
      };
      expect(await probe('liveness')).toEqual({
        status: 200,
        body: { status: 'UP', components: { livenessState: { status: 'UP' } } },
      });
      const ready = await probe('readiness');
      expect(ready.status).toBe(200);
      expect(ready.body.status).toBe('UP');
      expect(Object.keys(ready.body.components)).toEqual([
        'blockchainConnection',
        'mongo',
        'readinessState',
      ]);
      expect(ready.body.components.readinessState).toEqual({ status: 'UP' });
      expect((await probe('ping')).body).toEqual({ status: 'UP' });
      expect((await fetch(`${scheduler.baseUrl}/actuator/health/nope`)).status).toBe(404);
    });

    it('serves build info and the plain-text version', async () => {
      const info = await jsonOf(await fetch(`${scheduler.baseUrl}/actuator/info`));
      expect(info.build).toMatchObject({
        name: 'iexec-core-ts',
        artifact: 'iexec-core-ts',
        group: 'com.iexec.core',
      });
      expect(info.build.version).toMatch(/^\d+\.\d+\.\d+/);
      const version = await fetch(`${scheduler.baseUrl}/version`);
      expect(version.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await version.text()).toBe(info.build.version);
    });

    it('does not expose unlisted actuator endpoints', async () => {
      expect((await fetch(`${scheduler.baseUrl}/actuator/prometheus`)).status).toBe(404);
    });

    it('answers unknown routes and malformed JSON with Spring-style errors', async () => {
      const missing = await fetch(`${scheduler.baseUrl}/nope`, { method: 'POST' });
      expect(missing.status).toBe(404);
      expect(await jsonOf(missing)).toMatchObject({
        status: 404,
        error: 'Not Found',
        path: '/nope',
      });
      const bad = await fetch(`${scheduler.baseUrl}/nope`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{not json',
      });
      expect(bad.status).toBe(400);
      expect(await jsonOf(bad)).toMatchObject({ status: 400, error: 'Bad Request' });
    });
  });

  it.each([
    ['info', { health: 404, info: 200, prometheus: 404, metrics: 404 }],
    ['health', { health: 200, info: 404, prometheus: 404, metrics: 404 }],
    ['health,prometheus,env', { health: 200, info: 404, prometheus: 200, metrics: 404 }],
    ['health,metrics', { health: 200, info: 404, prometheus: 404, metrics: 200 }],
    ['*', { health: 200, info: 200, prometheus: 200, metrics: 200 }],
  ])('IEXEC_CORE_MANAGEMENT_ACTUATORS=%s', async (actuators, expected) => {
    const scheduler = await startScheduler(chain, await chain.fixtures.createWorkerpool(), {
      env: { IEXEC_CORE_MANAGEMENT_ACTUATORS: actuators },
    });
    try {
      await eventually(
        async () =>
          expected.health === 404 ||
          (await fetch(`${scheduler.baseUrl}/actuator/health`)).status === 200,
        10000,
      );
      expect((await fetch(`${scheduler.baseUrl}/actuator/health`)).status).toBe(expected.health);
      expect((await fetch(`${scheduler.baseUrl}/actuator/info`)).status).toBe(expected.info);
      expect((await fetch(`${scheduler.baseUrl}/actuator/prometheus`)).status).toBe(
        expected.prometheus,
      );
      expect((await fetch(`${scheduler.baseUrl}/actuator/metrics`)).status).toBe(expected.metrics);
      expect((await fetch(`${scheduler.baseUrl}/version`)).status).toBe(200);
    } finally {
      await scheduler.close();
    }
  });

  it("serves the operators' meters: HTTP requests with Spring's names, chain, wallet, RPC, database", async () => {
    const scheduler = await startScheduler(chain, await chain.fixtures.createWorkerpool(), {
      env: { IEXEC_CORE_MANAGEMENT_ACTUATORS: '*' },
    });
    try {
      await eventually(async () => (await health(scheduler)).status === 200, 10000, 'health UP');
      expect((await fetch(`${scheduler.baseUrl}/tasks/0x${'ab'.repeat(32)}`)).status).toBe(404);
      const text = await (await fetch(`${scheduler.baseUrl}/actuator/prometheus`)).text();
      const sample = (pattern: RegExp) => {
        const line = text.split('\n').find((l) => pattern.test(l));
        return line === undefined ? undefined : Number(line.split(' ').pop());
      };
      expect(
        sample(
          /^http_server_requests_seconds_count\{method="GET",uri="\/actuator\/health",status="200",outcome="SUCCESS",exception="none"\} /,
        ),
      ).toBeGreaterThanOrEqual(1);
      // the route template, never the id
      expect(text).toMatch(
        /^http_server_requests_seconds_count\{method="GET",uri="\/tasks\/\{chainTaskId\}",status="404",outcome="CLIENT_ERROR",exception="[A-Za-z]+"\} 1$/m,
      );
      expect(text).not.toContain('ababab');
      expect(sample(/^iexec_core_chain_latest_block_number /)).toBeGreaterThan(0);
      expect(sample(/^iexec_core_chain_latest_block_age_seconds /)).toBeGreaterThanOrEqual(0);
      expect(sample(/^iexec_core_wallet_balance_wei /)).toBeGreaterThan(0);
      expect(
        sample(
          /^iexec_core_rpc_requests_seconds_count\{method="eth_blockNumber",outcome="success"\} /,
        ) ??
          sample(
            /^iexec_core_rpc_requests_seconds_count\{method="eth_getBlockByNumber",outcome="success"\} /,
          ),
      ).toBeGreaterThan(0);
      expect(
        sample(/^iexec_core_mongo_commands_seconds_count\{command="find",outcome="success"\} /),
      ).toBeGreaterThan(0);
      // the same meters under Spring's /actuator/metrics, by Micrometer name
      const names = await jsonOf(await fetch(`${scheduler.baseUrl}/actuator/metrics`));
      expect(names.names).toEqual(
        expect.arrayContaining(['http.server.requests', 'iexec.core.deals.events']),
      );
      const requests = await jsonOf(
        await fetch(`${scheduler.baseUrl}/actuator/metrics/http.server.requests?tag=status:404`),
      );
      expect(requests).toMatchObject({ name: 'http.server.requests', baseUnit: 'seconds' });
      expect(requests.measurements[0]).toEqual({ statistic: 'COUNT', value: 1 });
      expect(requests.availableTags).toEqual(
        expect.arrayContaining([{ tag: 'uri', values: ['/tasks/{chainTaskId}'] }]),
      );
      expect((await fetch(`${scheduler.baseUrl}/actuator/metrics/nope`)).status).toBe(404);
      expect(
        (await fetch(`${scheduler.baseUrl}/actuator/metrics/http.server.requests?tag=x`)).status,
      ).toBe(400);
    } finally {
      await scheduler.close();
    }
  });

  it('reports DOWN with HTTP 503 when MongoDB stops', async () => {
    const server = await startFerretDb();
    const scheduler = await startScheduler(chain, await chain.fixtures.createWorkerpool(), {
      mongoUrl: server.url,
    });
    try {
      await eventually(async () => (await health(scheduler)).status === 200, 10000, 'health UP');
      await server.stop();
      const { status, body } = await health(scheduler);
      expect(status).toBe(503);
      expect(body.status).toBe('DOWN');
      expect(body.components.mongo.status).toBe('DOWN');
      expect(body.components.ping.status).toBe('UP');
    } finally {
      await scheduler.stop();
    }
  });

  it('goes OUT_OF_SERVICE (503) when the chain node stops, refuses worker replicate calls, and comes back', async () => {
    const port = await freePort();
    let node = await startLocalChain({ port });
    const own = {
      ...chain,
      deployment: node.deployment,
      rpcUrl: node.rpcUrl,
      chainId: node.chainId,
    };
    const fixtures = new PocoFixtures(node.deployment, createChainClients(node.deployment));
    const workerpool = await fixtures.createWorkerpool();
    const scheduler = await startScheduler(own, workerpool);
    try {
      await eventually(async () => (await health(scheduler)).status === 200, 10000, 'health UP');
      await node.stop();
      const down = await eventually(
        async () => {
          const h = await health(scheduler);
          return h.status === 503 ? h : undefined;
        },
        10000,
        'OUT_OF_SERVICE',
      );
      expect(down.body.status).toBe('OUT_OF_SERVICE');
      expect(down.body.components.blockchainConnection.status).toBe('OUT_OF_SERVICE');
      expect(
        down.body.components.blockchainConnection.details.consecutiveFailures,
      ).toBeGreaterThanOrEqual(2);
      expect(down.body.components.blockchainConnection.details.firstFailure).toEqual(
        expect.any(String),
      );
      // not ready, still live: an orchestrator stops routing to it but does not restart it
      const readiness = await fetch(`${scheduler.baseUrl}/actuator/health/readiness`);
      expect(readiness.status).toBe(503);
      expect((await jsonOf(readiness)).status).toBe('OUT_OF_SERVICE');
      const liveness = await fetch(`${scheduler.baseUrl}/actuator/health/liveness`);
      expect(liveness.status).toBe(200);
      expect((await jsonOf(liveness)).status).toBe('UP');
      // the replicate endpoints answer 503 after authentication (401 without a token)
      expect((await fetch(`${scheduler.baseUrl}/replicates/available?blockNumber=1`)).status).toBe(
        401,
      );

      node = await startLocalChain({ port });
      const up = await eventually(
        async () => {
          const h = await health(scheduler);
          return h.status === 200 ? h : undefined;
        },
        15000,
        'back in service',
      );
      expect(up.body.components.blockchainConnection.details.consecutiveFailures).toBe(0);
    } finally {
      await scheduler.close();
      await node.stop();
    }
  });
});
