import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/bootstrap.js';
import { RawEnvironment } from '../../src/config/load-config.js';
import { testConfig } from './config.js';

export interface RunningApp {
  app: NestFastifyApplication;
  baseUrl: string;
  close(): Promise<void>;
}

/** Boots the whole scheduler in-process on a free port of 127.0.0.1. */
export async function startTestApp(overrides: RawEnvironment): Promise<RunningApp> {
  const app = await createApp(testConfig(overrides));
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
