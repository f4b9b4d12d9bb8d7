import Fastify, { FastifyInstance } from 'fastify';
import { installRequestGate, RequestGate } from '../../../src/common/http/request-gate.js';
import { shutDownGracefully } from '../../../src/common/lifecycle/graceful-shutdown.js';

const silent = { log() {}, warn() {}, error() {} };

describe('RequestGate and the graceful shutdown', () => {
  let fastify: FastifyInstance;
  let gate: RequestGate;
  let release: () => void;
  let entered: Promise<void>;
  let base: string;
  const events: string[] = [];

  beforeEach(async () => {
    fastify = Fastify();
    gate = installRequestGate(fastify);
    const held = new Promise<void>((resolve) => (release = resolve));
    let enter: () => void;
    entered = new Promise<void>((resolve) => (enter = resolve));
    fastify.get('/slow', async () => {
      enter();
      await held;
      events.push('slow answered');
      return 'done';
    });
    fastify.get('/fast', async () => 'fast');
    fastify.get('/actuator/health/readiness', async () => 'probe');
    base = await fastify.listen({ port: 0, host: '127.0.0.1' });
  });

  afterEach(async () => {
    release();
    await fastify.close();
  });

  it('counts requests in flight and wakes idle() when the last one ends', async () => {
    const slow = fetch(`${base}/slow`);
    await entered;
    expect(gate.requestsInFlight).toBe(1);
    let idle = false;
    const waiting = gate.idle().then(() => (idle = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(idle).toBe(false);
    release();
    expect(await (await slow).text()).toBe('done');
    await waiting;
    expect(gate.requestsInFlight).toBe(0);
  });

  it('while draining: new requests get 503, probes are served, in-flight ones finish', async () => {
    const slow = fetch(`${base}/slow`);
    await entered;
    gate.drain();
    const refused = await fetch(`${base}/fast`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('connection')).toBe('close');
    expect((await fetch(`${base}/actuator/health/readiness`)).status).toBe(200);
    release();
    expect((await slow).status).toBe(200);
  });

  it('refuses traffic, waits for in-flight requests, then closes, within the deadline', async () => {
    events.length = 0;
    const order = events;
    const slow = fetch(`${base}/slow`);
    await entered;
    setTimeout(() => release(), 100);
    const outcome = await shutDownGracefully(
      {
        refuseTraffic: () => order.push('not ready'),
        gate,
        close: async () => {
          order.push('closed');
        },
      },
      5000,
      silent,
    );
    await slow;
    expect(outcome).toBe('clean');
    expect(order).toEqual(['not ready', 'slow answered', 'closed']);
  });

  it('keeps a third of the deadline for the flushes when a request hangs, then gives up', async () => {
    const closeStarted: number[] = [];
    void fetch(`${base}/slow`).catch(() => undefined);
    await entered;
    const started = Date.now();
    const outcome = await shutDownGracefully(
      {
        refuseTraffic: () => undefined,
        gate,
        close: () => {
          closeStarted.push(Date.now() - started);
          return new Promise<void>(() => undefined); // a flush that never ends
        },
      },
      600,
      silent,
    );
    const elapsed = Date.now() - started;
    expect(outcome).toBe('deadline');
    expect(closeStarted[0]).toBeGreaterThanOrEqual(390);
    expect(closeStarted[0]).toBeLessThan(550);
    expect(elapsed).toBeGreaterThanOrEqual(590);
    expect(elapsed).toBeLessThan(1500);
  });
});
