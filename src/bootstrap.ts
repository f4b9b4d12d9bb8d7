import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { AppConfig } from './config/app-config.js';
import { configureApp, createHttpAdapter, logLevels } from './common/http/http-app.js';

export {
  BODY_LIMIT_BYTES,
  configureApp,
  createHttpAdapter,
  logLevels,
} from './common/http/http-app.js';

/** Nest application options shared by main.ts and the tests. */
export function appOptions(config: AppConfig) {
  return { logger: logLevels(config.server.logLevel), abortOnError: false, bodyParser: false };
}

/** Creates the scheduler application (not yet listening). Shared by main.ts and the tests. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    createHttpAdapter(config),
    appOptions(config),
  );
  configureApp(app);
  return app;
}
