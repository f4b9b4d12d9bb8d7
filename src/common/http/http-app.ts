import { LogLevel as NestLogLevel, ValidationPipe } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { LogLevel } from '../../config/app-config.js';
import { HttpExceptionFilter } from './http-exception.filter.js';

/**
 * The HTTP behaviour of the scheduler, shared by `createApp` and the test applications that
 * assemble a subset of the modules (test/support/worker-app.ts). No module imports here.
 */

/**
 * Largest request body accepted. Compute logs are the biggest payload and the worker sends them
 * whole (the scheduler keeps the last 100,000 characters): a refused report would be re-posted
 * until the final deadline, so the bound is generous (the Java scheduler sets none).
 */
export const BODY_LIMIT_BYTES = 64 * 1024 * 1024;

const NEST_LEVELS: Record<LogLevel, NestLogLevel[]> = {
  TRACE: ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'],
  DEBUG: ['debug', 'log', 'warn', 'error', 'fatal'],
  INFO: ['log', 'warn', 'error', 'fatal'],
  WARN: ['warn', 'error', 'fatal'],
  ERROR: ['error', 'fatal'],
  OFF: [],
};

export function logLevels(level: LogLevel): NestLogLevel[] {
  return NEST_LEVELS[level];
}

/** The Fastify adapter every scheduler application is built on. */
export function createHttpAdapter(): FastifyAdapter {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    forceCloseConnections: 'idle',
  });
  // The worker sends `Content-Type: application/json` on bodiless POSTs (ping): an empty body is no body.
  adapter
    .getInstance()
    .addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
      const text = String(body);
      if (text.trim() === '') return done(null, undefined);
      try {
        done(null, JSON.parse(text));
      } catch {
        const error = Object.assign(new Error('Request body is not valid JSON'), {
          statusCode: 400,
        });
        done(error, undefined);
      }
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
