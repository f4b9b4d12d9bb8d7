import { startFerretDb } from '../../setup/mongo-server.js';
import { jsonOf, RunningApp, startTestApp } from '../../support/app.js';
import { dropDatabase, isolatedMongoUrl } from '../../support/mongo.js';

describe('actuator endpoints', () => {
  describe('with the default exposure (health, info)', () => {
    const url = isolatedMongoUrl('actuator');
    let running: RunningApp;
    beforeAll(async () => {
      running = await startTestApp({ MONGO_URL: url });
    });
    afterAll(async () => {
      await running.close();
      await dropDatabase(url);
    });

    it('reports UP with the Spring Boot shape and the mongo, diskSpace and ping components', async () => {
      const res = await fetch(`${running.baseUrl}/actuator/health`);
      expect(res.status).toBe(200);
      const body = await jsonOf(res);
      expect(body.status).toBe('UP');
      expect(body.components.mongo).toEqual({
        status: 'UP',
        details: { maxWireVersion: expect.any(Number) },
      });
      expect(body.components.ping).toEqual({ status: 'UP' });
      expect(body.components.diskSpace.status).toBe('UP');
      expect(body.components.diskSpace.details).toMatchObject({
        threshold: 10485760,
        exists: true,
      });
      expect(body.components.diskSpace.details.free).toBeGreaterThan(0);
    });

    it('serves build info and the plain-text version', async () => {
      const info = await jsonOf(await fetch(`${running.baseUrl}/actuator/info`));
      expect(info.build).toMatchObject({
        name: 'iexec-core-ts',
        artifact: 'iexec-core-ts',
        group: 'com.iexec.core',
      });
      expect(info.build.version).toMatch(/^\d+\.\d+\.\d+/);
      const version = await fetch(`${running.baseUrl}/version`);
      expect(version.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await version.text()).toBe(info.build.version);
    });

    it('does not expose unlisted actuator endpoints', async () => {
      expect((await fetch(`${running.baseUrl}/actuator/prometheus`)).status).toBe(404);
    });

    it('answers unknown routes and malformed JSON with Spring-style errors', async () => {
      const missing = await fetch(`${running.baseUrl}/nope`, { method: 'POST' });
      expect(missing.status).toBe(404);
      expect(await jsonOf(missing)).toMatchObject({
        status: 404,
        error: 'Not Found',
        path: '/nope',
      });
      const bad = await fetch(`${running.baseUrl}/nope`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{not json',
      });
      expect(bad.status).toBe(400);
      expect(await jsonOf(bad)).toMatchObject({ status: 400, error: 'Bad Request' });
    });
  });

  describe('exposure rules', () => {
    it.each([
      ['info', { health: 404, info: 200 }],
      ['health', { health: 200, info: 404 }],
      ['*', { health: 200, info: 200 }],
    ])('IEXEC_CORE_MANAGEMENT_ACTUATORS=%s', async (actuators, expected) => {
      const url = isolatedMongoUrl('exposure');
      const running = await startTestApp({
        MONGO_URL: url,
        IEXEC_CORE_MANAGEMENT_ACTUATORS: actuators,
      });
      try {
        expect((await fetch(`${running.baseUrl}/actuator/health`)).status).toBe(expected.health);
        expect((await fetch(`${running.baseUrl}/actuator/info`)).status).toBe(expected.info);
        expect((await fetch(`${running.baseUrl}/version`)).status).toBe(200);
      } finally {
        await running.close();
        await dropDatabase(url);
      }
    });
  });

  describe('with MongoDB going away', () => {
    it('reports DOWN with HTTP 503 when MongoDB stops', async () => {
      const server = await startFerretDb();
      const running = await startTestApp({ MONGO_URL: server.url });
      try {
        const up = await fetch(`${running.baseUrl}/actuator/health`);
        expect(up.status).toBe(200);
        await server.stop();
        const down = await fetch(`${running.baseUrl}/actuator/health`);
        expect(down.status).toBe(503);
        const body = await jsonOf(down);
        expect(body.status).toBe('DOWN');
        expect(body.components.mongo.status).toBe('DOWN');
        expect(body.components.ping.status).toBe('UP');
      } finally {
        await running.close();
      }
    });
  });
});
