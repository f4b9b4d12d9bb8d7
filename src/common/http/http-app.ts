import { Logger, ValidationPipe } from '@nestjs/common';
import rateLimit from '@fastify/rate-limit';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '../../config/app-config.js';
import { clientOf } from './client-address.js';
import { HttpExceptionFilter } from './http-exception.filter.js';
import { installRequestGate } from './request-gate.js';
import { installResponseObservers, observeResponses } from './response-observers.js';

/**
 * The HTTP behaviour of the scheduler, shared by `createApp` and the test applications that
 * assemble a subset of the modules (test/support/worker-app.ts). No module imports here.
 */

/**
 * Largest request body of every route but the replicate status update: the other worker bodies
 * (W4 worker model, login signature) are well under a kilobyte.
 */
export const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Largest status update (R3). Compute logs are the biggest payload and the worker sends them
 * whole (the scheduler keeps the last 100,000 characters of each): a refused report would be
 * re-posted until the final deadline, so this one bound stays generous (the Java scheduler sets
 * none). R3 is guarded: an unauthenticated request is refused before its body is read.
 */
export const STATUS_UPDATE_BODY_LIMIT_BYTES = 64 * 1024 * 1024;

/** Routes whose body may exceed {@link BODY_LIMIT_BYTES}. */
function bodyLimitOf(url: string): number {
  return url.endsWith('/updateStatus') ? STATUS_UPDATE_BODY_LIMIT_BYTES : BODY_LIMIT_BYTES;
}

/**
 * Route config of the anonymous endpoints that create state (login and logs challenges, login):
 * `@RouteConfig(ANONYMOUS_RATE_LIMITED)`. Counted per client and per route, before the body.
 */
export const ANONYMOUS_RATE_LIMITED = { rateLimit: {} };

/** The Fastify adapter every scheduler application is built on. */
export function createHttpAdapter(config: AppConfig): FastifyAdapter {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    forceCloseConnections: 'idle',
  });
  const fastify = adapter.getInstance();
  // First hook: a draining scheduler refuses a request before anything else reads it.
  installRequestGate(fastify);
  const ratePerMinute = config.workers.anonymousRatePerMinute;
  if (ratePerMinute > 0) {
    // Loaded before Nest adds its routes, so the plugin's onRoute hook sees every one of them.
    void fastify.register(rateLimit, {
      global: false,
      max: ratePerMinute,
      timeWindow: 60_000,
      cache: 10_000,
      keyGenerator: (request) =>
        clientOf(request.socket.remoteAddress, request.headers as Record<string, string>),
    });
  }
  fastify.addHook('onRoute', (route) => {
    route.bodyLimit = bodyLimitOf(route.url);
  });
  installResponseObservers(fastify);
  // The access log, at DEBUG (Fastify's own pino logger stays off: one logger, one format).
  const access = new Logger('HttpAccess');
  observeResponses(fastify, (request, reply) => {
    const durationMs = Math.round(reply.elapsedTime * 10) / 10;
    access.debug(`${request.method} ${request.url} ${reply.statusCode} ${durationMs} ms`, {
      method: request.method,
      uri: request.routeOptions.url ?? null,
      status: reply.statusCode,
      durationMs,
    });
  });
  // Fastify's own parser: refuses `__proto__` and `constructor.prototype` keys (prototype
  // poisoning). The worker sends `Content-Type: application/json` on bodiless POSTs (ping): an
  // empty body is no body.
  const secureJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    secureJson(req, text, (error, value) => {
      if (!error) return done(null, value);
      const reason =
        'Request body is not valid JSON, or carries __proto__ or constructor.prototype';
      done(Object.assign(new Error(reason), { statusCode: 400 }), undefined);
    });
  });
  return adapter;
}

/** CORS, Spring-style errors and validation. */
export function configureApp(app: NestFastifyApplication): void {
  app.enableCors({ origin: '*', methods: ['GET', 'HEAD', 'POST'], maxAge: 1800 });
  app.useGlobalFilters(new HttpExceptionFilter());
  // Unknown properties are dropped, not refused: the worker sends extra ones (e.g. `success`).
  app.useGlobalPipes(
    new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: false }),
  );
}
