import type { ModuleMetadata } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import { AppModule } from '../../src/app.module.js';
import { appOptions, configureApp, createApp, createHttpAdapter } from '../../src/bootstrap.js';
import { RawEnvironment } from '../../src/config/load-config.js';
import { testConfig } from './config.js';

export interface RunningApp {
  app: NestFastifyApplication;
  baseUrl: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Replaces providers (doubles) before the application is created. */
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
  /** Extra modules next to the application module (e.g. a global module providing a token). */
  imports?: ModuleMetadata['imports'];
}

/** Boots the whole scheduler in-process on a free port of 127.0.0.1. */
export async function startTestApp(
  overrides: RawEnvironment,
  options: TestAppOptions = {},
): Promise<RunningApp> {
  const config = testConfig(overrides);
  let app: NestFastifyApplication;
  if (options.override || options.imports) {
    const builder = Test.createTestingModule({
      imports: [AppModule.forRoot(config), ...(options.imports ?? [])],
    });
    const moduleRef = await (options.override ?? ((b) => b))(builder).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(
      createHttpAdapter(config),
      appOptions(config),
    );
    configureApp(app);
  } else {
    app = await createApp(config);
  }
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { app, baseUrl: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** Parses a JSON response body for assertions. */
export async function jsonOf(res: Response): Promise<Json> {
  return res.json();
}
