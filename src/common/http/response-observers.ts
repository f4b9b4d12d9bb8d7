import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Called once per answered request (the access log, the HTTP request meter). */
export type ResponseObserver = (request: FastifyRequest, reply: FastifyReply) => void;

const observers = new WeakMap<object, ResponseObserver[]>();
const exceptions = new WeakMap<object, string>();

/** One `onResponse` hook calling the observers added later (before routes exist). */
export function installResponseObservers(fastify: FastifyInstance): void {
  const list: ResponseObserver[] = [];
  observers.set(fastify, list);
  fastify.addHook('onResponse', (request, reply, done) => {
    for (const observe of list) observe(request, reply);
    done();
  });
}

/** Adds an observer to a Fastify instance made by createHttpAdapter. */
export function observeResponses(fastify: object, observer: ResponseObserver): void {
  const list = observers.get(fastify);
  if (!list) throw new Error('HTTP adapter not made by createHttpAdapter: no response observers');
  list.push(observer);
}

/** The exception filter names the exception a request ended with (Spring's `exception` tag). */
export function recordException(request: FastifyRequest, name: string): void {
  exceptions.set(request.raw, name);
}

export function exceptionOf(request: FastifyRequest): string | undefined {
  return exceptions.get(request.raw);
}
