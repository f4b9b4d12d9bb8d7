import type { FastifyInstance } from 'fastify';

/** Paths still served while draining: the probes, so that they can say OUT_OF_SERVICE. */
const SERVED_WHILE_DRAINING = /^\/actuator\/health(\/|\?|$)/;

/**
 * The requests a Fastify instance is serving, and its drain switch: once draining, a new
 * request (probes aside) is answered 503 with `Connection: close` and never reaches a handler,
 * so nothing is accepted that the shutdown could not save; the worker posts it again to the
 * next scheduler.
 */
export class RequestGate {
  private inFlight = 0;
  private draining = false;
  private readonly idleWaiters: (() => void)[] = [];

  install(fastify: FastifyInstance): void {
    fastify.addHook('onRequest', (request, reply, done) => {
      if (this.draining && !SERVED_WHILE_DRAINING.test(request.url)) {
        void reply.code(503).header('connection', 'close').send();
        return;
      }
      this.inFlight += 1;
      // 'close' comes once per response, sent or aborted: the count cannot leak.
      reply.raw.once('close', () => this.finished());
      done();
    });
  }

  get requestsInFlight(): number {
    return this.inFlight;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  /** Refuses new requests from now on. */
  drain(): void {
    this.draining = true;
  }

  /** Resolves when no request is in flight. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private finished(): void {
    this.inFlight -= 1;
    if (this.inFlight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
  }
}

const gates = new WeakMap<object, RequestGate>();

/** Installs the gate of a Fastify instance (before its routes exist). */
export function installRequestGate(fastify: FastifyInstance): RequestGate {
  const gate = new RequestGate();
  gate.install(fastify);
  gates.set(fastify, gate);
  return gate;
}

/** The gate installed on this Fastify instance, if any. */
export function requestGateOf(fastify: object): RequestGate | undefined {
  return gates.get(fastify);
}
