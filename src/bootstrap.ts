import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { AppConfig } from './config/app-config.js';
import { configureApp, createHttpAdapter } from './common/http/http-app.js';
import { createAppLogger } from './common/logging/app-logger.js';
import { setupOpenApi } from './openapi/openapi.js';

export { BODY_LIMIT_BYTES, configureApp, createHttpAdapter } from './common/http/http-app.js';
export { logLevels } from './common/logging/app-logger.js';

/** Nest application options shared by main.ts and the tests. */
export function appOptions(config: AppConfig) {
  return {
    logger: createAppLogger(config.server.logLevel, config.server.logFormat),
    abortOnError: false,
    bodyParser: false,
  };
}

/** Creates the scheduler application (not yet listening). Shared by main.ts and the tests. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    createHttpAdapter(config),
    appOptions(config),
  );
  configureApp(app);
  setupOpenApi(app);
  return app;
}
