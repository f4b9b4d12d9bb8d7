import { LogLevel as NestLogLevel, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { AppConfig, LogLevel } from './config/app-config.js';
import { HttpExceptionFilter } from './common/http/http-exception.filter.js';

/** Largest request body accepted (compute logs are the biggest payload: 2 x 100,000 characters). */
export const BODY_LIMIT_BYTES = 5 * 1024 * 1024;

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

/** The Fastify adapter the scheduler runs on (body limit, lenient JSON parser). */
export function createFastifyAdapter(): FastifyAdapter {
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

/** Nest application options shared by main.ts and the tests. */
export function appOptions(config: AppConfig) {
  return { logger: logLevels(config.server.logLevel), abortOnError: false, bodyParser: false };
}

/** CORS, Spring-style error bodies, validation: everything set on the created application. */
export function configureApp(app: NestFastifyApplication): NestFastifyApplication {
  app.enableCors({ origin: '*', methods: ['GET', 'HEAD', 'POST'], maxAge: 1800 });
  app.useGlobalFilters(new HttpExceptionFilter());
  // Unknown properties are dropped, not refused: the worker sends extra ones (e.g. `success`).
  app.useGlobalPipes(new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: false }));
  return app;
}

/** Creates the scheduler application (not yet listening). */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    createFastifyAdapter(),
    appOptions(config),
  );
  return configureApp(app);
}
